using Google.Protobuf;
using Onnx;
using Xunit.Abstractions;

namespace FaceFunctions.ModelConverter.Tests;

/// <summary>
/// The numerical check must bite: the committed models with their conv kernels' spatial axes swapped back
/// (the transposition not baked in) must fail it.
/// </summary>
[Collection(TflitePackageCollection.Name)]
public sealed class BrokenConversionTests(TflitePackageFixture package, ITestOutputHelper output)
{
    [Theory]
    [InlineData("pnet", 2, 17, 14)]
    [InlineData("rnet", 2, 24, 24)]
    [InlineData("onet", 2, 48, 48)]
    public void Unswapped_kernels_fail_the_numerical_check(string network, int batch, int height, int width)
    {
        var broken = WithUnswappedKernels(File.ReadAllBytes(RepositoryPaths.Of("models", $"{network}.onnx")));

        var result = NetworkComparison.Compare(broken, package.Files[network], batch, height, width, seed: 7);

        var worst = result.MaxAbsDifference.Values.Max();
        output.WriteLine($"{network} with unswapped kernels: max |onnx - tflite| = {worst:E2}");
        Assert.True(worst > 100 * NumericalEquivalenceTests.Tolerance, $"The check missed a broken {network}: max difference only {worst}.");
    }

    // Swaps the last two axes of every Conv weight, undoing the converter's x↔y swap.
    private static byte[] WithUnswappedKernels(byte[] onnx)
    {
        var model = ModelProto.Parser.ParseFrom(onnx);
        var weightNames = model.Graph.Node.Where(n => n.OpType == "Conv").Select(n => n.Input[1]).ToHashSet();
        foreach (var tensor in model.Graph.Initializer.Where(t => weightNames.Contains(t.Name)))
        {
            var (outer, h, w) = ((int)(tensor.Dims[0] * tensor.Dims[1]), (int)tensor.Dims[2], (int)tensor.Dims[3]);
            var data = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray();
            var swapped = new float[data.Length];
            for (var k = 0; k < outer; k++)
            {
                for (var y = 0; y < h; y++)
                {
                    for (var x = 0; x < w; x++)
                    {
                        swapped[(((k * w) + x) * h) + y] = data[(((k * h) + y) * w) + x];
                    }
                }
            }

            tensor.RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(swapped.AsSpan()));
        }

        return model.ToByteArray();
    }
}
