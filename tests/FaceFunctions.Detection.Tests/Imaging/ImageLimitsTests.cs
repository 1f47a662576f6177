using FaceFunctions.Detection.Imaging;

namespace FaceFunctions.Detection.Tests.Imaging;

public sealed class ImageLimitsTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        ImageLimits limits = ImageLimits.Default.Validate();

        Assert.Equal(100, limits.MaxJpegScans);
        Assert.Equal(512, limits.MinBytesPerMegapixel);
        Assert.Equal(1_536, limits.MemoryBudgetMegabytes);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1_048_577)]
    public void A_memory_budget_out_of_range_is_named(int megabytes)
    {
        var limits = new ImageLimits { MemoryBudgetMegabytes = megabytes };

        var error = Assert.Throws<ArgumentException>(() => limits.Validate());

        Assert.Equal(nameof(ImageLimits.MemoryBudgetMegabytes), error.ParamName);
        Assert.Contains("from 0 (off) to 1048576 MB", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1_048_576)]
    public void A_memory_budget_from_off_to_a_tebibyte_is_valid(int megabytes) =>
        new ImageLimits { MemoryBudgetMegabytes = megabytes }.Validate();

    [Theory]
    [InlineData(0, 512, nameof(ImageLimits.MaxJpegScans))]
    [InlineData(10_001, 512, nameof(ImageLimits.MaxJpegScans))]
    [InlineData(100, -1, nameof(ImageLimits.MinBytesPerMegapixel))]
    [InlineData(100, 100_001, nameof(ImageLimits.MinBytesPerMegapixel))]
    public void Out_of_range_values_are_named(int maxJpegScans, int minBytesPerMegapixel, string property)
    {
        var limits = new ImageLimits { MaxJpegScans = maxJpegScans, MinBytesPerMegapixel = minBytesPerMegapixel };

        var error = Assert.Throws<ArgumentException>(() => limits.Validate());

        Assert.Equal(property, error.ParamName);
    }

    [Fact]
    public void A_floor_of_zero_lets_a_bomb_through_to_the_structure_check()
    {
        var loader = new SafeImageLoader(new ImageLimits { MinBytesPerMegapixel = 0 });

        // 167 bytes declaring 10000 × 10000: without the floor, the PNG's data is inflated and found short.
        var error = Assert.Throws<ImageRejectedException>(() => loader.Load(new MemoryStream(TestImages.PngDeclaring(10_000, 10_000))));

        Assert.Equal(ImageErrorCode.Corrupt, error.Code);
        Assert.Contains("rows", error.Message, StringComparison.Ordinal);
    }
}
