using FaceFunctions.Detection.Imaging;
using FaceFunctions.Detection.Mtcnn;
using FaceFunctions.Detection.Pipeline;

namespace FaceFunctions.Detection.Tests.Pipeline;

/// <summary>
/// Memory admission through the real pipeline (real models, real photos). Waiting is observed through the budget's
/// own counters, never through time: the test holds the budget itself, lets the photos queue, then lets go.
/// </summary>
public sealed class MemoryAdmissionTests
{
    private const long MiB = 1024 * 1024;

    private static readonly PipelineOptions Cpu = new() { Inference = new InferenceOptions { ExecutionProvider = ExecutionProvider.Cpu, Threads = 2 } };

    [Fact]
    public async Task With_a_budget_for_one_photo_two_photos_run_one_after_the_other()
    {
        byte[] photo = Fixtures.Bytes(Fixtures.Astronaut);
        int megabytes = BudgetForOne(photo);
        using var pipeline = PhotoPipeline.Create(Cpu with { Limits = new ImageLimits { MemoryBudgetMegabytes = megabytes } });
        var budget = pipeline.Admission.Budget;
        var everything = await budget.ReserveAsync(budget.Capacity);

        var first = pipeline.ProcessAsync(new MemoryStream(photo), "first.png");
        var second = pipeline.ProcessAsync(new MemoryStream(photo), "second.png");
        await WaitUntil(() => budget.Waiting == 2);
        everything.Dispose();
        var results = await Task.WhenAll(first, second);

        Assert.All(results, result => Assert.Single(result.Document.Faces!));
        // Both were queued before either started; with room for one, they never held memory together.
        Assert.Equal(1, budget.MostHeldAtOnce);
        Assert.Equal(budget.Capacity, budget.Available);
    }

    [Fact]
    public async Task A_photo_that_alone_needs_more_than_the_budget_gets_a_TooLarge_document()
    {
        using var pipeline = PhotoPipeline.Create(Cpu with { Limits = new ImageLimits { MemoryBudgetMegabytes = 1 } });

        var result = await pipeline.ProcessAsync(new MemoryStream(Fixtures.Bytes(Fixtures.Astronaut)), "astronaut.png");

        Assert.True(result.IsError);
        Assert.Equal("TooLarge", result.Document.Error!.Code);
        Assert.StartsWith("At 512 × 512 pixels this png photo needs about ", result.Document.Error.Message, StringComparison.Ordinal);
        Assert.EndsWith("may use 1 MB in all.", result.Document.Error.Message, StringComparison.Ordinal);
        Assert.Empty(result.Crops);
        DocumentSchema.AssertValid(result.Document);
        Assert.Equal((0, MiB), (pipeline.Admission.Budget.Waiting, pipeline.Admission.Budget.Available));
    }

    [Fact]
    public async Task A_photo_waiting_for_memory_can_be_cancelled()
    {
        using var pipeline = PhotoPipeline.Create(Cpu);
        var budget = pipeline.Admission.Budget;
        using var cancel = new CancellationTokenSource();
        using (await budget.ReserveAsync(budget.Capacity))
        {
            var waiting = pipeline.ProcessAsync(new MemoryStream(Fixtures.Bytes(Fixtures.Astronaut)), "astronaut.png", cancel.Token);
            await WaitUntil(() => budget.Waiting == 1);

            await cancel.CancelAsync();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
            Assert.Equal(0, budget.Waiting);
        }

        Assert.Equal(budget.Capacity, budget.Available);
    }

    [Fact]
    public async Task Without_a_budget_photos_are_admitted_together()
    {
        using var pipeline = PhotoPipeline.Create(Cpu with { Limits = new ImageLimits { MemoryBudgetMegabytes = 0 } });

        var results = await Task.WhenAll(
            pipeline.ProcessAsync(new MemoryStream(Fixtures.Bytes(Fixtures.Astronaut)), "a.png"),
            pipeline.ProcessAsync(new MemoryStream(Fixtures.Bytes(Fixtures.Astronaut)), "b.png"));

        Assert.True(pipeline.Admission.Budget.IsUnlimited);
        Assert.All(results, result => Assert.False(result.IsError));
    }

