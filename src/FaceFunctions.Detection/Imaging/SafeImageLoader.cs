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
/// + 1 are ever read), zero bytes, format sniffed from the magic bytes, dimensions read from the header,
/// truncation of JPEG/PNG structure, and only then the pixels are decoded. Transparent pixels are
/// composited onto white (what a viewer shows on a page); BMP alpha is ignored because most 32-bit BMP
/// writers leave that byte zero.
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
        ArgumentNullException.ThrowIfNull(stream);
        using BoundedUpload upload = BoundedUpload.Read(stream, Limits.MaxBytes);
        return Decode(upload);
    }

    /// <summary>Like <see cref="Load(Stream)"/>, but reads asynchronously (blob and HTTP streams).</summary>
    internal async Task<LoadedImage> LoadAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using BoundedUpload upload = await BoundedUpload.ReadAsync(stream, Limits.MaxBytes, cancellationToken).ConfigureAwait(false);
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

    private LoadedImage Decode(BoundedUpload upload)
    {
        if (upload.Exceeded)
        {
            throw TooManyBytes();
        }

        return Decode(upload.Buffer, upload.Length);
    }

    private LoadedImage Decode(byte[] buffer, int length)
    {
        if (length == 0)
        {
            throw new ImageRejectedException(ImageErrorCode.Empty, "The file is empty (0 bytes).");
        }

        ReadOnlySpan<byte> file = buffer.AsSpan(0, length);
        IImageFormat format = Image.DetectFormat(Configuration, file) ?? throw Unsupported(file);
        string name = RestrictedConfiguration.NameOf(format);
        IImageDecoder decoder = Configuration.ImageFormatsManager.FindDecoder(format);

        using var stream = new MemoryStream(buffer, 0, length, writable: false);
        IImageInfo info = Guard(name, () => ((IImageInfoDetector)decoder).Identify(Configuration, stream, CancellationToken.None))
            ?? throw new ImageRejectedException(ImageErrorCode.Corrupt, $"The {name} header could not be read.");
        CheckDimensions(name, info.Width, info.Height);
        CheckComplete(name, file);
        int orientation = ExifOrientationReader.Read(name, file);

        stream.Position = 0;
        Image<Rgb24> image = Guard(name, () => ToRgb24(decoder.Decode(Configuration, stream, CancellationToken.None), name));
        try
        {
            if (name == "jpeg" && ChromaUpsampling.Is420(file))
            {
                ChromaUpsampling.ApplyLibjpegFancyUpsampling(image);
            }

            ExifOrientation.ApplyTo(image, orientation);
            return new LoadedImage(image, info.Width, info.Height, orientation, name, length);
        }
        catch
        {
            image.Dispose();
            throw;
        }
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

    private static void CheckComplete(string name, ReadOnlySpan<byte> file)
    {
        bool complete = name switch
        {
            "jpeg" => ContainerIntegrity.IsCompleteJpeg(file),
            "png" => ContainerIntegrity.IsCompletePng(file),
            _ => true,
        };
        if (!complete)
        {
            throw new ImageRejectedException(ImageErrorCode.Corrupt, $"The {name} file is truncated: its data ends before the end-of-image marker.");
        }
    }

    /// <summary>Runs an ImageSharp call, translating every failure it can have into a rejection.</summary>
    private static T Guard<T>(string name, Func<T> decode)
    {
        try
        {
            return decode();
        }
        catch (Exception ex) when (ex is InvalidMemoryOperationException or OutOfMemoryException)
        {
            throw new ImageRejectedException(ImageErrorCode.TooLarge, $"Decoding this {name} image needs more memory than allowed.", ex);
        }
        catch (NotSupportedException ex)
        {
            throw new ImageRejectedException(ImageErrorCode.UnsupportedFormat, $"This {name} variant is not supported: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Decoders signal damaged data with ImageFormatException, but malformed input can also surface as
            // index, argument or overflow errors: all of them mean the file is unreadable, none may crash us.
            throw new ImageRejectedException(ImageErrorCode.Corrupt, $"The {name} data is damaged: {ex.Message}", ex);
        }
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
