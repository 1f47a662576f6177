using FaceFunctions.ModelConverter.Graph;
using FaceFunctions.ModelConverter.Tflite;
using Google.Protobuf;
using Onnx;

namespace FaceFunctions.ModelConverter.Onnx;

/// <summary>
/// Writes recognised MTCNN layers as an ONNX model over the upright NCHW image. The output is a pure function
/// of the input file: fixed producer, no timestamps, nodes in the TFLite operator order, names taken from the
/// TFLite tensors, so every run writes the same bytes.
/// </summary>
internal static class OnnxModelWriter
{
    private const string ProducerName = "FaceFunctions.ModelConverter";
    private const string ProducerVersion = "1";

    // Opset 13 is the first where Softmax normalises a single axis.
    private const long Opset = 13;

    // IR version 7 is the one that goes with opset 13.
    private const long IrVersion = 7;

    private const int FloatType = (int)TensorProto.Types.DataType.Float;

    public static byte[] Write(MtcnnNetwork network, TfliteModel model, IReadOnlyList<Layer> layers)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(layers);

        // A fully convolutional net (no dense layer) takes any image size: its spatial axes become dynamic.
        var dynamicSize = !layers.OfType<DenseLayer>().Any();
        var names = ValueNames(model, layers);
        var graph = new GraphProto { Name = network.Name };
        foreach (var layer in layers)
        {
            AddLayer(graph, model, layer, names, dynamicSize);
        }

        var input = model.Tensors[model.Inputs.Single()];
        graph.Input.Add(ValueInfo("input", input.Shape, dynamicSize));
        foreach (var output in model.Outputs.OrderBy(o => OutputOrder(names[o])))
        {
            graph.Output.Add(ValueInfo(names[output], model.Tensors[output].Shape, dynamicSize));
        }

