using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace FaceFunctions.Detection.Tests;

/// <summary>
/// Byte-level builders for hostile files that no encoder writes: PNGs from raw rows with any chunking, uniform
/// progressive JPEGs with any number of scans, LZW and RLE bombs, and surgery on encoded files (cut a scan,
/// patch a header). Everything is generated; nothing comes from outside the test.
/// </summary>
internal static class HostileFiles
{
    /// <summary>
    /// A PNG of <paramref name="width"/> × <paramref name="height"/> whose rows come from <paramref name="row"/>
    /// (filter byte 0 is added), with only the first <paramref name="rowsCoded"/> rows in the data, split into
    /// IDAT chunks of <paramref name="idatSize"/> bytes.
    /// </summary>
    public static byte[] Png(
        int width, int height, int bitDepth = 8, int colourType = 2, Func<int, byte[]>? row = null,
        int? rowsCoded = null, int idatSize = 8192, IEnumerable<(string Type, byte[] Data)>? extraChunks = null)
    {
        int channels = colourType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, _ => 4 };
        int rowBytes = ((width * channels * bitDepth) + 7) / 8;
        using var raw = new MemoryStream();
        // Blank pictures are the bombs: compress them as tightly as zlib can, as an attacker would.
        using (var zlib = new ZLibStream(raw, row is null ? CompressionLevel.SmallestSize : CompressionLevel.Fastest, leaveOpen: true))
        {
            var zeros = new byte[rowBytes + 1];
            for (int y = 0; y < (rowsCoded ?? height); y++)
            {
                if (row is null)
                {
                    zlib.Write(zeros);
                }
                else
                {
                    zlib.WriteByte(0);
                    zlib.Write(row(y));
                }
            }
        }

        byte[] data = raw.ToArray();
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = (byte)bitDepth;
        header[9] = (byte)colourType;
        WriteChunk(png, "IHDR", header);
        if (colourType == 3)
        {
            WriteChunk(png, "PLTE", [.. Enumerable.Range(0, 256).SelectMany(i => new[] { (byte)i, (byte)(255 - i), (byte)(i / 2) })]);
        }

        foreach (var (type, chunk) in extraChunks ?? [])
        {
            WriteChunk(png, type, chunk);
        }

        for (int offset = 0; offset < data.Length; offset += idatSize)
        {
            WriteChunk(png, "IDAT", data[offset..Math.Min(offset + idatSize, data.Length)]);
        }

        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>A gradient with some texture, <paramref name="width"/> RGB pixels wide: rows for <see cref="Png"/>.</summary>
    public static Func<int, byte[]> TexturedRows(int width) => y =>
    {
        var row = new byte[width * 3];
        for (int x = 0; x < width; x++)
        {
            row[(3 * x) + 0] = (byte)((x * 255 / Math.Max(width - 1, 1)) ^ (y & 7));
            row[(3 * x) + 1] = (byte)((y * 3) + ((x * 7) % 13));
            row[(3 * x) + 2] = (byte)((x + y) % 251);
        }

        return row;
    };

