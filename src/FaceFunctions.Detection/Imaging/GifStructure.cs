using System.Buffers.Binary;

namespace FaceFunctions.Detection.Imaging;

/// <summary>
/// Checks, before decoding, that a GIF's first frame (the only one decoded) holds a pixel for every position of
/// its frame rectangle. ImageSharp stops at the end of the LZW data without complaint and leaves the rest of
/// the frame transparent, so the LZW codes are followed here, tracking only the length of each dictionary
/// entry (no pixels), and the pixels they produce are counted.
/// </summary>
internal static class GifStructure
{
    private const int MaxCodes = 4096;

    /// <summary>Null when the first frame is whole, otherwise why not.</summary>
    public static ImageRejectedException? Check(ReadOnlySpan<byte> file)
    {
        if (file.Length < 13)
        {
            return Corrupt("its header is cut short");
        }

        int pos = 13;
        if ((file[10] & 0x80) != 0)
        {
            pos += 3 << ((file[10] & 0x07) + 1); // global colour table
        }

        while (pos < file.Length)
        {
            byte block = file[pos];
            if (block == 0x21)
            {
                pos = SkipSubBlocks(file, pos + 2);
                if (pos < 0)
                {
                    return Corrupt("an extension block is cut short (the file is truncated)");
                }
            }
            else if (block == 0x2C)
            {
                return FirstFrame(file, pos);
            }
            else
            {
                return Corrupt(block == 0x3B ? "it has no image" : "it holds an unknown block before its first image");
            }
        }

        return Corrupt("it ends before its first image (the file is truncated)");
    }

    private static ImageRejectedException Corrupt(string problem) =>
        new(ImageErrorCode.Corrupt, $"The gif file is damaged: {problem}.");

    private static ImageRejectedException? FirstFrame(ReadOnlySpan<byte> file, int pos)
    {
        if (pos + 11 > file.Length)
        {
            return Corrupt("its first image is cut short (the file is truncated)");
        }

        long pixels = (long)BinaryPrimitives.ReadUInt16LittleEndian(file[(pos + 5)..]) * BinaryPrimitives.ReadUInt16LittleEndian(file[(pos + 7)..]);
        byte packed = file[pos + 9];
        pos += 10;
        if ((packed & 0x80) != 0)
        {
            pos += 3 << ((packed & 0x07) + 1); // local colour table
        }

        if (pos >= file.Length)
        {
            return Corrupt("its first image is cut short (the file is truncated)");
        }

        int minimumCodeSize = file[pos];
        if (minimumCodeSize is < 1 or > 11)
        {
            return Corrupt("its first image has an invalid LZW code size");
        }

        long decoded = CountPixels(new SubBlockBits(file, pos + 1), minimumCodeSize, pixels);
        return decoded >= pixels
            ? null
            : Corrupt($"its first image's data ends after {decoded * 100.0 / Math.Max(pixels, 1):0.#}% of its pixels (the file is truncated or cut)");
    }

    /// <summary>
    /// Pixels the LZW stream produces, stopping at <paramref name="wanted"/>, at its end code, at the end of its
    /// data or at an invalid code (where decoders stop too).
    /// </summary>
    private static long CountPixels(SubBlockBits bits, int minimumCodeSize, long wanted)
    {
        Span<int> lengths = stackalloc int[MaxCodes];
        int clear = 1 << minimumCodeSize, end = clear + 1;
        int codeSize = minimumCodeSize + 1, next = end + 1, previous = -1;
        for (int i = 0; i < clear; i++)
        {
            lengths[i] = 1;
        }

        long count = 0;
        while (count < wanted)
        {
            int code = bits.Read(codeSize);
            if (code < 0 || code == end)
            {
                break;
            }

            if (code == clear)
            {
                codeSize = minimumCodeSize + 1;
                next = end + 1;
                previous = -1;
                continue;
            }

            int length;
            if (previous < 0)
            {
                if (code >= clear)
                {
                    break;
                }

                length = 1;
            }
            else
            {
                if (code > next || (code == next && next >= MaxCodes))
                {
                    break;
                }

                length = code < next ? lengths[code] : lengths[previous] + 1;
                if (next < MaxCodes)
                {
                    lengths[next++] = lengths[previous] + 1;
                    if (next == 1 << codeSize && codeSize < 12)
                    {
                        codeSize++;
                    }
                }
            }

            count += length;
            previous = code;
        }

        return count;
    }

    /// <summary>The position after a chain of sub-blocks ending with a zero-length block, or -1 past the end.</summary>
    private static int SkipSubBlocks(ReadOnlySpan<byte> file, int pos)
    {
        while (pos < file.Length && file[pos] != 0)
        {
            pos += file[pos] + 1;
        }

        return pos < file.Length ? pos + 1 : -1;
    }

    /// <summary>LSB-first bits across the data sub-blocks of one image; -1 once the blocks (or the file) end.</summary>
    private ref struct SubBlockBits(ReadOnlySpan<byte> file, int position)
    {
        private readonly ReadOnlySpan<byte> _file = file;
        private int _position = position;
        private int _blockLeft;
        private uint _buffer;
        private int _count;

        public int Read(int n)
        {
            while (_count < n)
            {
                if (_blockLeft == 0)
                {
                    if (_position >= _file.Length || _file[_position] == 0)
                    {
                        return -1;
                    }

                    _blockLeft = _file[_position++];
                }

                if (_position >= _file.Length)
                {
                    return -1;
                }

                _buffer |= (uint)_file[_position++] << _count;
                _count += 8;
                _blockLeft--;
            }

            int value = (int)(_buffer & ((1u << n) - 1));
            _buffer >>= n;
            _count -= n;
            return value;
        }
    }
}
