using System.Globalization;

namespace FaceFunctions.Benchmarks.Load;

/// <summary>
/// What the <c>load</c> command runs: how many photos, how the app is configured, what memory it must stay under.
/// Defaults are the deployment's: Flex Consumption's MaxConcurrentDetections (2), host.json's blob
/// maxDegreeOfParallelism (4 invocations in flight), previews off (infra/main.bicep's writeAnnotated and
/// writeAnonymized).
/// </summary>
internal sealed record LoadOptions
{
    /// <summary>
    /// The per-process memory budget for decoding admission, in MB: the app runs with it
    /// (ImageLimits__MemoryBudgetMegabytes) and the peak resident set is held against it. The default is the
    /// budget the templates give a 2,048-MB Flex Consumption instance.
    /// </summary>
    public const int DefaultBudgetMegabytes = Detection.Imaging.ImageLimits.DefaultMemoryBudgetMegabytes;

    public int Photos { get; init; } = 1_000;

    /// <summary>FaceFunctions__MaxConcurrentDetections: detections the processor runs at once.</summary>
    public int Concurrency { get; init; } = 2;

    /// <summary>
    /// Invocations in flight, as the host's blob extension hands them out: host.json's maxDegreeOfParallelism, which
    /// the templates set to MaxConcurrentDetections (docs/deploy.md). More than <see cref="Concurrency"/> (the runs in
    /// docs/reliability.md used 4) leaves uploads waiting for a detection slot in memory: a harsher case.
    /// </summary>
    public int Invocations { get; init; } = 2;

    public int BudgetMegabytes { get; init; } = DefaultBudgetMegabytes;

    /// <summary>Go on after an invocation throws (a storage failure or a bug); the final check reports the photo.</summary>
    public bool KeepGoing { get; init; }

    /// <summary>FaceFunctions__WriteAnnotated and __WriteAnonymized (both off when deployed with the defaults).</summary>
    public bool Previews { get; init; }

    public int Seed { get; init; } = 20261201;

    /// <summary>Photos at (or just under) the pixel limit, arriving in pairs mid-run so both detection slots may hold one.</summary>
    public int PixelLimitPhotos { get; init; } = 5;

    /// <summary>Photos per reported block; growth compares the first block with the last.</summary>
    public int BlockSize { get; init; } = 100;

    /// <summary>Optional folder of real photos used as scenes (JPEG/PNG), instead of the skimage photos alone.</summary>
    public string? Scenes { get; init; }

    /// <summary>The photo sizes (width, height) to draw from: camera resolutions from 0.3 to 12 megapixels.</summary>
    public IReadOnlyList<(int Width, int Height)> Sizes { get; init; } = CameraSizes;

    public static IReadOnlyList<(int Width, int Height)> CameraSizes { get; } =
    [
        (640, 480), (1024, 768), (1280, 960), (1600, 1200), (1920, 1080), (2048, 1536),
        (2592, 1944), (3264, 2448), (4000, 3000), (480, 640), (1080, 1920), (3000, 4000),
    ];

    public const string Usage =
        "load [--photos N] [--concurrency N] [--invocations N] [--budget-mb N] [--keep-going] [--previews] [--seed N] " +
        "[--pixel-limit-photos N] [--block N] [--scenes DIR]";

    /// <summary>Parses the arguments after the command name; throws <see cref="ArgumentException"/> naming a wrong one.</summary>
    public static LoadOptions Parse(IReadOnlyList<string> args)
    {
        var options = new LoadOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            options = name switch
            {
                "--keep-going" => options with { KeepGoing = true },
                "--previews" => options with { Previews = true },
                "--photos" => options with { Photos = Number(args, ++i, name, 1) },
                "--concurrency" => options with { Concurrency = Number(args, ++i, name, 1) },
                "--invocations" => options with { Invocations = Number(args, ++i, name, 1) },
                "--budget-mb" => options with { BudgetMegabytes = Number(args, ++i, name, 1) },
                "--seed" => options with { Seed = Number(args, ++i, name, 0) },
                "--pixel-limit-photos" => options with { PixelLimitPhotos = Number(args, ++i, name, 0) },
                "--block" => options with { BlockSize = Number(args, ++i, name, 1) },
                "--scenes" => options with { Scenes = Value(args, ++i, name) },
                _ => throw new ArgumentException($"Unknown option '{name}'. Usage: {Usage}"),
            };
        }

        return options.PixelLimitPhotos > options.Photos
            ? throw new ArgumentException($"--pixel-limit-photos ({options.PixelLimitPhotos}) exceeds --photos ({options.Photos}).")
            : options;
    }

    /// <summary>The arguments that give the same photo set (for the generating child process).</summary>
    public IEnumerable<string> PhotoSetArguments()
    {
        yield return "--photos";
        yield return Photos.ToString(CultureInfo.InvariantCulture);
        yield return "--seed";
        yield return Seed.ToString(CultureInfo.InvariantCulture);
        yield return "--pixel-limit-photos";
        yield return PixelLimitPhotos.ToString(CultureInfo.InvariantCulture);
        if (Scenes is not null)
        {
            yield return "--scenes";
            yield return Scenes;
        }
    }

    private static string Value(IReadOnlyList<string> args, int i, string name) =>
        i < args.Count ? args[i] : throw new ArgumentException($"{name} needs a value.");

    private static int Number(IReadOnlyList<string> args, int i, string name, int min) =>
        int.TryParse(Value(args, i, name), NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= min
            ? value
            : throw new ArgumentException($"{name} is '{args[i]}': it must be a whole number of at least {min}.");
}
