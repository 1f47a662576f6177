using System.Security.Cryptography;

namespace FaceFunctions.ModelConverter.Tests;

/// <summary>The committed models are exactly what the converter makes from the npm package.</summary>
[Collection(TflitePackageCollection.Name)]
public sealed class ReproducibleModelsTests(TflitePackageFixture package) : IDisposable
{
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("facefunctions-converter-test-");

    [Fact]
    public void Converter_reproduces_the_committed_models_byte_for_byte()
    {
        var tfliteDir = work.CreateSubdirectory("tflite").FullName;
        foreach (var (name, bytes) in package.Files)
        {
            File.WriteAllBytes(Path.Combine(tfliteDir, $"{name}.tflite"), bytes);
        }

        var outDir = Path.Combine(work.FullName, "models");
        ModelWriter.WriteModels(tfliteDir, outDir);

        foreach (var file in new[] { "pnet.onnx", "rnet.onnx", "onet.onnx", "SHA256SUMS" })
        {
            Assert.True(
                File.ReadAllBytes(RepositoryPaths.Of("models", file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(outDir, file))),
                $"models/{file} differs from the converter's output: re-run the converter (models/README.md) and commit.");
        }
    }

    [Fact]
    public void Sha256sums_holds_for_the_committed_models()
    {
        var lines = File.ReadAllLines(RepositoryPaths.Of("models", "SHA256SUMS"));

        Assert.Equal(["pnet.onnx", "rnet.onnx", "onet.onnx"], lines.Select(l => l[66..]));
        foreach (var line in lines)
        {
            // sha256sum's text format: 64 hex digits, two spaces, the file name.
            Assert.Matches("^[0-9a-f]{64}  [a-z]+\\.onnx$", line);
            var actual = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(RepositoryPaths.Of("models", line[66..]))));
            Assert.Equal(line[..64], actual);
        }
    }

    [Fact]
    public void A_tflite_file_with_another_hash_is_refused_with_both_hashes()
    {
        var altered = package.Files["rnet"].ToArray();
        altered[^1] ^= 1;

        var error = Assert.Throws<InvalidDataException>(() => MtcnnConverter.Convert(MtcnnNetwork.All[1], altered));

        Assert.Contains("rnet.tflite", error.Message, StringComparison.Ordinal);
        Assert.Contains("169c451054b94f85b01924f4946d314389d3eb5cb6c70eb438df86c52fb54c55", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_tflite_file_writes_nothing()
    {
        var tfliteDir = work.CreateSubdirectory("bad-tflite").FullName;
        foreach (var (name, bytes) in package.Files)
        {
            File.WriteAllBytes(Path.Combine(tfliteDir, $"{name}.tflite"), name == "onet" ? bytes[..^1] : bytes);
        }

        var outDir = Path.Combine(work.FullName, "untouched");

        Assert.Throws<InvalidDataException>(() => ModelWriter.WriteModels(tfliteDir, outDir));
        Assert.False(Directory.Exists(outDir));
    }

    public void Dispose() => work.Delete(recursive: true);
}
