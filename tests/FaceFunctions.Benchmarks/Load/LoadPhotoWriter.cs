using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FaceFunctions.Benchmarks.Load;

/// <summary>
/// Renders the photos of a <see cref="LoadMix"/> to files: a mosaic of scenes (the skimage photos, or a folder of
/// real photos) at about one megapixel a tile, so a 12 MP photo is not one blurred upscale, with one to three
/// copies of the astronaut's face pasted at sizes from 40 px to a quarter of the photo. Deterministic: each photo
/// draws only from its own seed.
/// </summary>
internal sealed class LoadPhotoWriter : IDisposable
{
    /// <summary>The astronaut's head and shoulders around <see cref="Fixtures.AstronautFace"/> (face about 87 px wide).</summary>
    private static readonly Rectangle FaceRegion = new(140, 20, 170, 200);
    private const double FaceWidthInRegion = 87;
    private const int TileSide = 1_000;
    private const int MinFace = 40;

    /// <summary>Scenes are capped so the writer holds a bounded amount of decoded photos.</summary>
    private const int MaxScenes = 200;

    private readonly List<Image<Rgb24>> _scenes;
    private readonly Image<Rgb24> _face;

    public LoadPhotoWriter(string? scenesFolder)
    {
        _scenes = [.. new[] { Fixtures.Astronaut, Fixtures.Camera, Fixtures.Chelsea, Fixtures.Coffee }.Select(Fixtures.Load)];
        if (scenesFolder is not null)
        {
            var files = Directory.EnumerateFiles(scenesFolder, "*", SearchOption.AllDirectories)
                .Where(f => Path.GetExtension(f).ToUpperInvariant() is ".JPG" or ".JPEG" or ".PNG")
                .Order(StringComparer.Ordinal)
                .Take(MaxScenes);
            _scenes.AddRange(files.Select(Image.Load<Rgb24>));
        }

        using var astronaut = Fixtures.Load(Fixtures.Astronaut);
        _face = astronaut.Clone(c => c.Crop(FaceRegion));
    }

    /// <summary>Writes every photo into <paramref name="folder"/> under its <see cref="LoadPhoto.Name"/>, on every core.</summary>
    public void WriteAll(IReadOnlyList<LoadPhoto> photos, string folder)
    {
        Parallel.ForEach(photos, photo =>
        {
            string path = Path.Combine(folder, photo.Name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, Render(photo));
        });
    }

    public byte[] Render(LoadPhoto photo)
    {
        var random = new Random(photo.Seed);
        using var image = photo.Kind == LoadPhotoKind.PixelLimit
            ? SmoothSky(photo.Width, photo.Height, random)
            : Mosaic(photo.Width, photo.Height, random);
        int faces = random.Next(1, 4);
        for (int i = 0; i < faces; i++)
        {
            PasteFace(image, random);
        }

        return photo.Kind switch
        {
            LoadPhotoKind.Png => Encode(image, new PngEncoder()),
            LoadPhotoKind.Webp => Encode(image, new WebpEncoder { FileFormat = WebpFileFormatType.Lossy, Quality = 80 }),
            LoadPhotoKind.Corrupt => CutShort(Encode(image, new JpegEncoder { Quality = 85 }), random),
            LoadPhotoKind.PixelLimit => Encode(image, new JpegEncoder { Quality = 75 }),
            _ => Encode(image, new JpegEncoder { Quality = random.Next(75, 93) }),
        };
    }

    public void Dispose()
    {
        _face.Dispose();
        foreach (var scene in _scenes)
        {
            scene.Dispose();
        }
    }

    private Image<Rgb24> Mosaic(int width, int height, Random random)
    {
        var image = new Image<Rgb24>(width, height);
        int columns = Math.Max(1, (int)Math.Round(width / (double)TileSide));
        int rows = Math.Max(1, (int)Math.Round(height / (double)TileSide));
        for (int row = 0; row < rows; row++)
        {
            for (int column = 0; column < columns; column++)
            {
                int x = column * width / columns, y = row * height / rows;
                var size = new Size(((column + 1) * width / columns) - x, ((row + 1) * height / rows) - y);
                var scene = _scenes[random.Next(_scenes.Count)];
                using var tile = scene.Clone(c => c.Resize(new ResizeOptions { Size = size, Mode = ResizeMode.Crop }));
                image.Mutate(c => c.DrawImage(tile, new Point(x, y), 1f));
            }
        }

        return image;
    }

    /// <summary>
    /// A sky gradient with sensor-like noise (-2 to 2 grey levels): little entropy, yet well above the
    /// 512 bytes per megapixel floor as JPEG (docs/reliability.md measured about 20,000 at quality 75).
    /// </summary>
    private static Image<Rgb24> SmoothSky(int width, int height, Random random)
    {
        var image = new Image<Rgb24>(width, height);
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++)
                {
                    int n = random.Next(5) - 2;
                    row[x] = new Rgb24((byte)(90 + (y * 60 / height) + n), (byte)(140 + (y * 50 / height) + n), (byte)(230 - (x * 20 / width) + n));
                }
            }
        });
        return image;
    }

    private void PasteFace(Image<Rgb24> image, Random random)
    {
        int largest = Math.Max(MinFace, Math.Min(image.Width, image.Height) / 4);
        double scale = random.Next(MinFace, largest + 1) / FaceWidthInRegion;
        var size = new Size((int)(FaceRegion.Width * scale), (int)(FaceRegion.Height * scale));
        if (size.Width > image.Width || size.Height > image.Height)
        {
            return;
        }

        using var face = _face.Clone(c => c.Resize(size));
        var at = new Point(random.Next(image.Width - size.Width + 1), random.Next(image.Height - size.Height + 1));
        image.Mutate(c => c.DrawImage(face, at, 1f));
    }

    /// <summary>An upload cut at 30–90 %; half of them (by the seed) with an end-of-image marker appended, as a repair tool would.</summary>
    private static byte[] CutShort(byte[] jpeg, Random random)
    {
        int length = (int)(jpeg.Length * (0.3 + (0.6 * random.NextDouble())));
        return random.Next(2) == 0 ? jpeg[..length] : [.. jpeg[..length], 0xFF, 0xD9];
    }

    private static byte[] Encode(Image<Rgb24> image, IImageEncoder encoder)
    {
        using var stream = new MemoryStream();
        image.Save(stream, encoder);
        return stream.ToArray();
    }
}
