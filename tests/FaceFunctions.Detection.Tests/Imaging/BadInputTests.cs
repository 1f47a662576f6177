using System.Diagnostics;
using FaceFunctions.Detection.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FaceFunctions.Detection.Tests.Imaging;

/// <summary>Hostile and broken uploads: each gets its error code and message, none crashes, hangs or balloons.</summary>
public sealed class BadInputTests
{
    private static readonly SafeImageLoader Loader = new();

    [Fact]
    public void Zero_bytes_are_empty()
    {
        ImageRejectedException error = Reject([]);

        Assert.Equal(ImageErrorCode.Empty, error.Code);
        Assert.Contains("empty", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(0.9)]
    [InlineData(0.5)]
    [InlineData(0.05)]
    [InlineData(0.001)]
    public void Truncated_jpeg_is_corrupt(double kept)
    {
        using Image<Rgb24> photo = Fixtures.Load(Fixtures.Astronaut);
        byte[] file = TestImages.Truncated(TestImages.Jpeg(photo), kept);

        ImageRejectedException error = Reject(file);

        Assert.Equal(ImageErrorCode.Corrupt, error.Code);
    }

    [Theory]
    [InlineData(0.9)]
    [InlineData(0.3)]
    public void Truncated_png_is_corrupt(double kept)
    {
        byte[] file = TestImages.Truncated(Fixtures.Bytes(Fixtures.Coffee), kept);

        Assert.Equal(ImageErrorCode.Corrupt, Reject(file).Code);
    }

    [Fact]
    public void Damaged_jpeg_scan_is_corrupt_or_still_decodes_to_the_right_size()
    {
        using Image<Rgb24> photo = Fixtures.Load(Fixtures.Astronaut);
        byte[] file = TestImages.Jpeg(photo);
        TestImages.RandomBytes(4000, seed: 7).CopyTo(file.AsSpan(file.Length / 2));

        try
        {
            using LoadedImage loaded = Loader.Load(new MemoryStream(file));
            Assert.Equal((512, 512), (loaded.Width, loaded.Height));
        }
        catch (ImageRejectedException error)
        {
            Assert.Equal(ImageErrorCode.Corrupt, error.Code);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Random_bytes_are_an_unsupported_format(int seed)
    {
        ImageRejectedException error = Reject(TestImages.RandomBytes(100_000, seed));

        Assert.Equal(ImageErrorCode.UnsupportedFormat, error.Code);
        Assert.Contains("JPEG, PNG, WebP, BMP and GIF", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_file_named_jpg_is_an_unsupported_format()
    {
        string path = Path.Combine(Path.GetTempPath(), $"ff-note-{Guid.NewGuid():N}.jpg");
        File.WriteAllBytes(path, TestImages.Text());
        try
        {
            var error = Assert.Throws<ImageRejectedException>(() => Loader.Load(path));
            Assert.Equal(ImageErrorCode.UnsupportedFormat, error.Code);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Tiff_is_an_unsupported_format()
    {
        using Image<Rgb24> photo = Fixtures.Load(Fixtures.Chelsea);

        ImageRejectedException error = Reject(TestImages.Tiff(photo));

        Assert.Equal(ImageErrorCode.UnsupportedFormat, error.Code);
        Assert.Contains("TIFF", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Png_declaring_100000_by_100000_pixels_is_too_large_without_allocating_them()
    {
        byte[] file = TestImages.PngDeclaring(100_000, 100_000);
        long managedBefore = GC.GetTotalAllocatedBytes(precise: true);
        long privateBefore = PrivateBytes();

        ImageRejectedException error = Reject(file);

        Assert.Equal(ImageErrorCode.TooLarge, error.Code);
        Assert.Contains("100000 × 100000", error.Message, StringComparison.Ordinal);
        // Decoding would need 30 GB; the header check refuses before any pixel buffer exists.
        Assert.InRange(GC.GetTotalAllocatedBytes(precise: true) - managedBefore, 0, 16L << 20);
        Assert.InRange(PrivateBytes() - privateBefore, long.MinValue, 256L << 20);
    }

    [Fact]
    public void Gif_with_1000_frames_loads_only_its_first_frame()
    {
        // 1000 frames of 1000 × 1000: decoding them all would hold 4 GB of Rgba32 pixels.
        byte[] file = TestImages.ManyFrameGif(1000, 1000);
        long privateBefore = PrivateBytes();

        using LoadedImage loaded = Loader.Load(new MemoryStream(file));

        Assert.Equal("gif", loaded.Format);
        Assert.Equal((1000, 1000), (loaded.Width, loaded.Height));
        Assert.Equal(1, loaded.Image.Frames.Count);
        Assert.Equal(new Rgb24(255, 0, 0), loaded.Image[500, 500]);
        Assert.InRange(PrivateBytes() - privateBefore, long.MinValue, 512L << 20);
    }

    [Fact]
    public void More_bytes_than_the_limit_are_too_large()
    {
        var loader = new SafeImageLoader(new ImageLimits { MaxBytes = 100_000 });
        byte[] file = Fixtures.Bytes(Fixtures.Astronaut);

        Assert.Equal(ImageErrorCode.TooLarge, Assert.Throws<ImageRejectedException>(() => loader.Load(new MemoryStream(file))).Code);
        Assert.Equal(ImageErrorCode.TooLarge, Assert.Throws<ImageRejectedException>(() => loader.Load(Fixtures.PathOf(Fixtures.Astronaut))).Code);
    }

    [Fact]
    public void An_endless_stream_is_read_no_further_than_the_byte_limit()
    {
        var loader = new SafeImageLoader(new ImageLimits { MaxBytes = 1_000_000 });
        var endless = new EndlessStream();

        var error = Assert.Throws<ImageRejectedException>(() => loader.Load(endless));

        Assert.Equal(ImageErrorCode.TooLarge, error.Code);
        Assert.Equal(1_000_001, endless.BytesRead);
    }

    [Fact]
    public void Pixels_beyond_the_limit_are_too_large()
    {
        var loader = new SafeImageLoader(new ImageLimits { MaxPixels = 100_000 });

        var error = Assert.Throws<ImageRejectedException>(() => loader.Load(Fixtures.PathOf(Fixtures.Astronaut)));

        Assert.Equal(ImageErrorCode.TooLarge, error.Code);
        Assert.Contains("512 × 512", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_side_beyond_the_limit_is_too_large()
    {
        Assert.Equal(ImageErrorCode.TooLarge, Reject(TestImages.PngDeclaring(40_000, 1)).Code);
    }

    [Fact]
    public void Png_declaring_zero_width_is_corrupt()
    {
        Assert.Equal(ImageErrorCode.Corrupt, Reject(TestImages.PngDeclaring(0, 10)).Code);
    }

    [Fact]
    public void Every_prefix_of_a_small_jpeg_and_png_is_handled()
    {
        // A cheap fuzz: every cut of two small files must give an image or a rejection, nothing else.
        using Image<Rgb24> photo = Fixtures.Load(Fixtures.Chelsea);
        photo.Mutate(x => x.Resize(40, 30));
        foreach (byte[] file in new[] { TestImages.Jpeg(photo), TestImages.Png(photo) })
        {
            for (int length = 0; length < file.Length; length += 7)
            {
                try
                {
                    using LoadedImage loaded = Loader.Load(new MemoryStream(file, 0, length));
                }
                catch (ImageRejectedException)
                {
                }
            }
        }
    }

    private static ImageRejectedException Reject(byte[] file) =>
        Assert.Throws<ImageRejectedException>(() => Loader.Load(new MemoryStream(file)));

    private static long PrivateBytes()
    {
        using var process = Process.GetCurrentProcess();
        return process.PrivateMemorySize64;
    }

    /// <summary>A non-seekable stream of zeros that never ends, counting what was taken from it.</summary>
    private sealed class EndlessStream : ForwardOnlyStream
    {
        public long BytesRead { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Array.Clear(buffer, offset, count);
            BytesRead += count;
            return count;
        }
    }
}
