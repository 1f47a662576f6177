using FaceFunctions.Detection.Imaging;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata;

namespace FaceFunctions.Detection.Tests.Imaging;

/// <summary>The decisions SECURITY.md promises, checked on the configuration the loader actually uses.</summary>
public sealed class RestrictedConfigurationTests
{
    private static readonly SafeImageLoader Loader = new();

    [Fact]
    public void Only_the_five_accepted_formats_are_registered()
    {
        string[] names = Loader.Configuration.ImageFormats.Select(RestrictedConfiguration.NameOf).Order().ToArray();

        Assert.Equal(["bmp", "gif", "jpeg", "png", "webp"], names);
        Assert.Null(Loader.Configuration.ImageFormatsManager.FindFormatByFileExtension("tiff"));
        Assert.Null(Loader.Configuration.ImageFormatsManager.FindFormatByFileExtension("tga"));
    }

    [Fact]
    public void Decoders_ignore_metadata_and_gif_stops_after_its_first_frame()
    {
        ImageFormatManager formats = Loader.Configuration.ImageFormatsManager;

        Assert.True(Assert.IsType<JpegDecoder>(formats.FindDecoder(JpegFormat.Instance)).IgnoreMetadata);
        Assert.True(Assert.IsType<PngDecoder>(formats.FindDecoder(PngFormat.Instance)).IgnoreMetadata);
        Assert.True(Assert.IsType<WebpDecoder>(formats.FindDecoder(WebpFormat.Instance)).IgnoreMetadata);
        GifDecoder gif = Assert.IsType<GifDecoder>(formats.FindDecoder(GifFormat.Instance));
        Assert.True(gif.IgnoreMetadata);
        Assert.Equal(FrameDecodingMode.First, gif.DecodingMode);
        Assert.Equal(1u, gif.MaxFrames);
    }

    [Fact]
    public void The_allocator_refuses_buffers_beyond_the_pixel_limit()
    {
        var loader = new SafeImageLoader(new ImageLimits { MaxPixels = 1_000_000 });

        Assert.ThrowsAny<InvalidOperationException>(() => loader.Configuration.MemoryAllocator.Allocate<byte>(200 << 20));
    }

    [Fact]
    public void Source_never_uses_the_imagesharp_features_with_unfixed_advisories()
    {
        // SECURITY.md: no TIFF codec, no ICC profile access, no histogram equalisation, anywhere in src/.
        string[] forbidden = ["HistogramEqualization", "IccProfile", "Tiff", "ImageSharp.Formats.Tga", "Configuration.Default"];
        string src = Path.Combine(RepositoryPaths.Root, "src");
        var offences = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f)
                .Where(line => !line.TrimStart().StartsWith("//", StringComparison.Ordinal))
                .Where(line => forbidden.Any(word => line.Contains(word, StringComparison.Ordinal)))
                .Select(line => $"{Path.GetRelativePath(src, f)}: {line.Trim()}"))
            .ToList();

        Assert.Empty(offences);
    }
}
