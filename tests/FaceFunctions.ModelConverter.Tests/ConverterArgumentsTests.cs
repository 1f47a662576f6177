namespace FaceFunctions.ModelConverter.Tests;

public sealed class ConverterArgumentsTests
{
    [Fact]
    public void Defaults_to_npm_and_the_models_folder() =>
        Assert.Equal(new ConverterArguments(null, "models"), ConverterArguments.Parse([]));

    [Fact]
    public void Reads_both_options() =>
        Assert.Equal(new ConverterArguments("in", "out"), ConverterArguments.Parse(["--out", "out", "--tflite-dir", "in"]));

    [Theory]
    [InlineData("--tflite-dir")]
    [InlineData("--bogus", "x")]
    public void Bad_arguments_explain_the_usage(params string[] args) =>
        Assert.Contains("usage:", Assert.Throws<ArgumentException>(() => ConverterArguments.Parse(args)).Message, StringComparison.Ordinal);
}
