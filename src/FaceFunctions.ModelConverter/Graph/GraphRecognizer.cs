using FaceFunctions.ModelConverter.Tflite;

namespace FaceFunctions.ModelConverter.Graph;

/// <summary>
/// Turns the TFLite operator list into MTCNN layers: fuses the decomposed PReLU and Softmax patterns back into
/// single layers and maps CONV_2D, MAX_POOL_2D and FULLY_CONNECTED one to one. Anything else is rejected, so a
/// file with an unexpected structure fails loudly instead of converting into a wrong model.
/// </summary>
internal static class GraphRecognizer
{
    private static readonly BuiltinOperator[] PReluPattern =
        [BuiltinOperator.Relu, BuiltinOperator.Neg, BuiltinOperator.Relu, BuiltinOperator.Neg, BuiltinOperator.Mul, BuiltinOperator.Add];

    private static readonly BuiltinOperator[] SoftmaxPattern =
        [BuiltinOperator.ReduceMax, BuiltinOperator.Sub, BuiltinOperator.Exp, BuiltinOperator.Sum, BuiltinOperator.Div];

    public static IReadOnlyList<Layer> Recognize(TfliteModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var layers = new List<Layer>();
        var ops = model.Operators;
        var i = 0;
        while (i < ops.Count)
        {
            if (TryPRelu(model, i) is { } prelu)
            {
                layers.Add(prelu);
                i += PReluPattern.Length;
            }
            else if (TrySoftmax(model, i) is { } softmax)
            {
                layers.Add(softmax);
                i += SoftmaxPattern.Length;
            }
            else
            {
                layers.Add(Single(model, i));
                i++;
            }
        }

        return layers;
    }

    private static Layer Single(TfliteModel model, int index)
    {
        var op = model.Operators[index];
        switch (op.Code, op.Options)
        {
            case (BuiltinOperator.Conv2D, Conv2DOptions options) when op.Inputs.Length == 3:
                RequireNoActivation(options.FusedActivation, index);
                return new ConvLayer(op.Inputs[0], op.Outputs[0], Constant(model, op.Inputs[1]), Constant(model, op.Inputs[2]), options);
            case (BuiltinOperator.MaxPool2D, Pool2DOptions options):
                RequireNoActivation(options.FusedActivation, index);
                return new MaxPoolLayer(op.Inputs[0], op.Outputs[0], options);
            case (BuiltinOperator.FullyConnected, _) when op.Inputs.Length == 3:
                // FULLY_CONNECTED's options (fused activation) are not read: in these files the activation
                // is always a separate PReLU or Softmax, and the numerical tests would catch a fused one.
                return new DenseLayer(op.Inputs[0], op.Outputs[0], Constant(model, op.Inputs[1]), Constant(model, op.Inputs[2]));
            default:
                throw new NotSupportedException(
                    $"Operator #{index} ({op.Code}) is not part of a recognised MTCNN layer (conv, max pool, dense, PReLU, softmax).");
        }
    }

    // relu(x) + alpha * neg(relu(neg(x))) = relu(x) - alpha * relu(-x), which is PReLU with slope alpha.
    private static PReluLayer? TryPRelu(TfliteModel model, int start)
    {
        if (!Matches(model, start, PReluPattern))
        {
            return null;
        }

        var ops = model.Operators;
        var (relu, neg, reluOfNeg, negOfRelu, mul, add) = (ops[start], ops[start + 1], ops[start + 2], ops[start + 3], ops[start + 4], ops[start + 5]);
        var x = relu.Inputs[0];
        var alphaIndex = mul.Inputs.FirstOrDefault(t => t != negOfRelu.Outputs[0], -1);
        var flows = neg.Inputs[0] == x
            && reluOfNeg.Inputs[0] == neg.Outputs[0]
            && negOfRelu.Inputs[0] == reluOfNeg.Outputs[0]
            && mul.Inputs.Contains(negOfRelu.Outputs[0])
            && add.Inputs.Order().SequenceEqual(new[] { relu.Outputs[0], mul.Outputs[0] }.Order());
        if (!flows || alphaIndex < 0 || !model.Tensors[alphaIndex].IsConstant || model.Tensors[alphaIndex].Shape.Length != 1)
        {
            return null;
        }

        return new PReluLayer(x, add.Outputs[0], model.Tensors[alphaIndex]);
    }

    // exp(x - max(x)) / sum(exp(x - max(x))), both reductions over the last (channel) axis.
    private static SoftmaxLayer? TrySoftmax(TfliteModel model, int start)
    {
        if (!Matches(model, start, SoftmaxPattern))
        {
            return null;
        }

        var ops = model.Operators;
        var (max, sub, exp, sum, div) = (ops[start], ops[start + 1], ops[start + 2], ops[start + 3], ops[start + 4]);
        var x = max.Inputs[0];
        var lastAxis = model.Tensors[x].Shape.Length - 1;
        var flows = sub.Inputs.SequenceEqual([x, max.Outputs[0]])
            && exp.Inputs[0] == sub.Outputs[0]
            && sum.Inputs[0] == exp.Outputs[0]
            && div.Inputs.SequenceEqual([exp.Outputs[0], sum.Outputs[0]])
            && IsAxis(model, max.Inputs[1], lastAxis)
            && IsAxis(model, sum.Inputs[1], lastAxis);
        return flows ? new SoftmaxLayer(x, div.Outputs[0]) : null;
    }

    private static bool Matches(TfliteModel model, int start, BuiltinOperator[] pattern) =>
        start + pattern.Length <= model.Operators.Count
        && pattern.Select((code, k) => model.Operators[start + k].Code == code).All(match => match);

    private static bool IsAxis(TfliteModel model, int tensor, int axis) =>
        model.Tensors[tensor] is { IsConstant: true, Type: TfliteTensorType.Int32 } t && t.IntData is [var a] && (a == axis || a == -1);

    private static TfliteTensor Constant(TfliteModel model, int index) =>
        model.Tensors[index] is { IsConstant: true, Type: TfliteTensorType.Float32 } t
            ? t
            : throw new InvalidDataException($"Tensor #{index} ('{model.Tensors[index].Name}') should be a float32 constant.");

    private static void RequireNoActivation(int fusedActivation, int index)
    {
        if (fusedActivation != 0)
        {
            throw new NotSupportedException($"Operator #{index} has a fused activation ({fusedActivation}); MTCNN's files have none.");
        }
    }
}