    /// <summary>
    /// A uniform grey progressive JPEG (one component): a DC scan, an AC scan covering coefficients 1 to 63 (both
    /// complete), then <paramref name="extraAcScans"/> more copies of the AC scan. <paramref name="acScans"/> = 0
    /// leaves the AC coefficients uncoded.
    /// </summary>
    public static byte[] ProgressiveGreyJpeg(int width, int height, int extraAcScans = 0, bool acScans = true)
    {
        int blocks = ((width + 7) / 8) * ((height + 7) / 8);
        using var jpeg = new MemoryStream();
        jpeg.Write([0xFF, 0xD8]);
        Segment(jpeg, 0xDB, [0, .. Enumerable.Repeat((byte)1, 64)]);
        Segment(jpeg, 0xC2, [8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 1, 1, 0x11, 0]);
        // One code of length 1 per table: DC size 0 (no difference), AC symbol 0xE0 (an EOB run of 2^14 + 14 bits).
        Segment(jpeg, 0xC4, [0x00, 1, .. new byte[15], 0x00, 0x10, 1, .. new byte[15], 0xE0]);
        Segment(jpeg, 0xDA, [1, 1, 0x00, 0, 0, 0]);
        var bits = new BitWriter();
        for (int b = 0; b < blocks; b++)
        {
            bits.Write(0, 1);
        }

        jpeg.Write(bits.Finish());
        int scans = acScans ? 1 + extraAcScans : 0;
        for (int s = 0; s < scans; s++)
        {
            Segment(jpeg, 0xDA, [1, 1, 0x00, 1, 63, 0]);
            var ac = new BitWriter();
            for (int left = blocks; left > 0;)
            {
                // Code '0' is symbol 0xE0: an EOB run of 2^14 plus 14 extra bits. A run may overshoot the
                // scan's last block; decoders stop at the end of the scan.
                int extra = Math.Clamp(left - (1 << 14), 0, (1 << 14) - 1);
                ac.Write(0, 1);
                ac.Write(extra, 14);
                left -= (1 << 14) + extra;
            }

            jpeg.Write(ac.Finish());
        }

        jpeg.Write([0xFF, 0xD9]);
        return jpeg.ToArray();
    }

    /// <summary>A baseline JPEG with its first scan's entropy-coded data cut at <paramref name="fraction"/>, then EOI.</summary>
    public static byte[] JpegScanCut(byte[] jpeg, double fraction)
    {
        int sos = FindMarker(jpeg, 0xDA);
        int dataStart = sos + 2 + BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(sos + 2));
        int eoi = jpeg.Length - 2;
        int cut = dataStart + (int)((eoi - dataStart) * fraction);
        if (jpeg[cut - 1] == 0xFF)
        {
            cut--;
        }

