using FaceFunctions.ModelConverter.Tflite;

namespace FaceFunctions.ModelConverter.Tests;

/// <summary>
/// A deliberately naive TFLite interpreter: it runs the raw operators of the file one by one, in TFLite's own
/// layout (NHWC over the transposed image), with plain loops. It shares nothing with the converter but the
/// FlatBuffer reader, so agreement with ONNX Runtime on the converted models checks the layer fusion, the
/// weight transposition and the padding independently.
/// </summary>
internal sealed class TfliteReferenceInterpreter(TfliteModel model)
{
    /// <summary>A dense row-major tensor.</summary>
    internal sealed record Tensor(float[] Data, int[] Shape)
    {
        public int Size => Shape.Aggregate(1, (a, b) => a * b);
    }

    /// <summary>Runs one sample. <paramref name="input"/> is NHWC [1, rows, cols, 3]; returns the graph outputs by tensor index.</summary>
    public IReadOnlyDictionary<int, Tensor> Run(Tensor input)
    {
        var values = new Dictionary<int, Tensor> { [model.Inputs.Single()] = input };
        foreach (var op in model.Operators)
        {
            values[op.Outputs[0]] = Execute(op, values);
        }

        return model.Outputs.ToDictionary(o => o, o => values[o]);
    }

    private Tensor Execute(TfliteOperator op, Dictionary<int, Tensor> values)
    {
        Tensor In(int k) => values.TryGetValue(op.Inputs[k], out var t) ? t : Constant(op.Inputs[k]);
        return op.Code switch
        {
            BuiltinOperator.Conv2D => Conv(In(0), In(1), In(2), (Conv2DOptions)op.Options!),
            BuiltinOperator.MaxPool2D => MaxPool(In(0), (Pool2DOptions)op.Options!),
            BuiltinOperator.FullyConnected => FullyConnected(In(0), In(1), In(2)),
            BuiltinOperator.Relu => Map(In(0), v => Math.Max(v, 0f)),
            BuiltinOperator.Neg => Map(In(0), v => -v),
            BuiltinOperator.Exp => Map(In(0), MathF.Exp),
            BuiltinOperator.Add => Broadcast(In(0), In(1), (a, b) => a + b),
            BuiltinOperator.Sub => Broadcast(In(0), In(1), (a, b) => a - b),
            BuiltinOperator.Mul => Broadcast(In(0), In(1), (a, b) => a * b),
            BuiltinOperator.Div => Broadcast(In(0), In(1), (a, b) => a / b),
            BuiltinOperator.Sum => Reduce(In(0), model.Tensors[op.Inputs[1]].IntData.Single(), 0f, (a, b) => a + b),
            BuiltinOperator.ReduceMax => Reduce(In(0), model.Tensors[op.Inputs[1]].IntData.Single(), float.NegativeInfinity, Math.Max),
            _ => throw new NotSupportedException(op.Code.ToString()),
        };
    }

    private Tensor Constant(int index) => new(model.Tensors[index].FloatData, model.Tensors[index].Shape);

    // TF SAME: output ceil(n / stride); the padding before is half the total, rounded down.
    private static (int Out, int PadBefore) Window(TflitePadding padding, int n, int kernel, int stride)
    {
        if (padding == TflitePadding.Valid)
        {
            return (((n - kernel) / stride) + 1, 0);
        }

        var output = (n + stride - 1) / stride;
        return (output, Math.Max(((output - 1) * stride) + kernel - n, 0) / 2);
    }

    private static Tensor Conv(Tensor x, Tensor w, Tensor bias, Conv2DOptions o)
    {
        var (rows, cols, channels) = (x.Shape[1], x.Shape[2], x.Shape[3]);
        var (outChannels, kh, kw) = (w.Shape[0], w.Shape[1], w.Shape[2]);
        var (outRows, padTop) = Window(o.Padding, rows, kh, o.StrideH);
        var (outCols, padLeft) = Window(o.Padding, cols, kw, o.StrideW);
        var y = new float[outRows * outCols * outChannels];
        for (var r = 0; r < outRows; r++)
        {
            for (var c = 0; c < outCols; c++)
            {
                for (var oc = 0; oc < outChannels; oc++)
                {
                    double sum = bias.Data[oc];
                    for (var i = 0; i < kh; i++)
                    {
                        for (var j = 0; j < kw; j++)
                        {
                            var (sr, sc) = ((r * o.StrideH) + i - padTop, (c * o.StrideW) + j - padLeft);
                            if (sr < 0 || sr >= rows || sc < 0 || sc >= cols)
                            {
                                continue;
                            }

                            for (var ic = 0; ic < channels; ic++)
                            {
                                sum += x.Data[(((sr * cols) + sc) * channels) + ic] * w.Data[(((((oc * kh) + i) * kw) + j) * channels) + ic];
                            }
                        }
                    }

                    y[(((r * outCols) + c) * outChannels) + oc] = (float)sum;
                }
            }
        }

        return new Tensor(y, [1, outRows, outCols, outChannels]);
    }

