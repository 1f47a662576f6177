using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceFunctions.Detection.Imaging;

/// <summary>
/// Turns untrusted uploads into upright RGB images, or into an <see cref="ImageRejectedException"/> with
/// a clear reason; never a crash, a hang or an unbounded allocation. Build one per process and share it:
/// it holds no per-photo state, so concurrent calls are safe.
/// </summary>
/// <remarks>
/// Order of checks, cheapest first: bytes counted while reading (at most <see cref="ImageLimits.MaxBytes"/>
/// + 1 are ever read), zero bytes, format sniffed from the magic bytes, dimensions read from the header, the
/// decoded size against the allocator cap, bytes per declared pixel, the structure of the file (every scan, row
/// or frame pixel really coded: <see cref="ContainerIntegrity"/>), and only then the pixels are decoded.
/// The checks (<see cref="Inspect(Stream)"/>) and the decoding (<see cref="Decode(InspectedUpload)"/>) are separate
/// steps so that the pipeline can reserve the memory a photo will need from its declared size in between.
/// Transparent pixels are composited onto white (what a viewer shows on a page); BMP alpha is ignored because
/// most 32-bit BMP writers leave that byte zero.
/// </remarks>
public sealed class SafeImageLoader
{
    internal SafeImageLoader(ImageLimits? limits = null)
    {
        Limits = (limits ?? ImageLimits.Default).Validate();
        Configuration = RestrictedConfiguration.Create(Limits);
    }

    internal ImageLimits Limits { get; }

    /// <summary>The restricted ImageSharp configuration every loaded image carries.</summary>
    internal Configuration Configuration { get; }

    /// <summary>Reads the stream to its end (or to the byte limit) and decodes it.</summary>
    internal LoadedImage Load(Stream stream)
    {
        using InspectedUpload upload = Inspect(stream);
        return Decode(upload);
    }

    /// <summary>Loads a file. A file larger than the byte limit is refused without reading it.</summary>
    public LoadedImage Load(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        if (file.Length > Limits.MaxBytes)
        {
            throw TooManyBytes();
        }

        return Load(file);
    }

    /// <summary>Reads the stream to its end (or to the byte limit) and makes every check that comes before decoding.</summary>
    internal InspectedUpload Inspect(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Inspect(BoundedUpload.Read(stream, Limits.MaxBytes));
    }