        return [.. jpeg[..cut], 0xFF, 0xD9];
    }

    /// <summary>Sets the quantisation table of the JPEG's first frame component to an undefined one.</summary>
    public static byte[] JpegWithUndefinedQuantTable(byte[] jpeg)
    {
        byte[] copy = (byte[])jpeg.Clone();
        int sof = FindMarker(copy, 0xC0);
        copy[sof + 2 + 2 + 6 + 2] = 3; // component 1: id, sampling, Tq
        return copy;
    }

    /// <summary>Rewrites the width and height in a baseline JPEG's frame header.</summary>
    public static byte[] JpegDeclaring(byte[] jpeg, int width, int height)
    {
        byte[] copy = (byte[])jpeg.Clone();
        int sof = FindMarker(copy, 0xC0);
        BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(sof + 5), (ushort)height);
        BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(sof + 7), (ushort)width);
        return copy;
    }

    /// <summary>The position of the first 0xFF <paramref name="marker"/> in the header part of a JPEG.</summary>
    public static int FindMarker(byte[] jpeg, byte marker)
    {
        int pos = 2;
        while (jpeg[pos + 1] != marker)
        {
            pos += 2 + BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(pos + 2));
        }

        return pos;
    }

    /// <summary>
    /// A one-colour GIF of <paramref name="width"/> × <paramref name="height"/> whose LZW codes grow to the
    /// longest string the code table allows (about 3,800 pixels per 12-bit code): a compression bomb. With
    /// <paramref name="pixelsCoded"/> below the area, the data stops early (followed by the terminator and trailer);
    /// <paramref name="longestCode"/> caps the pixels one code may stand for, which makes the file larger.
    /// </summary>
    public static byte[] UniformGif(int width, int height, long? pixelsCoded = null, int longestCode = 4096)
    {
        using var gif = new MemoryStream();
        gif.Write("GIF89a"u8);
        Span<byte> word = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(word, (ushort)width);
        gif.Write(word);
        BinaryPrimitives.WriteUInt16LittleEndian(word, (ushort)height);
        gif.Write(word);
        gif.Write([0xF7, 0, 0]); // global table of 256 colours
        gif.Write(new byte[768]);
        gif.Write([0x2C, 0, 0, 0, 0]);
        BinaryPrimitives.WriteUInt16LittleEndian(word, (ushort)width);
        gif.Write(word);
        BinaryPrimitives.WriteUInt16LittleEndian(word, (ushort)height);
        gif.Write(word);
        gif.Write([0, 8]);

        var bits = new LsbBitWriter();
        int codeSize = 9, next = 258;
        var lengths = new int[4096];
        long left = pixelsCoded ?? ((long)width * height);
        bits.Write(256, codeSize); // clear
        int previous = -1;
        while (left > 0)
        {
            int code;
            if (previous < 0)
            {
                code = 0;
                lengths[0] = 1;
            }
            else if (next < 4096 && lengths[previous] + 1 <= Math.Min(left, longestCode))
            {
                code = next; // the string just being defined: previous + its first pixel
            }
            else
            {
                // The table is full (or the end is near): the longest entry that still fits.
                code = 0;
                for (int c = Math.Min(next, 4096) - 1; c >= 258; c--)
                {
                    if (lengths[c] <= Math.Min(left, longestCode))
                    {
                        code = c;
                        break;
                    }
                }
            }

            bits.Write(code, codeSize);
            int length = code == next ? lengths[previous] + 1 : code < 256 ? 1 : lengths[code];
            if (previous >= 0 && next < 4096)
            {
                lengths[next++] = lengths[previous] + 1;
                if (next == 1 << codeSize && codeSize < 12)
                {
                    codeSize++;
                }
            }

            left -= length;
            previous = code;
        }

        bits.Write(257, codeSize); // end
        byte[] data = bits.Finish();
        for (int offset = 0; offset < data.Length; offset += 255)
        {
            int size = Math.Min(255, data.Length - offset);
            gif.WriteByte((byte)size);
            gif.Write(data, offset, size);
        }

        gif.Write([0, 0x3B]);
        return gif.ToArray();
    }

    /// <summary>
    /// An 8-bit RLE BMP of <paramref name="width"/> × <paramref name="height"/> whose only pixel data is delta
    /// escapes jumping over the whole picture and an end-of-bitmap: a kilobyte that declares any size.
    /// </summary>
    public static byte[] RleBmpBomb(int width, int height, bool withEnd = true)
    {
        using var data = new MemoryStream();
        for (int y = 0; y < height; y += 255)
        {
            data.Write([0, 2, 0, (byte)Math.Min(255, height - y)]);
        }

        if (withEnd)
        {
            data.Write([0, 1]);
        }

        return Bmp(width, height, 8, 1, data.ToArray(), palette: 256);
    }

    /// <summary>An 8-bit RLE BMP coding every row as runs of 255 pixels: a legitimate (if dull) file.</summary>
    public static byte[] RleBmp(int width, int height)
    {
        using var data = new MemoryStream();
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x += 255)
            {
                data.Write([(byte)Math.Min(255, width - x), (byte)(y % 256)]);
            }

            data.Write([0, 0]);
        }

        data.Write([0, 1]);
        return Bmp(width, height, 8, 1, data.ToArray(), palette: 256);
    }

    /// <summary>A BMP with a 40-byte info header and the given pixel data (as is: no check that it fits).</summary>
    public static byte[] Bmp(int width, int height, int bitsPerPixel, int compression, byte[] pixels, int palette = 0)
    {
        int offset = 14 + 40 + (4 * palette);
        var file = new byte[offset + pixels.Length];
        "BM"u8.CopyTo(file);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(2), file.Length);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(10), offset);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(22), height);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(28), (short)bitsPerPixel);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(30), compression);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(34), pixels.Length);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(46), palette);
        for (int i = 0; i < palette; i++)
        {
            file[54 + (4 * i)] = (byte)i;
            file[54 + (4 * i) + 1] = (byte)i;
            file[54 + (4 * i) + 2] = (byte)i;
        }

        pixels.CopyTo(file, offset);
        return file;
    }

    /// <summary>
    /// A lossless WebP (VP8L) that declares <paramref name="width"/> × <paramref name="height"/> but holds a
    /// few bytes of data: what 34-byte WebP bombs look like.
    /// </summary>
    public static byte[] TinyLosslessWebp(int width, int height)
    {
        uint bits = (uint)(width - 1) | ((uint)(height - 1) << 14);
        byte[] payload = [0x2F, (byte)bits, (byte)(bits >> 8), (byte)(bits >> 16), (byte)(bits >> 24), 0, 0, 0, 0, 0, 0, 0, 0, 0];
        return Riff([.. "VP8L"u8, .. Le32(payload.Length), .. payload]);
    }

    /// <summary>
    /// A lossy WebP (VP8) key frame header declaring <paramref name="width"/> × <paramref name="height"/> and a first
    /// partition of <paramref name="declaredPartition"/> bytes, with a tiny body of zeros.
    /// </summary>
    public static byte[] TinyLossyWebp(int width, int height, int declaredPartition = 20)
    {
        const int partition = 20;
        uint tag = (uint)(declaredPartition << 5) | 0x10; // key frame, version 0, shown
        byte[] payload = [(byte)tag, (byte)(tag >> 8), (byte)(tag >> 16), 0x9D, 0x01, 0x2A, (byte)width, (byte)(width >> 8), (byte)height, (byte)(height >> 8), .. new byte[partition + 2]];
        return Riff([.. "VP8 "u8, .. Le32(payload.Length), .. payload]);
    }

    /// <summary>Wraps chunks in a RIFF WEBP container with a correct size.</summary>
    public static byte[] Riff(byte[] chunks) => [.. "RIFF"u8, .. Le32(4 + chunks.Length), .. "WEBP"u8, .. chunks];

    public static byte[] Le32(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        return bytes;
    }

    public static void WriteChunk(Stream png, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        png.Write(word);
        byte[] typeAndData = [.. Encoding.ASCII.GetBytes(type), .. data];
        png.Write(typeAndData);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32(typeAndData));
        png.Write(word);
    }

    /// <summary>The CRC-32 (IEEE, reflected) that PNG chunks end with.</summary>
    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }

    private static void Segment(Stream jpeg, byte marker, byte[] payload)
    {
        jpeg.Write([0xFF, marker, (byte)((payload.Length + 2) >> 8), (byte)(payload.Length + 2)]);
        jpeg.Write(payload);
    }

    /// <summary>MSB-first bits with JPEG byte stuffing, padded with ones.</summary>
    private sealed class BitWriter
    {
        private readonly MemoryStream _bytes = new();
        private int _buffer;
        private int _count;

        public void Write(int value, int bits)
        {
            for (int i = bits - 1; i >= 0; i--)
            {
                _buffer = (_buffer << 1) | ((value >> i) & 1);
                if (++_count == 8)
                {
                    Flush();
                }
            }
        }

        public byte[] Finish()
        {
            while (_count != 0)
            {
                Write(1, 1);
            }

            return _bytes.ToArray();
        }

        private void Flush()
        {
            _bytes.WriteByte((byte)_buffer);
            if (_buffer == 0xFF)
            {
                _bytes.WriteByte(0);
            }

            _buffer = 0;
            _count = 0;
        }
    }

    /// <summary>LSB-first bits, as GIF's LZW packs them.</summary>
    private sealed class LsbBitWriter
    {
        private readonly MemoryStream _bytes = new();
        private long _buffer;
        private int _count;

        public void Write(int value, int bits)
        {
            _buffer |= (long)value << _count;
            _count += bits;
            while (_count >= 8)
            {
                _bytes.WriteByte((byte)_buffer);
                _buffer >>= 8;
                _count -= 8;
            }
        }

        public byte[] Finish()
        {
            if (_count > 0)
            {
                _bytes.WriteByte((byte)_buffer);
            }

            return _bytes.ToArray();
        }
    }
}
