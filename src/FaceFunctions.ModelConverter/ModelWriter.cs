using System.Security.Cryptography;
using System.Text;

namespace FaceFunctions.ModelConverter;

/// <summary>Converts the three networks and writes them with a SHA256SUMS file in sha256sum's format.</summary>
internal static class ModelWriter
{
    public const string ChecksumFileName = "SHA256SUMS";

    /// <returns>The lines of SHA256SUMS, one per model written.</returns>
    public static IReadOnlyList<string> WriteModels(string? tfliteDirectory, string outputDirectory)
    {
        var tflite = tfliteDirectory is null ? FromTemporaryNpmPack() : TfliteFiles.FromDirectory(tfliteDirectory);
        // Convert all three before writing anything, so a bad input leaves an existing models folder untouched.
        var models = MtcnnNetwork.All.Select(n => (Network: n, Onnx: MtcnnConverter.Convert(n, tflite[n.Name]))).ToArray();
        Directory.CreateDirectory(outputDirectory);
        var sums = new List<string>();
        foreach (var (network, onnx) in models)
        {
            File.WriteAllBytes(Path.Combine(outputDirectory, network.OnnxFileName), onnx);
            sums.Add($"{Convert.ToHexStringLower(SHA256.HashData(onnx))}  {network.OnnxFileName}");
        }

        File.WriteAllText(Path.Combine(outputDirectory, ChecksumFileName), string.Join('\n', sums) + "\n", new UTF8Encoding(false));
        return sums;
    }

    private static IReadOnlyDictionary<string, byte[]> FromTemporaryNpmPack()
    {
        var work = Directory.CreateTempSubdirectory("facefunctions-npm-");
        try
        {
            return TfliteFiles.FromNpm(work.FullName);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}
