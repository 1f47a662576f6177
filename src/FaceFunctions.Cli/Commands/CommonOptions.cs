using System.CommandLine;
using FaceFunctions.Detection;
using FaceFunctions.Detection.Mtcnn;

namespace FaceFunctions.Cli.Commands;

/// <summary>Options several commands share, defined once so they read and validate the same everywhere.</summary>
internal static class CommonOptions
{
    public static Option<int> MinFace() => new("--min-face")
    {
        Description = "Smallest face to find, in pixels",
        DefaultValueFactory = _ => DetectionOptions.Default.MinFaceSize,
    };

    public static Option<int> Threads() => new("--threads")
    {
        Description = "Cap on the threads the detector uses (0 = one per core)",
        DefaultValueFactory = _ => 0,
    };

    public static Option<ExecutionProvider> Provider() => new("--provider")
    {
        Description = "Where the networks run: auto, cpu or cuda",
        DefaultValueFactory = _ => ExecutionProvider.Auto,
    };

    public static Option<string?> JsonLines() => new("--jsonl")
    {
        Description = "Also write one JSON line per photo to PATH, or to stdout with '-' (then nothing else goes to stdout)",
    };
}
