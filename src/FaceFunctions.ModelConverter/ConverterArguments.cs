namespace FaceFunctions.ModelConverter;

/// <summary>The converter's command line: <c>[--tflite-dir DIR] [--out DIR]</c>.</summary>
internal sealed record ConverterArguments(string? TfliteDirectory, string OutputDirectory)
{
    public const string Usage = "usage: FaceFunctions.ModelConverter [--tflite-dir DIR] [--out DIR (default: models)]";

    public static ConverterArguments Parse(IReadOnlyList<string> args)
    {
        string? tfliteDirectory = null;
        var output = "models";
        for (var i = 0; i < args.Count; i += 2)
        {
            if (args[i] is not ("--tflite-dir" or "--out"))
            {
                throw new ArgumentException($"Unknown argument '{args[i]}'. {Usage}");
            }

            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value. {Usage}");
            if (args[i] == "--out")
            {
                output = value;
            }
            else
            {
                tfliteDirectory = value;
            }
        }

        return new ConverterArguments(tfliteDirectory, output);
    }
}