        var onnx = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = ProducerName,
            ProducerVersion = ProducerVersion,
            DocString = $"{network.Title}, converted from {network.TfliteFileName} (sha256 {network.TfliteSha256}) "
                + $"of the npm package {NpmPackage.Spec}. Input: upright RGB NCHW, (v - 127.5) / 128.",
            Graph = graph,
        };
        onnx.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = Opset });
        return onnx.ToByteArray();
    }

    /// <summary>The graph input is "input"; outputs are named by role: "prob" (softmax), "reg" (4), "landmarks" (10).</summary>
    private static Dictionary<int, string> ValueNames(TfliteModel model, IReadOnlyList<Layer> layers)
    {
        var names = model.Tensors.Select((t, i) => (t, i)).ToDictionary(p => p.i, p => p.t.Name);
        names[model.Inputs.Single()] = "input";
        var softmaxOutputs = layers.OfType<SoftmaxLayer>().Select(s => s.Output).ToHashSet();
        foreach (var output in model.Outputs)
        {
            names[output] = (softmaxOutputs.Contains(output), model.Tensors[output].Shape[^1]) switch
            {
                (true, 2) => "prob",
                (false, 4) => "reg",
                (false, 10) => "landmarks",
                var other => throw new InvalidDataException($"Output '{model.Tensors[output].Name}' ({other}) is none of prob, reg, landmarks."),
            };
        }

        return names;
    }

    private static int OutputOrder(string name) => Array.IndexOf(["prob", "reg", "landmarks"], name);

    private static void AddLayer(GraphProto graph, TfliteModel model, Layer layer, Dictionary<int, string> names, bool dynamicSize)
    {
        var input = names[layer.Input];
        var output = names[layer.Output];
        var inputShape = model.Tensors[layer.Input].Shape;
        switch (layer)
        {
            case ConvLayer conv:
            {
                var (kernel, dims) = WeightTransposer.ConvKernel(conv.Weights.FloatData, conv.Weights.Shape);
                var node = Node("Conv", output, input, Initializer(graph, conv.Weights.Name, kernel, dims), Initializer(graph, conv.Bias.Name, conv.Bias.FloatData, [conv.Bias.Shape[0]]));
                // Kernel [O, kh, kw, I]: kh runs along transposed rows = upright x, kw along upright y.
                AddWindow(node, conv.Options.Padding, (conv.Weights.Shape[2], conv.Weights.Shape[1]), (conv.Options.StrideW, conv.Options.StrideH), inputShape, dynamicSize);
                graph.Node.Add(node);
                break;
            }

            case MaxPoolLayer pool:
            {
                var node = Node("MaxPool", output, input);
                AddWindow(node, pool.Options.Padding, (pool.Options.FilterWidth, pool.Options.FilterHeight), (pool.Options.StrideW, pool.Options.StrideH), inputShape, dynamicSize);
                graph.Node.Add(node);
                break;
            }

            case PReluLayer prelu:
            {
                // ONNX broadcasts from the right: on NCHW the slope must be [C, 1, 1] to line up with channels.
                long[] slopeDims = inputShape.Length == 4 ? [prelu.Alpha.Shape[0], 1, 1] : [prelu.Alpha.Shape[0]];
                graph.Node.Add(Node("PRelu", output, input, Initializer(graph, prelu.Alpha.Name, prelu.Alpha.FloatData, slopeDims)));
                break;
            }

            case DenseLayer dense:
            {
                var weights = dense.Weights.FloatData;
                var gemmInput = input;
                if (inputShape.Length == 4)
                {
                    weights = WeightTransposer.DenseInputColumns(weights, dense.Weights.Shape[0], inputShape);
                    gemmInput = $"{output}/flatten";
                    graph.Node.Add(Node("Flatten", gemmInput, input));
                }

                var node = Node("Gemm", output, gemmInput,
                    Initializer(graph, dense.Weights.Name, weights, [dense.Weights.Shape[0], dense.Weights.Shape[1]]),
                    Initializer(graph, dense.Bias.Name, dense.Bias.FloatData, [dense.Bias.Shape[0]]));
                node.Attribute.Add(new AttributeProto { Name = "transB", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
                graph.Node.Add(node);
                break;
            }

            case SoftmaxLayer:
            {
                // TFLite normalises its last axis (channels, NHWC); in NCHW and [N, C] that is axis 1.
                var node = Node("Softmax", output, input);
                node.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
                graph.Node.Add(node);
                break;
            }

            default:
                throw new NotSupportedException($"No ONNX mapping for {layer.GetType().Name}.");
        }
    }

    /// <summary>
    /// Kernel, strides and explicit pads for Conv and MaxPool, given as (upright y, upright x) pairs. The input
    /// shape is TFLite's transposed NHWC: dimension 1 runs along upright x, dimension 2 along upright y.
    /// </summary>
    private static void AddWindow(NodeProto node, TflitePadding padding, (int Y, int X) kernel, (int Y, int X) stride, int[] transposedShape, bool dynamicSize)
    {
        var (top, bottom) = SamePadding.Pads(padding, kernel.Y, stride.Y, dynamicSize ? null : transposedShape[2]);
        var (left, right) = SamePadding.Pads(padding, kernel.X, stride.X, dynamicSize ? null : transposedShape[1]);
        node.Attribute.Add(Ints("kernel_shape", kernel.Y, kernel.X));
        node.Attribute.Add(Ints("strides", stride.Y, stride.X));
        node.Attribute.Add(Ints("pads", top, left, bottom, right));
    }

    private static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.Add(values);
        return attribute;
    }

    private static NodeProto Node(string opType, string output, params string[] inputs)
    {
        var node = new NodeProto { OpType = opType, Name = output };
        node.Input.Add(inputs);
        node.Output.Add(output);
        return node;
    }

    private static string Initializer(GraphProto graph, string name, float[] data, long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = FloatType };
        tensor.Dims.Add(dims);
        // raw_data is little-endian float32, the layout of the array on every platform .NET runs ONNX on.
        tensor.RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()));
        graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>
    /// Value info for the graph input or an output. <paramref name="transposedShape"/> is the TFLite shape: 4-D
    /// NHWC over the transposed image becomes upright NCHW [N, C, cols, rows]; 2-D stays [N, C]. The batch is
    /// always dynamic, the spatial axes when <paramref name="dynamicSize"/>.
    /// </summary>
    private static ValueInfoProto ValueInfo(string name, int[] transposedShape, bool dynamicSize)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(Dim("N"));
        shape.Dim.Add(Dim(transposedShape[^1]));
        if (transposedShape.Length == 4)
        {
            var suffix = name == "input" ? string.Empty : "_out";
            shape.Dim.Add(dynamicSize ? Dim("H" + suffix) : Dim(transposedShape[2]));
            shape.Dim.Add(dynamicSize ? Dim("W" + suffix) : Dim(transposedShape[1]));
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = FloatType, Shape = shape } },
        };
    }

    private static TensorShapeProto.Types.Dimension Dim(string symbol) => new() { DimParam = symbol };

    private static TensorShapeProto.Types.Dimension Dim(long value) => new() { DimValue = value };
}
