using FaceFunctions.Detection.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FaceFunctions.Detection.Tests.Imaging;

/// <summary>Phone photos arrive sideways: all eight EXIF orientations must load to the same upright picture.</summary>
public sealed class OrientationTests
{
    private static readonly SafeImageLoader Loader = new();

    public static TheoryData<int> Orientations => [1, 2, 3, 4, 5, 6, 7, 8];

    [Theory]
    [MemberData(nameof(Orientations))]
    public void Jpeg_with_exif_orientation_loads_upright(int orientation)
    {
        // A non-square crop so that a missing or wrong transposition changes the size, not just pixels.
        using Image<Rgb24> upright = Fixtures.Load(Fixtures.Astronaut);
        upright.Mutate(x => x.Crop(new Rectangle(60, 0, 400, 300)));
        using Image<Rgb24> stored = TestImages.StoredForOrientation(upright, orientation);
        byte[] file = TestImages.Jpeg(stored, quality: 95, orientation: orientation);

        using LoadedImage loaded = Loader.Load(new MemoryStream(file));

        Assert.Equal(orientation, loaded.Orientation);
        Assert.Equal((400, 300), (loaded.Width, loaded.Height));
        Assert.Equal((stored.Width, stored.Height), (loaded.OriginalWidth, loaded.OriginalHeight));
        // Only JPEG noise separates the two: a wrong mapping of a photo gives a difference of tens.
        Assert.InRange(ImageAssert.MeanAbsoluteDifference(upright, loaded.Image), 0.0, 2.5);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    [InlineData(65535)]
    public void Out_of_range_orientation_is_treated_as_upright(int orientation)
    {
        using Image<Rgb24> photo = Fixtures.Load(Fixtures.Chelsea);
        byte[] file = TestImages.Jpeg(photo, orientation: orientation);

        using LoadedImage loaded = Loader.Load(new MemoryStream(file));

        Assert.Equal(1, loaded.Orientation);
        Assert.Equal((451, 300), (loaded.Width, loaded.Height));
    }

    [Theory]
    [InlineData("png")]
    [InlineData("webp")]
    public void Exif_orientation_in_png_and_webp_is_applied(string format)
    {
        using Image<Rgb24> upright = Fixtures.Load(Fixtures.Chelsea);
        using Image<Rgb24> stored = TestImages.StoredForOrientation(upright, 6);
        stored.Metadata.ExifProfile = new ExifProfile();
        stored.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6);
        byte[] file = format == "png"
            ? TestImages.Png(stored)
            : TestImages.Encode(stored, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless });

        using LoadedImage loaded = Loader.Load(new MemoryStream(file));

        Assert.Equal(6, loaded.Orientation);
        ImageAssert.Identical(upright, loaded.Image);
    }

    [Fact]
    public void Truncated_exif_block_is_ignored_not_fatal()
    {
        using Image<Rgb24> photo = Fixtures.Load(Fixtures.Chelsea);
        byte[] file = TestImages.Jpeg(photo, orientation: 6);
        int exif = file.AsSpan().IndexOf("Exif\0\0"u8);
        file.AsSpan(exif + 6 + 4, 4).Fill(0xFF); // IFD0 offset far beyond the segment

        using LoadedImage loaded = Loader.Load(new MemoryStream(file));

        Assert.Equal(1, loaded.Orientation);
    }
}
