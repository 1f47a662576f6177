using System.CommandLine;
using System.CommandLine.Parsing;
using FaceFunctions.Detection;
using FaceFunctions.Detection.Mtcnn;

namespace FaceFunctions.Cli.Commands;

/// <summary>
/// Options several commands share, defined once so they read the same everywhere; their ranges are the core's
/// (<see cref="DetectionOptions"/>, <see cref="InferenceOptions"/>), checked when the command builds its options.
/// </summary>
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

    public static Option<CropBorder> Border() => new("--border")
    {
        Description = "What R-Net and O-Net see past the photo's edge: Zero (black, the MTCNN authors' way) or Clamp (facenet-pytorch's)",
        DefaultValueFactory = _ => CropBorder.Zero,
    };

    public static Option<ExecutionProvider> Provider() => new("--provider")
    {
        Description = "Where the networks run: auto, cpu or cuda",
        DefaultValueFactory = _ => ExecutionProvider.Auto,
    };

    /// <summary>
    /// A many-valued argument swallows unknown "--options" as values; report them as the usage errors they are
    /// (a file that really starts with "--" can still be given as ./--name).
    /// </summary>
    public static void RejectUnknownOptions(ArgumentResult result)
    {
        foreach (var token in result.Tokens)
        {
            if (token.Value.StartsWith('-') && token.Value.Length > 1 && !File.Exists(token.Value))
            {
                result.AddError($"Unknown option '{token.Value}'.");
            }
        }
    }

    public static Option<string?> JsonLines() => new("--jsonl")
    {
        Description = "Also write one JSON line per photo to PATH, or to stdout with '-' (then nothing else goes to stdout)",
    };
}
