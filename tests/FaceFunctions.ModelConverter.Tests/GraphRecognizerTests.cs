using FaceFunctions.ModelConverter.Graph;
using FaceFunctions.ModelConverter.Tflite;

namespace FaceFunctions.ModelConverter.Tests;

[Collection(TflitePackageCollection.Name)]
public sealed class GraphRecognizerTests(TflitePackageFixture package)
{
    [Theory]
    [InlineData("pnet", "Conv PRelu MaxPool Conv PRelu Conv PRelu Conv Conv Softmax")]
    [InlineData("rnet", "Conv PRelu MaxPool Conv PRelu MaxPool Conv PRelu Dense PRelu Dense Dense Softmax")]
    [InlineData("onet", "Conv PRelu MaxPool Conv PRelu MaxPool Conv PRelu MaxPool Conv PRelu Dense PRelu Dense Dense Dense Softmax")]
    public void Fuses_prelu_and_softmax_into_the_mtcnn_layers(string network, string expected)
    {
        var layers = GraphRecognizer.Recognize(TfliteReader.Read(package.Files[network]));

        Assert.Equal(expected, string.Join(' ', layers.Select(l => l.GetType().Name.Replace("Layer", string.Empty, StringComparison.Ordinal))));
    }

    [Fact]
    public void Reads_operator_codes_from_the_deprecated_byte()
    {
        var model = TfliteReader.Read(package.Files["pnet"]);

        // Were builtin_code read alone, every operator would be ADD (0).
        Assert.Equal(BuiltinOperator.Conv2D, model.Operators[0].Code);
        Assert.Equal([1, 1280, 960, 3], model.Tensors[model.Inputs.Single()].Shape);
    }

    [Fact]
    public void A_file_that_is_not_tflite_is_refused() =>
        Assert.Throws<InvalidDataException>(() => TfliteReader.Read(new byte[64]));
}
