using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;

namespace FaceFunctions.Detection.Imaging;

/// <summary>
/// Checks, before decoding, that a PNG's image data holds every row its header declares. ImageSharp decodes a
/// PNG whose IDAT data stops halfway (followed by a proper IEND) as a whole image with the missing rows black, so
/// the concatenated IDAT data is inflated here and its length compared with what the header needs: every row's
/// filter byte and pixels, pass by pass for interlaced files. Inflating costs about what the decoder's own
/// inflating costs, and stops as soon as the expected length is reached.
/// </summary>
/// <remarks>
/// ImageSharp 2.1.13 also fails on valid files whose IDAT data is split into very small chunks (it reads the
/// two-byte zlib header across a chunk boundary wrongly), so such files are rewritten with their IDAT chunks
/// merged into one, after checking every chunk's CRC ourselves (the decoder would otherwise be shown a CRC we
/// computed, never the uploader's).
/// </remarks>
internal static class PngStructure
{
    /// <summary>IDAT chunks below this size are merged before decoding (see remarks).</summary>
    private const int SmallestSafeIdat = 16;

    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>
    /// Null when the PNG is whole (<paramref name="rewritten"/> set when it had to be re-chunked), otherwise why not.
    /// </summary>
    public static ImageRejectedException? Check(ReadOnlySpan<byte> file, out byte[]? rewritten)
    {
        rewritten = null;
        var chunks = new List<(int Start, int Length, uint Type)>();
        int pos = 8; // after the signature
        bool ended = false;
        while (pos + 12 <= file.Length)
        {
            uint length = BinaryPrimitives.ReadUInt32BigEndian(file[pos..]);
            if (length > (uint)(file.Length - pos - 12))
            {
                break;
            }

            uint type = BinaryPrimitives.ReadUInt32BigEndian(file[(pos + 4)..]);
            chunks.Add((pos, (int)length, type));
            pos += 12 + (int)length;
            if (type == Iend)
            {
                ended = true;
                break;
            }
        }

        if (!ended)
        {
            return Corrupt("it ends before its IEND chunk (the file is truncated)");
        }

        if (chunks.Count == 0 || chunks[0].Type != Ihdr || chunks[0].Length < 13)
        {
            return Corrupt("it does not start with an image header");
        }

        List<(int Start, int Length, uint Type)> data = chunks.FindAll(c => c.Type == Idat);
        if (data.Count == 0)
        {
            return Corrupt("it has no image data");
        }

        int firstData = chunks.FindIndex(c => c.Type == Idat);
        if (chunks.Skip(firstData).Take(data.Count).Any(c => c.Type != Idat))
        {
            return Corrupt("its image data chunks are not consecutive");
        }

        ReadOnlySpan<byte> header = file.Slice(chunks[0].Start + 8, 13);
        long expected = ExpectedDataLength(header);
        if (expected < 0)
        {
            return Corrupt("its header declares an invalid bit depth or colour type");
        }

        long actual = InflatedLength(file, data, expected);
        if (actual < 0)
        {
            return Corrupt("its compressed image data is damaged");
        }

        if (actual < expected)
        {
            return Corrupt($"its image data holds {actual * 100.0 / expected:0.#}% of the rows the header declares (the file is truncated or cut)");
        }

        if (data.Count > 1 && data.Take(data.Count - 1).Any(c => c.Length < SmallestSafeIdat))
        {
            foreach (var chunk in chunks)
            {
                if (Crc(file.Slice(chunk.Start + 4, 4 + chunk.Length)) != BinaryPrimitives.ReadUInt32BigEndian(file[(chunk.Start + 8 + chunk.Length)..]))
                {
                    return Corrupt("a chunk's checksum does not match its data");
                }
            }

            rewritten = MergeData(file, chunks, data);
        }

        return null;
    }

    private const uint Ihdr = 0x49484452, Idat = 0x49444154, Iend = 0x49454E44;

    private static ImageRejectedException Corrupt(string problem) =>
        new(ImageErrorCode.Corrupt, $"The png file is damaged: {problem}.");

