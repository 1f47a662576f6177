using FaceFunctions.Detection.Mtcnn;

namespace FaceFunctions.Detection.Tests.Mtcnn;

public sealed class PNetArithmeticTests
{
    [Theory]
    [InlineData(4000, 3000, 31.44)] // docs/performance.md: 15 levels, 15.7 GFLOP in the first
    [InlineData(1920, 1080, 5.34)] // 12 levels
    public void Counts_the_pyramids_convolutions_as_docs_performance_states(int width, int height, double gflop)
    {
        double flops = PNetArithmetic.Flops(width, height, DetectionOptions.Default);

        Assert.Equal(gflop, flops / 1e9, 2);
    }

    [Fact]
    public void One_12_by_12_window_is_one_P_Net_cell()
    {
        // conv1 10×10×10×27, pool to 5×5, conv2 3×3×16×90, conv3 1×1×32×144, heads 6×32: multiply-adds × 2.
        double expected = 2.0 * ((100 * 270) + (9 * 1440) + 4608 + 192);

        Assert.Equal(expected, PNetArithmetic.LevelFlops(12, 12));
    }
}
