namespace FaceFunctions.ModelConverter.Tflite;

/// <summary>The TFLite builtin operator codes the MTCNN files use (values from TFLite's schema).</summary>
internal enum BuiltinOperator
{
    Add = 0,
    Conv2D = 3,
    FullyConnected = 9,
    MaxPool2D = 17,
    Mul = 18,
    Relu = 19,
    Sub = 41,
    Div = 42,
    Exp = 47,
    Neg = 59,
    Sum = 74,
    ReduceMax = 82,
}

/// <summary>TFLite's padding modes; SAME puts the odd extra pixel at the end of each axis.</summary>
internal enum TflitePadding
{
    Same = 0,
    Valid = 1,
}
