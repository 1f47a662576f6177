using FaceFunctions.ModelConverter.Tflite;

namespace FaceFunctions.ModelConverter.Graph;

/// <summary>
/// TensorFlow's padding on one spatial axis as explicit ONNX pads. TF "SAME" makes the output ceil(n / stride)
/// long and, when the total padding is odd, puts the extra pixel at the end.
/// </summary>
internal static class SamePadding
{
    /// <summary>Pads for a window of <paramref name="kernel"/> and <paramref name="stride"/> over an input of <paramref name="size"/> (null: dynamic, as in P-Net).</summary>
    public static (int Begin, int End) Pads(TflitePadding padding, int kernel, int stride, int? size)
    {
        if (padding == TflitePadding.Valid)
        {
            return (0, 0);
        }

        if (size is { } n)
        {
            var output = (n + stride - 1) / stride;
            var total = Math.Max(((output - 1) * stride) + kernel - n, 0);
            return (total / 2, total - (total / 2));
        }

        if (stride == 1)
        {
            // With stride 1 the total padding is kernel - 1 whatever the length.
            var total = kernel - 1;
            return (total / 2, total - (total / 2));
        }

        // On a dynamic axis the pads must suit every length. For kernel <= 2, TF's total padding is 0 or 1 and
        // always at the end; padding the end by kernel - 1 and flooring yields ceil(n / stride) outputs with the
        // same windows, and the extra pad is never read when TF would not have padded.
        return kernel <= 2
            ? (0, kernel - 1)
            : throw new NotSupportedException(
                $"SAME padding with kernel {kernel} and stride {stride} depends on the input length; it cannot be expressed on a dynamic axis.");
    }
}
