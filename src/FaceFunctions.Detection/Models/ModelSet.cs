using System.Security.Cryptography;
using System.Text;

namespace FaceFunctions.Detection.Models;

/// <summary>
/// The three MTCNN ONNX models on disk, each verified against the sha256 compiled into this assembly from
/// models/SHA256SUMS, so a detector never runs a model other than the one the tests proved.
/// </summary>
internal sealed class ModelSet
{
    public const string PNetFileName = "pnet.onnx";
    public const string RNetFileName = "rnet.onnx";
    public const string ONetFileName = "onet.onnx";

    private const string ChecksumResource = "FaceFunctions.Detection.SHA256SUMS";

    private static readonly Lazy<IReadOnlyDictionary<string, string>> Expected = new(ReadEmbeddedChecksums);

    private ModelSet(string directory, string pnet, string rnet, string onet, string modelsId)
    {
        Directory = directory;
        PNetPath = pnet;
        RNetPath = rnet;
        ONetPath = onet;
        ModelsId = modelsId;
    }

    /// <summary>The folder the models were loaded from.</summary>
    public string Directory { get; }

    public string PNetPath { get; }

    public string RNetPath { get; }

    public string ONetPath { get; }

    /// <summary>
    /// Identifies this exact set of models in detection documents: the lowercase hex sha256 of the three
    /// models' lowercase hex sha256s concatenated in P-Net, R-Net, O-Net order (ASCII, no separators).
    /// </summary>
    public string ModelsId { get; }

    /// <summary>The sha256 each model file must have, by file name, as compiled in from models/SHA256SUMS.</summary>
    internal static IReadOnlyDictionary<string, string> ExpectedSha256 => Expected.Value;

    /// <summary>
    /// Finds and verifies the three models in <paramref name="directory"/> (default: the "models" folder next to
    /// the application, where the build copies them).
    /// </summary>
    /// <exception cref="ModelFileException">A model file is missing or its sha256 is not the expected one.</exception>
    public static ModelSet Load(string? directory = null)
    {
        var folder = Path.GetFullPath(directory ?? Path.Combine(AppContext.BaseDirectory, "models"));
        string[] names = [PNetFileName, RNetFileName, ONetFileName];
        var hashes = names.Select(name => Verify(Path.Combine(folder, name), ExpectedHash(name))).ToArray();
        var modelsId = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(string.Concat(hashes))));
        return new ModelSet(folder, Path.Combine(folder, PNetFileName), Path.Combine(folder, RNetFileName), Path.Combine(folder, ONetFileName), modelsId);
    }

    private static string ExpectedHash(string fileName) =>
        ExpectedSha256.TryGetValue(fileName, out var hash)
            ? hash
            : throw new InvalidOperationException($"The embedded {ChecksumResource} lists no {fileName}; rebuild with the repository's models/SHA256SUMS.");

    private static string Verify(string path, string expected)
    {
        if (!File.Exists(path))
        {
            throw new ModelFileException(path, expected, $"Model file {path} is missing; expected a file with sha256 {expected}.");
        }

        string actual;
        using (var stream = File.OpenRead(path))
        {
            actual = Convert.ToHexStringLower(SHA256.HashData(stream));
        }

        return actual == expected
            ? actual
            : throw new ModelFileException(path, expected, $"Model file {path} has sha256 {actual}, expected {expected}: it is not the model this build was tested with.");
    }

    // sha256sum's text format: "<64 hex digits>  <file name>" per line.
    private static IReadOnlyDictionary<string, string> ReadEmbeddedChecksums()
    {
        using var stream = typeof(ModelSet).Assembly.GetManifestResourceStream(ChecksumResource)
            ?? throw new InvalidOperationException($"This build of FaceFunctions.Detection has no embedded {ChecksumResource}: models/SHA256SUMS was missing when it was built.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd()
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split("  ", 2))
            .ToDictionary(parts => parts[1], parts => parts[0].ToLowerInvariant(), StringComparer.Ordinal);
    }
}
