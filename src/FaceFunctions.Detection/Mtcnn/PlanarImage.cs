using System.Buffers;

namespace FaceFunctions.Detection.Mtcnn;

/// <summary>
/// A normalised 3-channel float image in planar (CHW) layout: exactly the memory of a [1,3,H,W] network input.
/// Backed by a pooled array, so pyramid levels do not churn the large-object heap.
/// </summary>
internal sealed class PlanarImage : IDisposable
{
    private float[]? _buffer;

    public PlanarImage(int width, int height)
    {
        Width = width;
        Height = height;
        _buffer = ArrayPool<float>.Shared.Rent(3 * width * height);
    }

    public int Width { get; }

    public int Height { get; }

    public int PlaneSize => Width * Height;

    public Span<float> Row(int channel, int y) => Buffer.AsSpan((channel * PlaneSize) + (y * Width), Width);

    /// <summary>Rows [y0, y0 + count) of one channel: contiguous, since a plane is row-major.</summary>
    public Span<float> Rows(int channel, int y0, int count) => Buffer.AsSpan((channel * PlaneSize) + (y0 * Width), count * Width);

    public Memory<float> Memory => Buffer.AsMemory(0, 3 * PlaneSize);

    private float[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(PlanarImage));

    public void Dispose()
    {
        if (_buffer is not null)
        {
            ArrayPool<float>.Shared.Return(_buffer);
            _buffer = null;
        }
    }
}
