using Azure;

namespace FaceFunctions.Storage.Processing;

/// <summary>
/// A read-only view of the photo's download stream that turns storage failures into <see cref="IOException"/>
/// (the only exception the detector lets through, so a throttled read is never mistaken for a corrupt photo)
/// and remembers the first one, so the caller can tell a transient failure from a bad photo even if the
/// detector swallowed it.
/// </summary>
internal sealed class StorageReadStream(Stream inner) : Stream
{
    public Exception? Failure { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => inner.CanSeek;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => inner.Position = value;
    }

    public override int Read(byte[] buffer, int offset, int count) => Guard(() => inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return inner.Read(buffer);
        }
        catch (Exception e) when (IsStorageFailure(e))
        {
            throw Remember(e);
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await inner.ReadAsync(buffer, cancellationToken);
        }
        catch (Exception e) when (IsStorageFailure(e))
        {
            throw Remember(e);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => Guard(() => inner.Seek(offset, origin));

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private static bool IsStorageFailure(Exception e) => e is RequestFailedException or IOException or AggregateException;

    private T Guard<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (IsStorageFailure(e))
        {
            throw Remember(e);
        }
    }

    private IOException Remember(Exception e)
    {
        Failure ??= e;
        return e as IOException ?? new IOException($"Reading the photo from storage failed: {e.Message}", e);
    }
}
