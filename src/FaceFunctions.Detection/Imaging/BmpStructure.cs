using System.Buffers.Binary;

namespace FaceFunctions.Detection.Imaging;

/// <summary>
/// Checks, before decoding, that a BMP holds the pixel data its header declares. ImageSharp reads past the end of
/// a short file without complaint (the missing rows stay black), so for uncompressed bitmaps the pixel array must
/// fit in the file, and run-length encoded ones are walked to their end-of-bitmap code.
/// </summary>
internal static class BmpStructure
{
    private const int Rle8 = 1, Rle4 = 2, Rle24 = 4;

    /// <summary>
    /// The width and height a BMP header declares, read before ImageSharp's Identify: it throws a generic error for
    /// sides over 65,535, which must be reported as too large like any other size over the limits.
    /// </summary>
    public static (long Width, long Height)? DeclaredSize(ReadOnlySpan<byte> file)
    {
        if (file.Length < 26)
        {
            return null;
        }

        int headerSize = BinaryPrimitives.ReadInt32LittleEndian(file[14..]);
        if (headerSize is not (12 or 16 or 40 or 52 or 56 or 64 or 108 or 124))
        {
            return null; // an unknown header: left to the decoder to refuse
        }

        return headerSize == 12
            ? (BinaryPrimitives.ReadUInt16LittleEndian(file[18..]), BinaryPrimitives.ReadInt16LittleEndian(file[20..]))
            : (BinaryPrimitives.ReadInt32LittleEndian(file[18..]), Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(file[22..])));
    }

    /// <summary>Null when the pixel data is all there, otherwise why not.</summary>
    public static ImageRejectedException? Check(ReadOnlySpan<byte> file)
    {
        if (file.Length < 26)
        {
            return Corrupt("its header is cut short");
        }

        long offset = BinaryPrimitives.ReadUInt32LittleEndian(file[10..]);
        int headerSize = BinaryPrimitives.ReadInt32LittleEndian(file[14..]);
        long width, height;
        int bitsPerPixel, compression = 0;
        if (headerSize == 12)
        {
            width = BinaryPrimitives.ReadUInt16LittleEndian(file[18..]);
            height = BinaryPrimitives.ReadInt16LittleEndian(file[20..]);
            bitsPerPixel = BinaryPrimitives.ReadUInt16LittleEndian(file[24..]);
        }
        else if (file.Length >= 34 && headerSize >= 16)
        {
            width = BinaryPrimitives.ReadInt32LittleEndian(file[18..]);
            height = BinaryPrimitives.ReadInt32LittleEndian(file[22..]);
            bitsPerPixel = BinaryPrimitives.ReadUInt16LittleEndian(file[28..]);
            compression = headerSize >= 20 ? BinaryPrimitives.ReadInt32LittleEndian(file[30..]) : 0;
        }
        else
        {
            return Corrupt("its header is cut short");
        }

        height = Math.Abs(height);
        if (offset >= file.Length)
        {
            return Corrupt("its pixel data starts past the end of the file (the file is truncated)");
        }

        ReadOnlySpan<byte> pixels = file[(int)offset..];
        if (compression is Rle8 or Rle4 || (compression == Rle24 && headerSize != 40 && bitsPerPixel == 24))
        {
            return EndsProperly(pixels, compression == Rle4 ? 0 : compression == Rle8 ? 1 : 3)
                ? null
                : Corrupt("its run-length data ends before its end-of-bitmap code (the file is truncated)");
        }

        if (compression is 0 or 3 or 6)
        {
            long rowBits = width * bitsPerPixel;
            long stride = ((rowBits + 31) / 32) * 4;
            // The last row's padding is sometimes left out by writers; its pixels are not.
            long needed = height == 0 ? 0 : (stride * (height - 1)) + ((rowBits + 7) / 8);
            if (needed > pixels.Length)
            {
                return Corrupt($"its pixel data holds {Math.Min(pixels.Length * 100.0 / needed, 100):0.#}% of the rows the header declares (the file is truncated)");
            }
        }

        return null;
    }

    private static ImageRejectedException Corrupt(string problem) =>
        new(ImageErrorCode.Corrupt, $"The bmp file is damaged: {problem}.");

    /// <summary>
    /// Whether the RLE stream reaches its end-of-bitmap code (00 01) without running off the data.
    /// <paramref name="bytesPerPixel"/> is 0 for RLE4 (two pixels per byte), 1 for RLE8, 3 for RLE24.
    /// </summary>
    private static bool EndsProperly(ReadOnlySpan<byte> data, int bytesPerPixel)
    {
        int pos = 0;
        while (pos + 2 <= data.Length)
        {
            byte count = data[pos], value = data[pos + 1];
            pos += 2;
            if (count > 0)
            {
                pos += bytesPerPixel == 3 ? 2 : 0; // an RLE24 run holds a whole pixel: two more bytes after the first
                continue;
            }

            switch (value)
            {
                case 0: // end of line
                    break;
                case 1: // end of bitmap
                    return true;
                case 2: // delta: dx, dy
                    pos += 2;
                    break;
                default: // an absolute run of `value` pixels, padded to an even number of bytes
                    int bytes = bytesPerPixel == 0 ? (value + 1) / 2 : value * bytesPerPixel;
                    pos += bytes + (bytes & 1);
                    break;
            }
        }

        return false;
    }
}
