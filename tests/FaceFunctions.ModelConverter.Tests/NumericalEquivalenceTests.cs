using Xunit.Abstractions;

namespace FaceFunctions.ModelConverter.Tests;

/// <summary>The committed ONNX models compute what the TFLite graphs compute, for every output and several sizes.</summary>
[Collection(TflitePackageCollection.Name)]
public sealed class NumericalEquivalenceTests(TflitePackageFixture package, ITestOutputHelper output)
{
    internal const float Tolerance = 1e-4f;

    public static TheoryData<string, int, int, int> Sizes => new()
    {
        // P-Net takes any size >= 12: odd and even heights and widths, batches > 1.
        { "pnet", 2, 12, 12 },
        { "pnet", 3, 13, 17 },
        { "pnet", 2, 24, 31 },
        { "pnet", 1, 41, 30 },
        { "rnet", 1, 24, 24 },
        { "rnet", 3, 24, 24 },
        { "onet", 1, 48, 48 },
        { "onet", 2, 48, 48 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Onnx_model_matches_the_tflite_graph(string network, int batch, int height, int width)
    {
        var onnx = File.ReadAllBytes(RepositoryPaths.Of("models", $"{network}.onnx"));
        var result = NetworkComparison.Compare(onnx, package.Files[network], batch, height, width, seed: height * 1000 + width);

        foreach (var (name, difference) in result.MaxAbsDifference)
        {
            output.WriteLine($"{network} [{batch},3,{height},{width}] {name}: shape [{string.Join(",", result.OnnxShapes[name])}], max |onnx - tflite| = {difference:E2}");
            Assert.True(difference <= Tolerance, $"{network} {name}: max abs difference {difference} > {Tolerance}");
        }

        Assert.Equal(network == "onet" ? 3 : 2, result.MaxAbsDifference.Count);
        if (network == "pnet")
        {
            // H' = ceil(H / 2) - 5, likewise W'.
            long[] expected = [batch, 2, ((height + 1) / 2) - 5, ((width + 1) / 2) - 5];
            Assert.Equal(expected, result.OnnxShapes["prob"]);
        }
    }
}
