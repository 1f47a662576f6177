using System.Security.Cryptography;
using System.Text;
using FaceFunctions.Detection.Models;
using Microsoft.ML.OnnxRuntime;

namespace FaceFunctions.Detection.Tests.Models;

public sealed class ModelSetTests : IDisposable
{
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("facefunctions-modelset-test-");

    [Fact]
    public void Loads_the_models_copied_to_the_build_output()
    {
        var models = ModelSet.Load();

        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "models"), models.Directory);
        Assert.Equal(Path.Combine(models.Directory, "pnet.onnx"), models.PNetPath);
        Assert.Equal(Path.Combine(models.Directory, "rnet.onnx"), models.RNetPath);
        Assert.Equal(Path.Combine(models.Directory, "onet.onnx"), models.ONetPath);
    }

    [Fact]
    public void Models_id_hashes_the_three_model_hashes_in_order()
    {
        var models = ModelSet.Load();

        var concatenated = string.Concat(new[] { "pnet.onnx", "rnet.onnx", "onet.onnx" }.Select(f => ModelSet.ExpectedSha256[f]));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(concatenated))), models.ModelsId);
        Assert.Matches("^[0-9a-f]{64}$", models.ModelsId);
    }

    [Fact]
    public void Sessions_run_the_three_networks_with_the_contract_shapes()
    {
        var models = ModelSet.Load();
        using var pnet = new InferenceSession(models.PNetPath);
        using var rnet = new InferenceSession(models.RNetPath);
        using var onet = new InferenceSession(models.ONetPath);

        // H' = ceil(17 / 2) - 5 = 4, W' = ceil(20 / 2) - 5 = 5.
        Assert.Equal([[2, 2, 4, 5], [2, 4, 4, 5]], Run(pnet, [2, 3, 17, 20]));
        Assert.Equal([[3, 2], [3, 4]], Run(rnet, [3, 3, 24, 24]));
        Assert.Equal([[1, 2], [1, 4], [1, 10]], Run(onet, [1, 3, 48, 48]));
    }

    [Theory]
    [InlineData("pnet.onnx")]
    [InlineData("onet.onnx")]
    public void A_missing_model_names_the_file_and_the_expected_hash(string fileName)
    {
        var folder = CopyOfModels();
        File.Delete(Path.Combine(folder, fileName));

        var error = Assert.Throws<ModelFileException>(() => ModelSet.Load(folder));

        Assert.Equal(Path.Combine(folder, fileName), error.FilePath);
        Assert.Contains(Path.Combine(folder, fileName), error.Message, StringComparison.Ordinal);
        Assert.Contains(ModelSet.ExpectedSha256[fileName], error.Message, StringComparison.Ordinal);
        Assert.Contains("missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_altered_model_names_the_file_and_the_expected_hash()
    {
        var folder = CopyOfModels();
        var path = Path.Combine(folder, "rnet.onnx");
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<ModelFileException>(() => ModelSet.Load(folder));

        Assert.Equal(ModelSet.ExpectedSha256["rnet.onnx"], error.ExpectedSha256);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(ModelSet.ExpectedSha256["rnet.onnx"], error.Message, StringComparison.Ordinal);
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(bytes)), error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => work.Delete(recursive: true);

    private string CopyOfModels()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "models"), "*.onnx"))
        {
            File.Copy(file, Path.Combine(work.FullName, Path.GetFileName(file)));
        }

        return work.FullName;
    }

    private static long[][] Run(InferenceSession session, long[] shape)
    {
        var data = new float[shape.Aggregate(1L, (a, b) => a * b)];
        using var input = OrtValue.CreateTensorValueFromMemory(data, shape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["input"], [input], session.OutputNames);
        return [.. outputs.Select(o => o.GetTensorTypeAndShape().Shape)];
    }
}