    /// <summary>Like <see cref="Inspect(Stream)"/>, but reads asynchronously (blob and HTTP streams).</summary>
    internal async Task<InspectedUpload> InspectAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Inspect(await BoundedUpload.ReadAsync(stream, Limits.MaxBytes, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Decodes an upload that passed inspection into upright Rgb24 pixels.</summary>
    internal LoadedImage Decode(InspectedUpload upload)
    {
        ArgumentNullException.ThrowIfNull(upload);
        string name = upload.Format;
        using MemoryStream decodable = upload.OpenDecodable();
        Image<Rgb24> image = Guard(name, () => ToRgb24(upload.Decoder.Decode(Configuration, decodable, CancellationToken.None), name));
        try
        {
            if (name == "jpeg" && ChromaUpsampling.Is420(upload.File))
            {
                ChromaUpsampling.ApplyLibjpegFancyUpsampling(image);
            }

            ExifOrientation.ApplyTo(image, upload.Orientation);
            return new LoadedImage(image, upload.Width, upload.Height, upload.Orientation, name, upload.Length);
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    /// <summary>Checks a read upload from its bytes and header; takes ownership of it (disposes it when refused).</summary>
    private InspectedUpload Inspect(BoundedUpload upload)
    {
        try
        {
            return Check(upload);
        }
        catch
        {
            upload.Dispose();
            throw;
        }
    }

    private InspectedUpload Check(BoundedUpload upload)
    {
        if (upload.Exceeded)
        {
            throw TooManyBytes();
        }

        byte[] buffer = upload.Buffer;
        int length = upload.Length;
        if (length == 0)
        {
            throw new ImageRejectedException(ImageErrorCode.Empty, "The file is empty (0 bytes).");
        }

        ReadOnlySpan<byte> file = buffer.AsSpan(0, length);
        IImageFormat format = Image.DetectFormat(Configuration, file) ?? throw Unsupported(file);
        string name = RestrictedConfiguration.NameOf(format);
        IImageDecoder decoder = Configuration.ImageFormatsManager.FindDecoder(format);

        if (name == "bmp" && BmpStructure.DeclaredSize(file) is var (declaredWidth, declaredHeight)
            && (declaredWidth > Limits.MaxDimension || declaredHeight > Limits.MaxDimension))
        {
            CheckDimensions(name, (int)Math.Min(declaredWidth, int.MaxValue), (int)Math.Min(declaredHeight, int.MaxValue));
        }

        using var stream = new MemoryStream(buffer, 0, length, writable: false);
        IImageInfo info = Guard(name, () => ((IImageInfoDetector)decoder).Identify(Configuration, stream, CancellationToken.None))
            ?? throw new ImageRejectedException(ImageErrorCode.Corrupt, $"The {name} header could not be read.");
        CheckDimensions(name, info.Width, info.Height);
        CheckDecodedSize(name, info);
        CheckBytesPerPixel(name, info.Width, info.Height, length);
        if (ContainerIntegrity.Check(name, file, Limits, out byte[]? rewritten) is { } incomplete)
        {
            throw incomplete;
        }

        int orientation = ExifOrientationReader.Read(name, file);
        return new InspectedUpload(upload, name, decoder, info.Width, info.Height, info.PixelType.BitsPerPixel, orientation, rewritten);
    }

    private void CheckDimensions(string name, int width, int height)
    {
        if (width <= 0 || height <= 0)
        {
            throw new ImageRejectedException(ImageErrorCode.Corrupt, $"The {name} header declares an empty image ({width} × {height}).");
        }

        if (width > Limits.MaxDimension || height > Limits.MaxDimension || (long)width * height > Limits.MaxPixels)
        {
            throw new ImageRejectedException(
                ImageErrorCode.TooLarge,
                $"The {name} image is {width} × {height} pixels; the limit is {Limits.MaxPixels / 1e6:0.#} megapixels and {Limits.MaxDimension} pixels a side.");
        }
    }

    /// <summary>
    /// Refuses images whose decoded pixels would not fit in one allocation the configuration allows: 16-bit PNGs
    /// decode at 6 or 8 bytes per pixel, so below the pixel limit they can still need more than the 4-byte pixels
    /// the allocator cap was sized for.
    /// </summary>
    private void CheckDecodedSize(string name, IImageInfo info)
    {
        long bytes = (long)info.Width * info.Height * Math.Max(info.PixelType.BitsPerPixel / 8, 1);
        if (bytes > RestrictedConfiguration.LargestBufferBytes(Limits))
        {
            throw new ImageRejectedException(
                ImageErrorCode.TooLarge,
                $"The {name} image is {info.Width} × {info.Height} pixels at {info.PixelType.BitsPerPixel} bits per pixel: decoding it needs {bytes / (1024 * 1024):N0} MiB, more than the {RestrictedConfiguration.LargestBufferBytes(Limits) / (1024 * 1024):N0} MiB allowed.");
        }
    }

    /// <summary>
    /// Refuses files far too small for the pixels they declare, before any decoding: see
    /// <see cref="ImageLimits.MinBytesPerMegapixel"/>.
    /// </summary>
    private void CheckBytesPerPixel(string name, int width, int height, int length)
    {
        double megapixels = (double)width * height / 1e6;
        if (length < Limits.MinBytesPerMegapixel * megapixels)
        {
            throw new ImageRejectedException(
                ImageErrorCode.TooLarge,
                $"The {name} file declares {width} × {height} pixels in only {length:N0} bytes; at least {Limits.MinBytesPerMegapixel * megapixels:N0} bytes are required for that size (real photos have far more), so it is refused before decoding.");
        }
    }

    /// <summary>Runs an ImageSharp call, translating every failure it can have into a rejection.</summary>
    private static T Guard<T>(string name, Func<T> decode)
    {
        try
        {
            return decode();
        }
        catch (Exception ex) when (IsOutOfMemory(ex))
        {
            throw new ImageRejectedException(ImageErrorCode.TooLarge, $"Decoding this {name} image needs more memory than allowed.", ex);
        }
        catch (NotSupportedException ex)
        {
            // The decoder cannot tell an unknown variant (arithmetic-coded JPEG, an OS/2 BMP header) from garbage in
            // the same field; either way the file cannot be read, and its message is ImageSharp's, so it stays in the log.
            throw new ImageRejectedException(ImageErrorCode.UnsupportedFormat, $"The {name} file uses a variant of the format that is not supported, or its header is damaged.", ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Decoders signal damaged data with ImageFormatException, but malformed input can also surface as
            // index, argument, null-reference or overflow errors: all of them mean the file is unreadable, and
            // none of their texts says anything to the photo's owner, so the exception is kept for logs only.
            throw new ImageRejectedException(ImageErrorCode.Corrupt, $"The {name} photo's data is damaged and could not be decoded.", ex);
        }
    }

    /// <summary>
    /// The allocator refusing a buffer, directly or wrapped: ImageSharp reports some refusals as
    /// InvalidImageContentException("Failed to allocate buffers for possibly degenerate dimensions").
    /// </summary>
    private static bool IsOutOfMemory(Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            if (e is InvalidMemoryOperationException or OutOfMemoryException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Converts whatever pixel type the decoder produced into Rgb24, flattening alpha onto white.</summary>
    private Image<Rgb24> ToRgb24(Image decoded, string name)
    {
        if (decoded is Image<Rgb24> rgb)
        {
            return rgb;
        }

        using (decoded)
        {
            // ImageSharp 2.1 leaves PixelTypeInfo.AlphaRepresentation unset, so go by the pixel type: the
            // opaque types its decoders produce convert directly; anything else is flattened, which is exact
            // (a no-op) for opaque pixels too.
            bool opaque = decoded is Image<L8> or Image<L16> or Image<Rgb48> || name == "bmp";
            if (opaque)
            {
                return decoded.CloneAs<Rgb24>(Configuration);
            }

            if (decoded is Image<Rgba32> rgba)
            {
                return AlphaFlattening.OntoWhite(rgba);
            }

            using Image<Rgba32> converted = decoded.CloneAs<Rgba32>(Configuration);
            return AlphaFlattening.OntoWhite(converted);
        }
    }

    private ImageRejectedException TooManyBytes() =>
        new(ImageErrorCode.TooLarge, $"The file is larger than the limit of {Limits.MaxBytes:N0} bytes.");

    private static ImageRejectedException Unsupported(ReadOnlySpan<byte> file)
    {
        string what = KnownUnsupported.Describe(file);
        return new ImageRejectedException(
            ImageErrorCode.UnsupportedFormat,
            $"{what} Accepted formats are JPEG, PNG, WebP, BMP and GIF.");
    }
}
