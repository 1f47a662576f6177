using FaceFunctions.Detection.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FaceFunctions.Detection.Tests.Imaging;

public sealed class SafeImageLoaderTests
{
    private static readonly SafeImageLoader Loader = new();

    [Theory]
    [InlineData("png", 0.0)]
    [InlineData("bmp", 0.0)]
    [InlineData("webp", 0.0)]
    [InlineData("jpeg", 3.0)]
    [InlineData("gif", 12.0)]
    public void Loads_every_accepted_format(string format, double tolerance)
    {
        using Image<Rgb24> photo = Fixtures.Load(Fixtures.Chelsea);
        byte[] file = format switch
        {
            "png" => TestImages.Png(photo),
            "bmp" => TestImages.Encode(photo, new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel24 }),
            "webp" => TestImages.Encode(photo, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless }),
            "jpeg" => TestImages.Jpeg(photo),
            "gif" => TestImages.Encode(photo, new GifEncoder()),
            _ => throw new ArgumentOutOfRangeException(nameof(format)),
        };

        using LoadedImage loaded = Loader.Load(new MemoryStream(file));

        Assert.Equal(format, loaded.Format);
        Assert.Equal((451, 300), (loaded.Width, loaded.Height));
        Assert.Equal((451, 300), (loaded.OriginalWidth, loaded.OriginalHeight));
        Assert.Equal(1, loaded.Orientation);
        Assert.Equal(file.Length, loaded.ByteCount);
        Assert.InRange(ImageAssert.MeanAbsoluteDifference(photo, loaded.Image), 0.0, tolerance);
    }

    [Fact]
    public void Loads_lossy_webp()
    {
        using Image<Rgb24> photo = Fixtures.Load(Fixtures.Coffee);
        byte[] file = TestImages.Encode(photo, new WebpEncoder { FileFormat = WebpFileFormatType.Lossy, Quality = 90 });

        using LoadedImage loaded = Loader.Load(new MemoryStream(file));

        Assert.Equal("webp", loaded.Format);
        Assert.InRange(ImageAssert.MeanAbsoluteDifference(photo, loaded.Image), 0.0, 6.0);
    }

    [Fact]
    public void Grayscale_png_becomes_grey_rgb()
    {
        using LoadedImage loaded = Loader.Load(Fixtures.PathOf(Fixtures.Camera));
        using Image<L8> gray = Image.Load<L8>(Fixtures.PathOf(Fixtures.Camera));

        Assert.Equal((512, 512), (loaded.Width, loaded.Height));
        for (int y = 0; y < 512; y += 7)
        {
            for (int x = 0; x < 512; x += 5)
            {
                byte v = gray[x, y].PackedValue;
                Assert.Equal(new Rgb24(v, v, v), loaded.Image[x, y]);
            }
        }
    }

    [Fact]
    public void Grayscale_jpeg_loads()
    {
        using Image<Rgb24> photo = Fixtures.Load(Fixtures.Camera);
        byte[] file = TestImages.Encode(photo, new JpegEncoder { ColorType = JpegColorType.Luminance, Quality = 95 });

        using LoadedImage loaded = Loader.Load(new MemoryStream(file));

        Assert.InRange(ImageAssert.MeanAbsoluteDifference(photo, loaded.Image), 0.0, 3.0);
    }

    [Fact]
    public void Cmyk_jpeg_loads_with_its_colours()
    {
        using Image<Rgb24> photo = Fixtures.Load(Fixtures.Coffee);
        byte[] file = TestImages.Encode(photo, new JpegEncoder { ColorType = JpegColorType.Cmyk, Quality = 95 });

        using LoadedImage loaded = Loader.Load(new MemoryStream(file));

        Assert.Equal("jpeg", loaded.Format);
        Assert.InRange(ImageAssert.MeanAbsoluteDifference(photo, loaded.Image), 0.0, 4.0);
    }

    [Fact]
    public void Sixteen_bit_png_is_reduced_to_eight_bits()
    {
        using Image<Rgb24> photo = Fixtures.Load(Fixtures.Astronaut);
        using Image<Rgb48> deep = photo.CloneAs<Rgb48>();
        byte[] file = TestImages.Encode(deep, new PngEncoder { BitDepth = PngBitDepth.Bit16, ColorType = PngColorType.Rgb });

        using LoadedImage loaded = Loader.Load(new MemoryStream(file));

        Assert.InRange(ImageAssert.MeanAbsoluteDifference(photo, loaded.Image), 0.0, 0.01);
    }

    [Fact]
    public void Transparency_is_composited_onto_white()
    {
        using var image = new Image<Rgba32>(3, 1);
        image[0, 0] = new Rgba32(10, 20, 30, 255); // opaque: unchanged
        image[1, 0] = new Rgba32(0, 0, 0, 0); // transparent black: white
        image[2, 0] = new Rgba32(255, 0, 0, 128); // half red: pink
        byte[] file = TestImages.Encode(image, new PngEncoder { ColorType = PngColorType.RgbWithAlpha });

        using LoadedImage loaded = Loader.Load(new MemoryStream(file));

        Assert.Equal(new Rgb24(10, 20, 30), loaded.Image[0, 0]);
        Assert.Equal(new Rgb24(255, 255, 255), loaded.Image[1, 0]);
        Assert.Equal(new Rgb24(255, 127, 127), loaded.Image[2, 0]);
    }

    [Theory]
    [InlineData("png-rgba8")]
    [InlineData("png-rgba16")]
    [InlineData("png-gray-alpha")]
    [InlineData("png-palette")]
    [InlineData("gif")]
    [InlineData("webp")]
    public void Every_kind_of_transparency_becomes_white(string kind)
    {
        using var image = new Image<Rgba32>(4, 4, new Rgba32(0, 0, 0, 0));
        image[1, 1] = new Rgba32(90, 90, 90, 255);
        byte[] file = kind switch
        {
            "png-rgba8" => TestImages.Encode(image, new PngEncoder { ColorType = PngColorType.RgbWithAlpha }),
            "png-rgba16" => TestImages.Encode(image, new PngEncoder { ColorType = PngColorType.RgbWithAlpha, BitDepth = PngBitDepth.Bit16 }),
            "png-gray-alpha" => TestImages.Encode(image, new PngEncoder { ColorType = PngColorType.GrayscaleWithAlpha }),
            "png-palette" => TestImages.Encode(image, new PngEncoder { ColorType = PngColorType.Palette }),
            "gif" => TestImages.Encode(image, new GifEncoder()),
            "webp" => TestImages.Encode(image, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless }),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        using LoadedImage loaded = Loader.Load(new MemoryStream(file));

        Assert.Equal(new Rgb24(255, 255, 255), loaded.Image[3, 3]);
        Assert.Equal(new Rgb24(90, 90, 90), loaded.Image[1, 1]);
    }

    [Fact]
    public void Bmp_alpha_byte_is_ignored()
    {
        using var image = new Image<Rgba32>(2, 2, new Rgba32(40, 80, 120, 0));
        byte[] file = TestImages.Encode(image, new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel32 });

        using LoadedImage loaded = Loader.Load(new MemoryStream(file));

        Assert.Equal(new Rgb24(40, 80, 120), loaded.Image[1, 1]);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(11, 7)]
    [InlineData(3, 40)]
    public void Images_smaller_than_a_detector_window_load(int width, int height)
    {
        using Image<Rgb24> photo = Fixtures.Load(Fixtures.Astronaut);
        photo.Mutate(x => x.Resize(width, height));

        using LoadedImage loaded = Loader.Load(new MemoryStream(TestImages.Png(photo)));

        Assert.Equal((width, height), (loaded.Width, loaded.Height));
        ImageAssert.Identical(photo, loaded.Image);
    }

    [Fact]
    public void Metadata_is_never_parsed_by_the_decoder()
    {
        using Image<Rgb24> photo = Fixtures.Load(Fixtures.Coffee);
        byte[] file = TestImages.JpegWithHostileIccSegment(photo);

        using LoadedImage loaded = Loader.Load(new MemoryStream(file));

        Assert.Null(loaded.Image.Metadata.IccProfile);
        Assert.Null(loaded.Image.Metadata.ExifProfile);
        Assert.InRange(ImageAssert.MeanAbsoluteDifference(photo, loaded.Image), 0.0, 3.0);
    }

    [Fact]
    public async Task Loads_asynchronously_from_a_stream_that_cannot_seek()
    {
        byte[] file = Fixtures.Bytes(Fixtures.Astronaut);

        using InspectedUpload upload = await Loader.InspectAsync(new TrickleStream(file));
        using LoadedImage loaded = Loader.Decode(upload);

        Assert.Equal(("png", 512, 512, 24), (upload.Format, upload.Width, upload.Height, upload.BitsPerPixel));
        Assert.Equal((512, 512), (loaded.Width, loaded.Height));
        Assert.Equal(file.Length, loaded.ByteCount);
    }

    [Fact]
    public void One_loader_serves_concurrent_photos()
    {
        string[] names = [Fixtures.Astronaut, Fixtures.Camera, Fixtures.Chelsea, Fixtures.Coffee];
        byte[][] files = names.Select(Fixtures.Bytes).ToArray();
        Image<Rgb24>[] expected = names.Select(n => Loader.Load(Fixtures.PathOf(n)).Image).ToArray();
        try
        {
            Parallel.For(0, 32, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            {
                using LoadedImage loaded = Loader.Load(new MemoryStream(files[i % 4]));
                ImageAssert.Identical(expected[i % 4], loaded.Image);
            });
        }
        finally
        {
            foreach (Image<Rgb24> image in expected)
            {
                image.Dispose();
            }
        }
    }

    [Fact]
    public void Limits_with_no_sense_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new SafeImageLoader(new ImageLimits { MaxBytes = 0 }));
        Assert.Throws<ArgumentException>(() => new SafeImageLoader(new ImageLimits { MaxPixels = -1 }));
        Assert.Throws<ArgumentException>(() => new SafeImageLoader(new ImageLimits { MaxDimension = 70_000 }));
    }

    /// <summary>A non-seekable stream that hands out at most 1000 bytes per read, like a network body.</summary>
    private sealed class TrickleStream(byte[] data) : ForwardOnlyStream
    {
        private int _position;

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(Math.Min(count, 1000), data.Length - _position);
            Array.Copy(data, _position, buffer, offset, n);
            _position += n;
            return n;
        }
    }
}
