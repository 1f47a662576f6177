using System.Buffers.Binary;

namespace FaceFunctions.Detection.Imaging;

/// <summary>
/// Checks, before decoding, that a WebP file's RIFF container is whole: the RIFF size matches the file and every
/// chunk, the image chunk included, lies inside it (ImageSharp decodes a cut file without complaint, the missing
/// part black). Inside a lossy image, the first partition must fit in its chunk. What this cannot see is a body
/// cut short inside a chunk whose sizes were rewritten to match; the bytes-per-megapixel floor
/// (<see cref="ImageLimits.MinBytesPerMegapixel"/>) bounds what such a file can cost.
/// </summary>
internal static class WebpStructure
{
    /// <summary>Null when the container is whole, otherwise why not.</summary>
    public static ImageRejectedException? Check(ReadOnlySpan<byte> file)
    {
        if (file.Length < 20)
        {
            return Corrupt("its header is cut short");
        }

        long riffEnd = 8L + BinaryPrimitives.ReadUInt32LittleEndian(file[4..]);
        if (riffEnd > file.Length)
        {
            return Corrupt($"it declares {riffEnd:N0} bytes but has {file.Length:N0} (the file is truncated)");
        }

        int pos = 12;
        bool image = false;
        while (pos + 8 <= riffEnd)
        {
            ReadOnlySpan<byte> type = file.Slice(pos, 4);
            long size = BinaryPrimitives.ReadUInt32LittleEndian(file[(pos + 4)..]);
            if (pos + 8 + size > riffEnd)
            {
                return Corrupt("a chunk runs past the end of the file (the file is truncated)");
            }

            ReadOnlySpan<byte> payload = file.Slice(pos + 8, (int)size);
            if (type.SequenceEqual("VP8 "u8))
            {
                image = true;
                if (payload.Length < 10)
                {
                    return Corrupt("its image chunk is cut short");
                }

                int firstPartition = (payload[0] | (payload[1] << 8) | (payload[2] << 16)) >> 5;
                if (firstPartition > payload.Length - 10)
                {
                    return Corrupt("its image data ends inside the first partition (the file is truncated)");
                }
            }
            else if (type.SequenceEqual("ANMF"u8))
            {
                image = true; // an animation frame nests its own image chunks: left to the decoder
            }
            else if (type.SequenceEqual("VP8L"u8))
            {
                image = true;
                if (payload.Length < 5)
                {
                    return Corrupt("its image chunk is cut short");
                }
            }

            pos += 8 + (int)size + (int)(size & 1);
        }

        return image ? null : Corrupt("it holds no image chunk");
    }

    private static ImageRejectedException Corrupt(string problem) =>
        new(ImageErrorCode.Corrupt, $"The webp file is damaged: {problem}.");
}
