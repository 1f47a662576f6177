namespace FaceFunctions.ModelConverter.Tflite;

/// <summary>
/// The single subgraph of a TFLite model: its tensors, the operators in execution order, and which tensors
/// are the graph's inputs and outputs.
/// </summary>
internal sealed record TfliteModel(
    IReadOnlyList<TfliteTensor> Tensors,
    IReadOnlyList<TfliteOperator> Operators,
    IReadOnlyList<int> Inputs,
    IReadOnlyList<int> Outputs);

/// <summary>
/// One tensor. <paramref name="Data"/> holds the constant values (weights, biases, reduction axes) and is
/// null for activations. Float32 constants are stored in <see cref="FloatData"/>, int32 ones in <see cref="IntData"/>.
/// </summary>
internal sealed record TfliteTensor(string Name, int[] Shape, TfliteTensorType Type, byte[]? Data)
{
    public bool IsConstant => Data is { Length: > 0 };

    public float[] FloatData => Type == TfliteTensorType.Float32 && Data is not null
        ? System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(Data).ToArray()
        : throw new InvalidDataException($"Tensor '{Name}' holds no float32 constant.");

    public int[] IntData => Type == TfliteTensorType.Int32 && Data is not null
        ? System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(Data).ToArray()
        : throw new InvalidDataException($"Tensor '{Name}' holds no int32 constant.");
}

internal enum TfliteTensorType
{
    Float32 = 0,
    Int32 = 2,
}

/// <summary>One operator: its code, its input and output tensor indices, and its options if it has any we read.</summary>
internal sealed record TfliteOperator(BuiltinOperator Code, int[] Inputs, int[] Outputs, TfliteOptions? Options);

/// <summary>Options of the operators whose options matter for MTCNN.</summary>
internal abstract record TfliteOptions;

internal sealed record Conv2DOptions(TflitePadding Padding, int StrideW, int StrideH, int FusedActivation) : TfliteOptions;

internal sealed record Pool2DOptions(TflitePadding Padding, int StrideW, int StrideH, int FilterWidth, int FilterHeight, int FusedActivation) : TfliteOptions;
