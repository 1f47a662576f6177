namespace FaceFunctions.ModelConverter;

/// <summary>The converter's command line: <c>[--tflite-dir DIR] [--out DIR]</c>.</summary>
internal sealed record ConverterArguments(string? TfliteDirectory, string OutputDirectory)
{
    public const string Usage = "usage: FaceFunctions.ModelConverter [--tflite-dir DIR] [--out DIR (default: models)]";

    public static ConverterArguments Parse(IReadOnlyList<string> args)
    {
        string? tfliteDirectory = null;
        var output = "models";
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value. {Usage}");
            switch (args[i])
            {
                case "--tflite-dir":
                    tfliteDirectory = value;
                    break;
                case "--out":
                    output = value;
                    break;
                default:
                    throw new ArgumentException($"Unknown argument '{args[i]}'. {Usage}");
            }

            i++;
        }

        return new ConverterArguments(tfliteDirectory, output);
    }
}
