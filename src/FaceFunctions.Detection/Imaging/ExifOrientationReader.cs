using System.Buffers.Binary;

namespace FaceFunctions.Detection.Imaging;

/// <summary>
/// Reads the EXIF orientation tag straight from the encoded bytes. The decoders run with metadata
/// ignored (so ImageSharp never parses ICC profiles or EXIF blocks of hostile files, see SECURITY.md);
/// this small bounds-checked reader looks at one tag of IFD0 and nothing else.
/// </summary>
internal static class ExifOrientationReader
{
    private const ushort OrientationTag = 0x0112;
    private const ushort ShortType = 3;

    /// <summary>The orientation (1 to 8) declared by the file, or 1 when it has none or it is malformed.</summary>
    public static int Read(string format, ReadOnlySpan<byte> file)
    {
        ReadOnlySpan<byte> tiff = format switch
        {
            "jpeg" => FindJpegExif(file),
            "png" => FindPngExif(file),
            "webp" => FindWebpExif(file),
            _ => default,
        };
        int orientation = ReadOrientation(tiff);
        return orientation is >= 1 and <= 8 ? orientation : 1;
    }

    /// <summary>The TIFF block of the first APP1 "Exif" segment before the first scan.</summary>
    private static ReadOnlySpan<byte> FindJpegExif(ReadOnlySpan<byte> file)
    {
        var segments = new JpegHeaderSegments(file);
        while (segments.TryNext(out byte marker, out var payload))
        {
            if (marker == 0xE1 && payload.StartsWith("Exif\0\0"u8))
            {
                return payload[6..];
            }
        }

        return default;
    }

    /// <summary>The payload of the eXIf chunk.</summary>
    private static ReadOnlySpan<byte> FindPngExif(ReadOnlySpan<byte> file)
    {
        int pos = 8; // after the signature
        while (pos + 12 <= file.Length)
        {
            uint length = BinaryPrimitives.ReadUInt32BigEndian(file[pos..]);
            ReadOnlySpan<byte> type = file.Slice(pos + 4, 4);
            if (length > (uint)(file.Length - pos - 12))
            {
                break;
            }

            if (type.SequenceEqual("eXIf"u8))
            {
                return file.Slice(pos + 8, (int)length);
            }

            if (type.SequenceEqual("IEND"u8))
            {
                break;
            }

            pos += 12 + (int)length;
        }

        return default;
    }

    /// <summary>The payload of the RIFF "EXIF" chunk of an extended WebP.</summary>
    private static ReadOnlySpan<byte> FindWebpExif(ReadOnlySpan<byte> file)
    {
        int pos = 12; // after "RIFF", size, "WEBP"
        while (pos + 8 <= file.Length)
        {
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(file[(pos + 4)..]);
            if (size > (uint)(file.Length - pos - 8))
            {
                break;
            }

            ReadOnlySpan<byte> payload = file.Slice(pos + 8, (int)size);
            if (file.Slice(pos, 4).SequenceEqual("EXIF"u8))
            {
                // Some writers keep the JPEG-style "Exif\0\0" prefix inside the chunk.
                return payload.StartsWith("Exif\0\0"u8) ? payload[6..] : payload;
            }

            pos += 8 + (int)size + (int)(size & 1); // chunks are padded to an even size
        }

        return default;
    }

    /// <summary>The orientation tag of IFD0 of a TIFF-structured EXIF block; 0 when absent or malformed.</summary>
    private static int ReadOrientation(ReadOnlySpan<byte> tiff)
    {
        if (tiff.Length < 8)
        {
            return 0;
        }

        bool little;
        if (tiff.StartsWith("II"u8))
        {
            little = true;
        }
        else if (tiff.StartsWith("MM"u8))
        {
            little = false;
        }
        else
        {
            return 0;
        }

        if (ReadUInt16(tiff[2..], little) != 42)
        {
            return 0;
        }

        uint ifd = ReadUInt32(tiff[4..], little);
        if (ifd > (uint)(tiff.Length - 2))
        {
            return 0;
        }

        int count = ReadUInt16(tiff[(int)ifd..], little);
        int entries = (int)ifd + 2;
        for (int i = 0; i < count && entries + ((i + 1) * 12) <= tiff.Length; i++)
        {
            ReadOnlySpan<byte> entry = tiff.Slice(entries + (i * 12), 12);
            if (ReadUInt16(entry, little) == OrientationTag)
            {
                bool isOneShort = ReadUInt16(entry[2..], little) == ShortType && ReadUInt32(entry[4..], little) >= 1;
                return isOneShort ? ReadUInt16(entry[8..], little) : 0;
            }
        }

        return 0;
    }

    private static ushort ReadUInt16(ReadOnlySpan<byte> span, bool little) =>
        little ? BinaryPrimitives.ReadUInt16LittleEndian(span) : BinaryPrimitives.ReadUInt16BigEndian(span);

    private static uint ReadUInt32(ReadOnlySpan<byte> span, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(span) : BinaryPrimitives.ReadUInt32BigEndian(span);
}
