namespace FaceFunctions.ModelConverter.Graph;

/// <summary>
/// Bakes MTCNN's legacy x↔y transposition into the weights. The TFLite networks see the transposed image:
/// its rows are the upright image's columns. Swapping the two spatial axes of every conv kernel and permuting
/// the dense layers' input columns makes the same arithmetic run on the upright NCHW image.
/// </summary>
internal static class WeightTransposer
{
    /// <summary>
    /// TFLite OHWI kernel [O, kh, kw, I] over the transposed image → ONNX OIHW [O, I, kw, kh] over the upright
    /// one: the transposed kernel's row axis runs along the upright x axis.
    /// </summary>
    public static (float[] Data, long[] Dims) ConvKernel(float[] ohwi, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(ohwi);
        ArgumentNullException.ThrowIfNull(shape);
        var (o, kh, kw, i) = (shape[0], shape[1], shape[2], shape[3]);
        var oihw = new float[ohwi.Length];
        for (var oc = 0; oc < o; oc++)
        {
            for (var r = 0; r < kh; r++)
            {
                for (var c = 0; c < kw; c++)
                {
                    for (var ic = 0; ic < i; ic++)
                    {
                        // Upright (y, x) = transposed (c, r).
                        oihw[(((oc * i) + ic) * kw + c) * kh + r] = ohwi[(((oc * kh) + r) * kw + c) * i + ic];
                    }
                }
            }
        }

        return (oihw, [o, i, kw, kh]);
    }

    /// <summary>
    /// Dense weights [out, in] whose "in" enumerates the transposed NHWC tensor [1, rows, cols, C] in
    /// (row, col, channel) order → the same weights with "in" in ONNX's Flatten order of the upright NCHW
    /// tensor [N, C, cols, rows], i.e. (channel, y, x) with y = col and x = row.
    /// </summary>
    public static float[] DenseInputColumns(float[] weights, int outputs, int[] transposedInputShape)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(transposedInputShape);
        var (rows, cols, channels) = (transposedInputShape[1], transposedInputShape[2], transposedInputShape[3]);
        var inputs = rows * cols * channels;
        var permuted = new float[weights.Length];
        for (var ch = 0; ch < channels; ch++)
        {
            for (var y = 0; y < cols; y++)
            {
                for (var x = 0; x < rows; x++)
                {
                    var upright = (((ch * cols) + y) * rows) + x;
                    var transposed = (((x * cols) + y) * channels) + ch;
                    for (var n = 0; n < outputs; n++)
                    {
                        permuted[(n * inputs) + upright] = weights[(n * inputs) + transposed];
                    }
                }
            }
        }

        return permuted;
    }
}