    [Fact]
    public void The_estimate_counts_the_bytes_held_the_pixels_and_the_previews()
    {
        var plain = new OutputOptions();
        var previews = new OutputOptions { WriteAnnotated = true };

        long small = PhotoMemoryEstimate.Bytes("jpeg", 24, 1, 4000L * 3000, bytesHeld: 0, plain);
        long large = PhotoMemoryEstimate.Bytes("jpeg", 24, 1, 10_000L * 10_000, bytesHeld: 0, plain);
        long held = PhotoMemoryEstimate.Bytes("jpeg", 24, 1, 4000L * 3000, bytesHeld: 64 * MiB, plain);

        Assert.True(large > 8 * (small - PhotoMemoryEstimate.PerPhotoBytes));
        Assert.Equal(small + (64 * MiB), held);
        Assert.True(PhotoMemoryEstimate.Bytes("jpeg", 24, 1, 4000L * 3000, 0, previews) > small);
        Assert.True(PhotoMemoryEstimate.Bytes("jpeg", 24, 6, 4000L * 3000, 0, plain) > small);
    }

    [Theory]
    [InlineData("jpeg", 24)]
    [InlineData("jpeg", 8)]
    [InlineData("png", 8)]
    [InlineData("png", 24)]
    [InlineData("png", 32)]
    [InlineData("gif", 8)]
    [InlineData("bmp", 24)]
    [InlineData("bmp", 32)]
    [InlineData("webp", 24)]
    [InlineData("webp", 32)]
    public void Every_photo_the_default_limits_accept_fits_the_default_budget_alone(string format, int bitsPerPixel)
    {
        // The largest upload buffer: the byte limit rounded up to the pool's power of two.
        long bytesHeld = (long)System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)ImageLimits.DefaultMaxBytes + 1);
        var everything = new OutputOptions { WriteAnnotated = true, WriteAnonymized = true };

        long need = PhotoMemoryEstimate.Bytes(format, bitsPerPixel, orientation: 6, ImageLimits.DefaultMaxPixels, bytesHeld, everything);

        Assert.True(need <= ImageLimits.DefaultMemoryBudgetMegabytes * MiB, $"{need / MiB} MB");
    }

    [Theory]
    [InlineData(48, 6)]
    [InlineData(64, 8)]
    public void A_16_bit_png_at_the_decoded_size_cap_fits_the_default_budget_alone(int bitsPerPixel, int bytesPerPixel)
    {
        long pixels = RestrictedConfiguration.LargestBufferBytes(ImageLimits.Default) / bytesPerPixel;

        long need = PhotoMemoryEstimate.Bytes("png", bitsPerPixel, orientation: 6, pixels, 64 * MiB, new OutputOptions { WriteAnnotated = true });

        Assert.True(need <= ImageLimits.DefaultMemoryBudgetMegabytes * MiB, $"{need / MiB} MB");
    }

    /// <summary>A budget, in whole MB, that holds one of these photos but not two.</summary>
    private static int BudgetForOne(byte[] photo)
    {
        using var pipeline = PhotoPipeline.Create(Cpu);
        using var inspected = pipeline.Loader.Inspect(new MemoryStream(photo));
        long one = pipeline.Admission.Estimate(inspected);
        int megabytes = (int)((one + MiB - 1) / MiB);
        Assert.True(2 * one > megabytes * MiB, "The budget must not hold two photos.");
        return megabytes;
    }

    /// <summary>Polls a condition the pipeline reaches by itself; the timeout only keeps a broken build from hanging.</summary>
    private static async Task WaitUntil(Func<bool> condition)
    {
        using var hang = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (!condition())
        {
            await Task.Delay(10, hang.Token);
        }
    }
}
