using SixLabors.ImageSharp.PixelFormats;

namespace FaceFunctions.Detection.Imaging;

/// <summary>
/// The instructions <see cref="ChromaUpsampling"/> runs the bulk of each row with. Every kernel gives the same pixels,
/// bit for bit; the loader takes the fastest one the CPU has (<see cref="ChromaUpsampling.Fastest"/>), and tests and
/// benchmarks can ask for any one the CPU runs, so that each stays checked on a machine that also has a faster one.
/// </summary>
internal enum ChromaKernel
{
    /// <summary>One pixel at a time (any CPU).</summary>
    Scalar,

    /// <summary>16 pixels at a time in two halves of 8, with AVX2 byte shuffles (<see cref="Avx2ChromaRows"/>).</summary>
    Avx2,

    /// <summary>16 pixels at a time, with an AVX-512 VBMI byte permute (<see cref="Avx512ChromaRows"/>).</summary>
    Avx512Vbmi,
}

/// <summary>
/// The vector part of one row of <see cref="ChromaUpsampling"/>: each method does as many pixels at the start of the
/// row as its vectors cover and returns how many; the per-pixel code does the rest (one interface call per row: the
/// dispatch costs nothing next to a row's pixels).
/// </summary>
internal interface IChromaRows
{
    /// <summary>The rounded mean Cb and Cr of the first 2×2 blocks of two pixel rows (<paramref name="bottom"/> empty past the last row); returns how many blocks.</summary>
    int ReadBlocks(ReadOnlySpan<Rgb24> top, ReadOnlySpan<Rgb24> bottom, Span<int> cb, Span<int> cr);

    /// <summary>Rewrites the first pixels of a row with the interpolated colour (padded vertical sums as in ChromaUpsampling.VerticalSums); returns how many pixels.</summary>
    int WritePixels(Span<Rgb24> row, ReadOnlySpan<int> cbSums, ReadOnlySpan<int> crSums);
}

/// <summary>No vector instructions: the per-pixel code does every row whole.</summary>
internal sealed class ScalarChromaRows : IChromaRows
{
    public int ReadBlocks(ReadOnlySpan<Rgb24> top, ReadOnlySpan<Rgb24> bottom, Span<int> cb, Span<int> cr) => 0;

    public int WritePixels(Span<Rgb24> row, ReadOnlySpan<int> cbSums, ReadOnlySpan<int> crSums) => 0;
}
