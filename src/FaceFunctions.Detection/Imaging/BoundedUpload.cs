using System.Buffers;

namespace FaceFunctions.Detection.Imaging;

/// <summary>
/// An upload read into a pooled buffer, never more than <c>maxBytes + 1</c> bytes whatever the stream
/// or its claimed length says: one byte past the limit is enough to know the upload is too large.
/// Dispose returns the buffer to the pool.
/// </summary>
internal sealed class BoundedUpload : IDisposable
{
    private const int InitialBufferBytes = 64 * 1024;
    private const int LargestInitialBuffer = 16 * 1024 * 1024;

    private readonly long _maxBytes;
    private byte[] _buffer;

    private BoundedUpload(Stream stream, long maxBytes)
    {
        _maxBytes = maxBytes;
        // A seekable stream's length is only a sizing hint; the limit is enforced on what is actually read.
        long hint = stream.CanSeek ? stream.Length - stream.Position + 1 : InitialBufferBytes;
        _buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(hint, 1, Math.Min(maxBytes + 1, LargestInitialBuffer)));
    }

    /// <summary>The buffer; only its first <see cref="Length"/> bytes are the upload.</summary>
    public byte[] Buffer => _buffer;

    public int Length { get; private set; }

    /// <summary>True when the stream had more than the limit (reading stopped one byte past it).</summary>
    public bool Exceeded => Length > _maxBytes;

    public static BoundedUpload Read(Stream stream, long maxBytes)
    {
        var upload = new BoundedUpload(stream, maxBytes);
        try
        {
            while (!upload.Exceeded && upload.Append(stream.Read(upload.NextWindow().Span)))
            {
            }

            return upload;
        }
        catch
        {
            upload.Dispose();
            throw;
        }
    }

    public static async Task<BoundedUpload> ReadAsync(Stream stream, long maxBytes, CancellationToken cancellationToken)
    {
        var upload = new BoundedUpload(stream, maxBytes);
        try
        {
            while (!upload.Exceeded)
            {
                int read = await stream.ReadAsync(upload.NextWindow(), cancellationToken).ConfigureAwait(false);
                if (!upload.Append(read))
                {
                    break;
                }
            }

            return upload;
        }
        catch
        {
            upload.Dispose();
            throw;
        }
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);

    /// <summary>Records a read; false at the end of the stream.</summary>
    private bool Append(int read)
    {
        Length += read;
        return read > 0;
    }

    /// <summary>Where the next read goes: grows the buffer when full, never offers room past maxBytes + 1.</summary>
    private Memory<byte> NextWindow()
    {
        if (Length == _buffer.Length)
        {
            long wanted = Math.Min((long)_buffer.Length * 2, _maxBytes + 1);
            byte[] larger = ArrayPool<byte>.Shared.Rent((int)wanted);
            System.Buffer.BlockCopy(_buffer, 0, larger, 0, Length);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        return _buffer.AsMemory(Length, (int)Math.Min(_buffer.Length - Length, _maxBytes + 1 - Length));
    }
}
