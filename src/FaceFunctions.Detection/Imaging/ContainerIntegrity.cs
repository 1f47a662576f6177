using System.Buffers.Binary;

namespace FaceFunctions.Detection.Imaging;

/// <summary>
/// Detects JPEG and PNG files cut short. ImageSharp decodes a truncated JPEG without complaint, filling
/// the missing part with grey; a photo analysed from half its pixels would silently lose faces, so the
/// loader reports it as <see cref="ImageErrorCode.Corrupt"/> instead.
/// </summary>
internal static class ContainerIntegrity
{
    /// <summary>True when the JPEG's segment and scan structure reaches an EOI marker.</summary>
    public static bool IsCompleteJpeg(ReadOnlySpan<byte> file)
    {
        int pos = 2; // after SOI
        while (true)
        {
            // Between segments only 0xFF fill bytes are expected; skip any stray bytes as decoders do.
            int next = file[pos..].IndexOf((byte)0xFF);
            if (next < 0)
            {
                return false;
            }

            pos += next;
            while (pos < file.Length && file[pos] == 0xFF)
            {
                pos++;
            }

            if (pos >= file.Length)
            {
                return false;
            }

            byte marker = file[pos++];
            if (marker == 0xD9)
            {
                return true;
            }

            if (marker is 0x00 or 0x01 or (>= 0xD0 and <= 0xD8))
            {
                continue; // no length field
            }

            if (pos + 2 > file.Length)
            {
                return false;
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(file[pos..]);
            if (length < 2 || pos + length > file.Length)
            {
                return false;
            }

            pos += length;
            if (marker == 0xDA)
            {
                pos = SkipEntropyCodedData(file, pos);
                if (pos < 0)
                {
                    return false;
                }
            }
        }
    }

    /// <summary>True when the PNG's chunks are all whole and end with IEND.</summary>
    public static bool IsCompletePng(ReadOnlySpan<byte> file)
    {
        int pos = 8; // after the signature
        while (pos + 12 <= file.Length)
        {
            uint length = BinaryPrimitives.ReadUInt32BigEndian(file[pos..]);
            if (length > (uint)(file.Length - pos - 12))
            {
                return false;
            }

            if (file.Slice(pos + 4, 4).SequenceEqual("IEND"u8))
            {
                return true;
            }

            pos += 12 + (int)length;
        }

        return false;
    }

    /// <summary>
    /// The position of the first marker after a scan's entropy-coded data (0xFF followed by anything but
    /// a stuffed zero or a restart marker), or -1 when the file ends inside the scan.
    /// </summary>
    private static int SkipEntropyCodedData(ReadOnlySpan<byte> file, int pos)
    {
        while (true)
        {
            int next = file[pos..].IndexOf((byte)0xFF);
            if (next < 0 || pos + next + 1 >= file.Length)
            {
                return -1;
            }

            pos += next;
            byte following = file[pos + 1];
            if (following == 0x00 || following is >= 0xD0 and <= 0xD7)
            {
                pos += 2;
                continue;
            }

            if (following == 0xFF)
            {
                pos++; // fill bytes before a marker
                continue;
            }

            return pos;
        }
    }
}
