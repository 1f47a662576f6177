using System.Buffers.Binary;

namespace FaceFunctions.Detection.Imaging;

/// <summary>
/// Walks a JPEG's marker segments from the start of the file up to the first scan, bounds-checked: the header
/// facts we read ourselves (EXIF orientation, colour subsampling) without letting a decoder parse metadata.
/// </summary>
internal ref struct JpegHeaderSegments(ReadOnlySpan<byte> file)
{
    private readonly ReadOnlySpan<byte> _file = file;
    private int _pos = 2; // after SOI

    /// <summary>The next segment before the image data; false at the first scan, the end, or a malformed length.</summary>
    public bool TryNext(out byte marker, out ReadOnlySpan<byte> payload)
    {
        while (_pos + 4 <= _file.Length && _file[_pos] == 0xFF)
        {
            marker = _file[_pos + 1];
            if (marker == 0xFF)
            {
                _pos++; // fill byte
                continue;
            }

            if (marker == 0xDA || marker == 0xD9)
            {
                break; // start of scan or end of image: no header segments follow
            }

            if (marker is 0x01 or (>= 0xD0 and <= 0xD8))
            {
                _pos += 2; // markers without a length
                continue;
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(_file[(_pos + 2)..]);
            if (length < 2 || _pos + 2 + length > _file.Length)
            {
                break;
            }

            payload = _file.Slice(_pos + 4, length - 2);
            _pos += 2 + length;
            return true;
        }

        marker = 0;
        payload = default;
        return false;
    }
}
