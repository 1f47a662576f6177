using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FaceFunctions.Tests;

/// <summary>
/// Small real photos for runs of hundreds (the storage fault runs): 160 × 120 JPEGs cut from the test photos, so
/// detecting one takes milliseconds. Photo <c>i</c> is, by <c>i % 10</c>: the astronaut's face (about 45 px) in
/// three framings (0, 1, 2 and 5, 6, 7), a coffee cup (3), a cat (4, 8), and a file that is no photo (9: a JPEG cut
/// short, or text), which gets an error document.
/// </summary>
internal static class SmallPhotos
{
    public const int Width = 160;
    public const int Height = 120;

    private static readonly Lazy<byte[][]> Variants = new(CreateVariants);

    /// <summary>The bytes of photo <paramref name="index"/>.</summary>
    public static byte[] For(int index)
    {
        var variants = Variants.Value;
        return (index % 10) switch
        {
            9 => index % 20 == 9 ? variants[0][..600] : "this is not a photo"u8.ToArray(),
            var i and < 3 => variants[i],
            var i and >= 5 and < 8 => variants[i - 5],
            3 => variants[3],
            _ => variants[4],
        };
    }

    /// <summary>Whether photo <paramref name="index"/> gets an error document.</summary>
    public static bool IsCorrupt(int index) => index % 10 == 9;

    private static byte[][] CreateVariants()
    {
        using var astronaut = Fixtures.Load(Fixtures.Astronaut);
        using var coffee = Fixtures.Load(Fixtures.Coffee);
        using var cat = Fixtures.Load(Fixtures.Chelsea);
        return
        [
            Jpeg(astronaut, x => x.Crop(new Rectangle(64, 10, 320, 240)).Resize(Width, Height)),
            Jpeg(astronaut, x => x.Crop(new Rectangle(64, 10, 320, 240)).Resize(Width, Height).Flip(FlipMode.Horizontal)),
            Jpeg(astronaut, x => x.Crop(new Rectangle(100, 30, 280, 210)).Resize(Width, Height)),
            Jpeg(coffee, x => x.Resize(Width, Height)),
            Jpeg(cat, x => x.Resize(Width, Height)),
        ];
    }

    private static byte[] Jpeg(Image<Rgb24> source, Action<IImageProcessingContext> edit)
    {
        using var image = source.Clone(edit);
        using var jpeg = new MemoryStream();
        image.SaveAsJpeg(jpeg, new JpegEncoder { Quality = 90 });
        return jpeg.ToArray();
    }
}
