using System.Globalization;

namespace FaceFunctions.Benchmarks.Load;

/// <summary>What a generated photo is, and so what its result must be.</summary>
internal enum LoadPhotoKind
{
    Jpeg,
    Png,
    Webp,

    /// <summary>A JPEG cut short: it must get an error document.</summary>
    Corrupt,

    /// <summary>At or just under ImageLimits.MaxPixels (100 MP), smooth with a little noise: passes the byte floor.</summary>
    PixelLimit,
}

/// <summary>One photo of the load: its position in the upload order, kind, size and its own random seed.</summary>
internal sealed record LoadPhoto(int Index, LoadPhotoKind Kind, int Width, int Height, int Seed)
{
    public string Name => string.Create(
        CultureInfo.InvariantCulture,
        $"load/{Index:D4}-{Kind.ToString().ToLowerInvariant()}-{Width}x{Height}.{Extension}");

    public double Megapixels => Width * (double)Height / 1e6;

    public bool ExpectsError => Kind == LoadPhotoKind.Corrupt;

    private string Extension => Kind switch
    {
        LoadPhotoKind.Png => "png",
        LoadPhotoKind.Webp => "webp",
        _ => "jpg",
    };
}

/// <summary>
/// The photos of a load run, decided by the seed alone, so two runs with the same options upload the same bytes.
/// Mostly JPEGs drawn from camera sizes; 2 % PNG, 2 % WebP, 1 % corrupt (at least one each); the pixel-limit photos
/// in pairs at 30 %, 50 % and 70 % of the run (the first and last blocks, which the growth check compares, have none).
/// </summary>
internal static class LoadMix
{
    /// <summary>Pixel-limit sizes: exactly 100 MP (the limit is inclusive), and just under it at 4:3.</summary>
    private static readonly (int Width, int Height)[] PixelLimitSizes = [(10_000, 10_000), (11_540, 8_660)];

    /// <summary>PNG and WebP photos stay at phone-screenshot and web sizes: up to about 2 MP.</summary>
    private const double MaxLosslessMegapixels = 2.1;

    public static IReadOnlyList<LoadPhoto> Create(LoadOptions options)
    {
        var random = new Random(options.Seed);
        int count = options.Photos;
        var kinds = new List<LoadPhotoKind>(count);
        int others = count - options.PixelLimitPhotos;
        int png = Math.Min(others, Math.Max(1, count * 2 / 100));
        int webp = Math.Min(others - png, Math.Max(1, count * 2 / 100));
        int corrupt = Math.Min(others - png - webp, Math.Max(1, count / 100));
        kinds.AddRange(Enumerable.Repeat(LoadPhotoKind.Png, png));
        kinds.AddRange(Enumerable.Repeat(LoadPhotoKind.Webp, webp));
        kinds.AddRange(Enumerable.Repeat(LoadPhotoKind.Corrupt, corrupt));
        kinds.AddRange(Enumerable.Repeat(LoadPhotoKind.Jpeg, others - png - webp - corrupt));
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(kinds));
        foreach (int position in PixelLimitPositions(count, options.PixelLimitPhotos))
        {
            kinds.Insert(position, LoadPhotoKind.PixelLimit);
        }

        var lossless = options.Sizes.Where(s => s.Width * (double)s.Height / 1e6 <= MaxLosslessMegapixels).ToArray();
        var photos = new List<LoadPhoto>(count);
        int pixelLimit = 0;
        for (int i = 0; i < count; i++)
        {
            var kind = kinds[i];
            var (width, height) = kind switch
            {
                LoadPhotoKind.PixelLimit => PixelLimitSizes[pixelLimit++ % PixelLimitSizes.Length],
                LoadPhotoKind.Png or LoadPhotoKind.Webp when lossless.Length > 0 => lossless[random.Next(lossless.Length)],
                _ => options.Sizes[random.Next(options.Sizes.Count)],
            };
            photos.Add(new LoadPhoto(i, kind, width, height, random.Next()));
        }

        return photos;
    }

    /// <summary>Where the pixel-limit photos go, ascending: pairs (consecutive uploads) at 30 %, 50 %, 70 %, ...</summary>
    private static IEnumerable<int> PixelLimitPositions(int count, int pixelLimitPhotos)
    {
        double[] anchors = [0.3, 0.5, 0.7, 0.4, 0.6];
        var positions = new SortedSet<int>();
        for (int i = 0; i < pixelLimitPhotos; i++)
        {
            int anchor = (int)(count * anchors[i / 2 % anchors.Length]) + (i / 2 / anchors.Length * 3);
            int position = Math.Min(count - 1, anchor + (i % 2));
            while (!positions.Add(position))
            {
                position = (position + 1) % count;
            }
        }

        return positions;
    }
}