    private static Tensor MaxPool(Tensor x, Pool2DOptions o)
    {
        var (rows, cols, channels) = (x.Shape[1], x.Shape[2], x.Shape[3]);
        var (outRows, padTop) = Window(o.Padding, rows, o.FilterHeight, o.StrideH);
        var (outCols, padLeft) = Window(o.Padding, cols, o.FilterWidth, o.StrideW);
        var y = new float[outRows * outCols * channels];
        for (var r = 0; r < outRows; r++)
        {
            for (var c = 0; c < outCols; c++)
            {
                for (var ch = 0; ch < channels; ch++)
                {
                    var max = float.NegativeInfinity;
                    for (var i = 0; i < o.FilterHeight; i++)
                    {
                        for (var j = 0; j < o.FilterWidth; j++)
                        {
                            var (sr, sc) = ((r * o.StrideH) + i - padTop, (c * o.StrideW) + j - padLeft);
                            if (sr >= 0 && sr < rows && sc >= 0 && sc < cols)
                            {
                                max = Math.Max(max, x.Data[(((sr * cols) + sc) * channels) + ch]);
                            }
                        }
                    }

                    y[(((r * outCols) + c) * channels) + ch] = max;
                }
            }
        }

        return new Tensor(y, [1, outRows, outCols, channels]);
    }

    // TFLite's FULLY_CONNECTED flattens its input in memory order, whatever the rank.
    private static Tensor FullyConnected(Tensor x, Tensor w, Tensor bias)
    {
        var (outputs, inputs) = (w.Shape[0], w.Shape[1]);
        var y = new float[outputs];
        for (var n = 0; n < outputs; n++)
        {
            double sum = bias.Data[n];
            for (var i = 0; i < inputs; i++)
            {
                sum += x.Data[i] * w.Data[(n * inputs) + i];
            }

            y[n] = (float)sum;
        }

        return new Tensor(y, [1, outputs]);
    }

    private static Tensor Map(Tensor x, Func<float, float> f) => new(x.Data.Select(f).ToArray(), x.Shape);

    // NumPy broadcasting: shapes align from the right; a dimension of 1 (or a missing one) repeats.
    private static Tensor Broadcast(Tensor a, Tensor b, Func<float, float, float> f)
    {
        var rank = Math.Max(a.Shape.Length, b.Shape.Length);
        var sa = Pad(a.Shape, rank);
        var sb = Pad(b.Shape, rank);
        var shape = sa.Zip(sb, Math.Max).ToArray();
        var result = new Tensor(new float[shape.Aggregate(1, (p, d) => p * d)], shape);
        var index = new int[rank];
        for (var flat = 0; flat < result.Data.Length; flat++)
        {
            var rest = flat;
            for (var d = rank - 1; d >= 0; d--)
            {
                index[d] = rest % shape[d];
                rest /= shape[d];
            }

            result.Data[flat] = f(a.Data[Offset(index, sa)], b.Data[Offset(index, sb)]);
        }

        return result;
    }

    private static int[] Pad(int[] shape, int rank) => [.. Enumerable.Repeat(1, rank - shape.Length), .. shape];

    private static int Offset(int[] index, int[] shape)
    {
        var offset = 0;
        for (var d = 0; d < shape.Length; d++)
        {
            offset = (offset * shape[d]) + (shape[d] == 1 ? 0 : index[d]);
        }

        return offset;
    }

    // The MTCNN files reduce only their last axis and keep it as a dimension of 1.
    private static Tensor Reduce(Tensor x, int axis, float seed, Func<float, float, float> f)
    {
        Assert.Equal(x.Shape.Length - 1, axis < 0 ? axis + x.Shape.Length : axis);
        var length = x.Shape[axis];
        var count = x.Size / length;
        var y = new float[count];
        for (var i = 0; i < count; i++)
        {
            var acc = seed;
            for (var k = 0; k < length; k++)
            {
                acc = f(acc, x.Data[(i * length) + k]);
            }

            y[i] = acc;
        }

        return new Tensor(y, [.. x.Shape[..^1], 1]);
    }
}
