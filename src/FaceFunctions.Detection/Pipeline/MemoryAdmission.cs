using FaceFunctions.Detection.Imaging;

namespace FaceFunctions.Detection.Pipeline;

/// <summary>
/// Admission by memory: before a photo is decoded, its need is estimated from what its header declares
/// (<see cref="PhotoMemoryEstimate"/>) and reserved in the process's <see cref="MemoryBudget"/>, waiting if the
/// photos in progress hold too much. A photo whose need alone exceeds the budget is refused as TooLarge.
/// </summary>
internal sealed class MemoryAdmission
{
    private const long MiB = 1024 * 1024;

    private readonly OutputOptions _output;

    public MemoryAdmission(ImageLimits limits, OutputOptions output)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        Budget = limits.MemoryBudgetMegabytes == 0 ? MemoryBudget.Unlimited() : new MemoryBudget(limits.MemoryBudgetMegabytes * MiB);
    }

    public MemoryBudget Budget { get; }

    /// <summary>Bytes the photo is expected to need at its peak, from its header and the outputs asked for.</summary>
    public long Estimate(InspectedUpload upload) => PhotoMemoryEstimate.Bytes(upload, _output);

    /// <summary>Waits (first come, first served) until the photo's estimate is free, and reserves it.</summary>
    public Task<MemoryBudget.Reservation> AdmitAsync(InspectedUpload upload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        long need = Estimate(upload);
        if (need > Budget.Capacity)
        {
            throw new ImageRejectedException(
                ImageErrorCode.TooLarge,
                $"At {upload.Width} × {upload.Height} pixels this {upload.Format} photo needs about {Megabytes(need):N0} MB of memory to analyse; "
                + $"photos being analysed here may use {Megabytes(Budget.Capacity):N0} MB in all.");
        }

        return Budget.ReserveAsync(need, cancellationToken);
    }

    private static long Megabytes(long bytes) => (bytes + MiB - 1) / MiB;
}
