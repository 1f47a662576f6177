using FaceFunctions.ModelConverter.Tflite;

namespace FaceFunctions.ModelConverter.Graph;

/// <summary>
/// One layer of an MTCNN network as the recogniser found it in the TFLite graph, still in TFLite's layout
/// (NHWC activations of the transposed image). <see cref="Input"/> and <see cref="Output"/> are TFLite tensor indices.
/// </summary>
internal abstract record Layer(int Input, int Output);

/// <summary>CONV_2D without fused activation; <paramref name="Weights"/> is OHWI.</summary>
internal sealed record ConvLayer(int Input, int Output, TfliteTensor Weights, TfliteTensor Bias, Conv2DOptions Options)
    : Layer(Input, Output);

/// <summary>PReLU (stored decomposed as RELU, NEG, RELU, NEG, MUL, ADD); one slope per channel.</summary>
internal sealed record PReluLayer(int Input, int Output, TfliteTensor Alpha) : Layer(Input, Output);

internal sealed record MaxPoolLayer(int Input, int Output, Pool2DOptions Options) : Layer(Input, Output);

/// <summary>
/// FULLY_CONNECTED; <paramref name="Weights"/> is [out, in]. When the input is 4-D, "in" enumerates it in
/// TFLite's (row, column, channel) order of the transposed image.
/// </summary>
internal sealed record DenseLayer(int Input, int Output, TfliteTensor Weights, TfliteTensor Bias) : Layer(Input, Output);

/// <summary>Softmax over the channel axis (stored decomposed as REDUCE_MAX, SUB, EXP, SUM, DIV).</summary>
internal sealed record SoftmaxLayer(int Input, int Output) : Layer(Input, Output);
