using FaceFunctions.Detection.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FaceFunctions.Detection.Tests.Imaging;

/// <summary>
/// A small deterministic fuzz: small valid files with random bytes overwritten, header bytes damaged or the
/// tail cut off. Every result must be an image or an <see cref="ImageRejectedException"/> whose message speaks of
/// the photo (no exception text: "Index was outside the bounds of the array" used to reach users); any other
/// exception (or a hang) fails the test.
/// </summary>
public sealed class MutationFuzzTests
{
    private const int MutationsPerFormat = 150;

    private static readonly SafeImageLoader Loader = new();

    public static TheoryData<string> Formats => ["jpeg", "png", "webp-lossy", "webp-lossless", "gif", "bmp"];

    [Theory]
    [MemberData(nameof(Formats))]
    public void Mutated_files_load_or_are_rejected(string format)
    {
        using Image<Rgb24> photo = Fixtures.Load(Fixtures.Astronaut);
        photo.Mutate(x => x.Resize(96, 72));
        IImageEncoder encoder = format switch
        {
            "jpeg" => new JpegEncoder { Quality = 90 },
            "png" => new PngEncoder(),
            "webp-lossy" => new WebpEncoder { FileFormat = WebpFileFormatType.Lossy },
            "webp-lossless" => new WebpEncoder { FileFormat = WebpFileFormatType.Lossless },
            "gif" => new GifEncoder(),
            "bmp" => new BmpEncoder(),
            _ => throw new ArgumentOutOfRangeException(nameof(format)),
        };
        byte[] valid = TestImages.Encode(photo, encoder);
        var random = new Random(format.Length * 7919);

        for (int i = 0; i < MutationsPerFormat; i++)
        {
            byte[] file = Mutate(valid, random);
            try
            {
                using LoadedImage loaded = Loader.Load(new MemoryStream(file));
                Assert.True(loaded.Width > 0 && loaded.Height > 0);
            }
            catch (ImageRejectedException error)
            {
                HostileInputTests.AssertSpeaksOfThePhoto(error);
            }
        }
    }

    private static byte[] Mutate(byte[] valid, Random random)
    {
        byte[] file = (byte[])valid.Clone();
        switch (random.Next(3))
        {
            case 0:
                for (int k = random.Next(1, 11); k > 0; k--)
                {
                    file[random.Next(file.Length)] = (byte)random.Next(256);
                }

                return file;
            case 1:
                // Headers and chunk tables live near the start: damage lengths and sizes there.
                for (int k = random.Next(1, 5); k > 0; k--)
                {
                    file[random.Next(Math.Min(200, file.Length))] = random.Next(2) == 0 ? (byte)0xFF : (byte)0x7F;
                }

                return file;
            default:
                return file[..random.Next(file.Length)];
        }
    }
}
