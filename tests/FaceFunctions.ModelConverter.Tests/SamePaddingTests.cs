using FaceFunctions.ModelConverter.Graph;
using FaceFunctions.ModelConverter.Tflite;

namespace FaceFunctions.ModelConverter.Tests;

public sealed class SamePaddingTests
{
    [Theory]
    [InlineData(22, 3, 2, 0, 1)] // R-Net pool1 and O-Net pool1: the odd pixel goes at the end
    [InlineData(9, 3, 2, 1, 1)]
    [InlineData(8, 2, 2, 0, 0)] // O-Net pool3
    [InlineData(9, 2, 2, 0, 1)]
    public void Static_axes_pad_like_tensorflow(int size, int kernel, int stride, int begin, int end) =>
        Assert.Equal((begin, end), SamePadding.Pads(TflitePadding.Same, kernel, stride, size));

    [Fact]
    public void A_dynamic_axis_with_a_2x2_stride_2_window_pads_the_end_by_one() =>
        Assert.Equal((0, 1), SamePadding.Pads(TflitePadding.Same, 2, 2, null));

    [Fact]
    public void A_dynamic_axis_whose_padding_depends_on_the_length_is_refused() =>
        Assert.Throws<NotSupportedException>(() => SamePadding.Pads(TflitePadding.Same, 3, 2, null));

    [Fact]
    public void Valid_never_pads() => Assert.Equal((0, 0), SamePadding.Pads(TflitePadding.Valid, 3, 2, 21));
}