    /// <summary>Bytes the inflated data must have: a filter byte plus the packed pixels of each row of each pass.</summary>
    private static long ExpectedDataLength(ReadOnlySpan<byte> header)
    {
        long width = BinaryPrimitives.ReadUInt32BigEndian(header);
        long height = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        int depth = header[8], colourType = header[9];
        int channels = colourType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => 0 };
        if (channels == 0 || depth is not (1 or 2 or 4 or 8 or 16))
        {
            return -1;
        }

        int bitsPerPixel = channels * depth;
        long Rows(long w, long h) => w == 0 || h == 0 ? 0 : h * (1 + (((w * bitsPerPixel) + 7) / 8));
        if (header[12] == 0)
        {
            return Rows(width, height);
        }

        // Adam7: (x start, y start, x step, y step) of the seven passes.
        ReadOnlySpan<int> passes = [0, 0, 8, 8, 4, 0, 8, 8, 0, 4, 4, 8, 2, 0, 4, 4, 0, 2, 2, 4, 1, 0, 2, 2, 0, 1, 1, 2];
        long total = 0;
        for (int p = 0; p < passes.Length; p += 4)
        {
            long w = (width - passes[p] + passes[p + 2] - 1) / passes[p + 2];
            long h = (height - passes[p + 1] + passes[p + 3] - 1) / passes[p + 3];
            total += Rows(Math.Max(w, 0), Math.Max(h, 0));
        }

        return total;
    }

    /// <summary>How many bytes the IDAT data inflates to, counting no further than one past the expected length; -1 when it is not valid zlib.</summary>
    private static long InflatedLength(ReadOnlySpan<byte> file, List<(int Start, int Length, uint Type)> data, long expected)
    {
        // The IDAT payloads joined (one zlib stream), in a pooled buffer: no lasting allocation the size of the upload.
        int compressedLength = data.Sum(c => c.Length);
        byte[] compressed = ArrayPool<byte>.Shared.Rent(compressedLength);
        byte[] scratch = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int offset = 0;
            foreach (var chunk in data)
            {
                file.Slice(chunk.Start + 8, chunk.Length).CopyTo(compressed.AsSpan(offset));
                offset += chunk.Length;
            }

            long total = 0;
            try
            {
                using var inflater = new ZLibStream(new MemoryStream(compressed, 0, compressedLength, writable: false), CompressionMode.Decompress);
                while (total <= expected)
                {
                    int read = inflater.Read(scratch, 0, (int)Math.Min(scratch.Length, expected + 1 - total));
                    if (read == 0)
                    {
                        break;
                    }

                    total += read;
                }
            }
            catch (InvalidDataException)
            {
                return total >= expected ? total : -1;
            }

            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
            ArrayPool<byte>.Shared.Return(compressed);
        }
    }

    /// <summary>The same chunks with all IDAT data in one chunk, at the place of the first.</summary>
    private static byte[] MergeData(ReadOnlySpan<byte> file, List<(int Start, int Length, uint Type)> chunks, List<(int Start, int Length, uint Type)> data)
    {
        int dataLength = data.Sum(c => c.Length);
        using var result = new MemoryStream(file.Length);
        result.Write(file[..8]);
        bool merged = false;
        Span<byte> word = stackalloc byte[4];
        foreach (var chunk in chunks)
        {
            if (chunk.Type != Idat)
            {
                result.Write(file.Slice(chunk.Start, 12 + chunk.Length));
                continue;
            }

            if (merged)
            {
                continue;
            }

            merged = true;
            byte[] body = new byte[4 + dataLength];
            BinaryPrimitives.WriteUInt32BigEndian(body, Idat);
            int offset = 4;
            foreach (var part in data)
            {
                file.Slice(part.Start + 8, part.Length).CopyTo(body.AsSpan(offset));
                offset += part.Length;
            }

            BinaryPrimitives.WriteInt32BigEndian(word, dataLength);
            result.Write(word);
            result.Write(body);
            BinaryPrimitives.WriteUInt32BigEndian(word, Crc(body));
            result.Write(word);
        }

        return result.ToArray();
    }

    private static uint Crc(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
