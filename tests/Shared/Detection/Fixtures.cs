using FaceFunctions.Detection;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceFunctions.Tests;

/// <summary>
/// The photos tests/tools/setup-fixtures.sh copies out of Debian's python3-skimage package (public
/// domain / CC0). They are not in git; a clear failure says how to fetch them.
/// </summary>
internal static class Fixtures
{
    /// <summary>NASA portrait of Eileen Collins, 512 × 512 RGB: one frontal face.</summary>
    public const string Astronaut = "astronaut.png";

    /// <summary>The cameraman, 512 × 512 grayscale.</summary>
    public const string Camera = "camera.png";

    /// <summary>A cat, 451 × 300 RGB: no human face.</summary>
    public const string Chelsea = "chelsea.png";

    /// <summary>A coffee cup, 600 × 400 RGB: no face.</summary>
    public const string Coffee = "coffee.png";

    /// <summary>
    /// Eileen Collins's face in astronaut.png as MtcnnDetector reports it with the default options
    /// (measured at merge 10659ef; rounded to 0.01 px). Tests compare against it with IoU or pixel tolerances.
    /// </summary>
    public static readonly DetectedFace AstronautFace = new(
        new FaceBox(181.05f, 62.16f, 267.75f, 172.05f),
        0.99999774f,
        new FaceLandmarks(new(205.01f, 101.73f), new(246.76f, 103.71f), new(224.67f, 128.97f), new(201.72f, 139.25f), new(245.27f, 141.86f)));

    public static string Directory { get; } = RepositoryPaths.Of("tests", "FaceFunctions.Detection.Tests", "Fixtures", "skimage");

    public static string PathOf(string name)
    {
        string path = Path.Combine(Directory, name);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"Test photo '{name}' is missing from {Directory}: run bash tests/run.sh (or tests/tools/setup-fixtures.sh), which fetches it from Debian's python3-skimage package.",
                path);
        }

        return path;
    }

    public static byte[] Bytes(string name) => File.ReadAllBytes(PathOf(name));

    public static Image<Rgb24> Load(string name) => Image.Load<Rgb24>(PathOf(name));
}
