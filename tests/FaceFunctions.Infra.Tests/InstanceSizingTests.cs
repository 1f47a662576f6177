using System.Globalization;
using FaceFunctions.App.Configuration;

namespace FaceFunctions.Infra.Tests;

/// <summary>
/// What one instance takes on follows from two knobs: FaceFunctions__MaxConcurrentDetections (N) sets the host's
/// blob and queue parallelism, and the instance's memory sets the decoded-photo budget. Checked on the predicted
/// deployments of both hosting modes, with the defaults and with the knobs turned.
/// </summary>
[Collection(SnapshotCollection.Name)]
public sealed class InstanceSizingTests(Snapshots snapshots)
{
    /// <summary>
    /// Deployment (see <see cref="Settings"/>), N, then the queue batch size and new-batch threshold the templates must
    /// derive from N: batchSize = ceil(N / 2), newBatchThreshold = N - batchSize.
    /// </summary>
    public static TheoryData<string, int, int, int> Parallelism => new()
    {
        { "flex", 2, 1, 1 },
        { "gpu", 8, 4, 4 },
        { "flex-custom", 8, 4, 4 },
        { "gpu-custom", 3, 2, 1 },
    };

    /// <summary>
    /// Deployment, then the memory budget in MB: unless given, the instance's or replica's memory less 512 MB (what the
    /// budget does not cover, ImageLimits.MemoryBudgetMegabytes), or 75 % of it when that is more.
    /// </summary>
    public static TheoryData<string, int> MemoryBudgets => new()
    {
        { "flex", 1536 },           // 2,048 MB instances
        { "flex-custom", 3584 },    // 4,096 MB instances
        { "gpu", 56_832 },          // T4 replica, 56 GiB
        { "gpu-a100", 224_768 },    // A100 replica, 220 GiB
        { "gpu-custom", 20_000 },   // MEMORY_BUDGET_MEGABYTES=20000
    };

    [Theory]
    [MemberData(nameof(Parallelism))]
    public void TheHostStartsAsManyInvocationsPerTriggerAsTheAppRunsDetections(string deployment, int detections, int batchSize, int newBatchThreshold)
    {
        var settings = Settings(deployment);

        Assert.Equal(detections, IntegerOf(settings, SettingNames.MaxConcurrentDetections));
        Assert.Equal(detections, IntegerOf(settings, SettingNames.HostBlobParallelism));
        Assert.Equal(batchSize, IntegerOf(settings, SettingNames.HostQueueBatchSize));
        Assert.Equal(newBatchThreshold, IntegerOf(settings, SettingNames.HostQueueNewBatchThreshold));

        // The queue extension fetches batchSize messages whenever at most newBatchThreshold are running: the sum is
        // the most it runs per queue function and instance, and what target-based scaling divides the queue length by.
        Assert.Equal(detections, batchSize + newBatchThreshold);
    }

    [Theory]
    [MemberData(nameof(MemoryBudgets))]
    public void TheMemoryBudgetIsThreeQuartersOfTheInstanceUnlessGiven(string deployment, int megabytes)
    {
        Assert.Equal(megabytes, IntegerOf(Settings(deployment), SettingNames.MemoryBudgetMegabytes));
    }

    [Fact]
    public void TheFlexInstanceMemoryParameterSizesThePlan()
    {
        var config = snapshots.FlexCustom.Single(ResourceTypes.Site).Properties()["functionAppConfig"]!;

        Assert.Equal(4096, (int)config["scaleAndConcurrency"]!["instanceMemoryMB"]!);
    }

    /// <summary>The app settings of a predicted deployment; the custom ones are described on <see cref="Snapshots"/>.</summary>
    private IReadOnlyList<AppSetting> Settings(string deployment) => deployment switch
    {
        "flex" => AppSettings.Of(snapshots.Flex, "flex"),
        "gpu" => AppSettings.Of(snapshots.Gpu, "gpu"),
        "gpu-a100" => AppSettings.Of(snapshots.GpuA100, "gpu"),
        "flex-custom" => AppSettings.Of(snapshots.FlexCustom, "flex"),
        "gpu-custom" => AppSettings.Of(snapshots.GpuCustom, "gpu"),
        _ => throw new ArgumentOutOfRangeException(nameof(deployment), deployment, "No such snapshot."),
    };

    /// <summary>A setting's value as the integer the host or the options binder reads; the templates must resolve it, not leave an expression.</summary>
    private static int IntegerOf(IReadOnlyList<AppSetting> settings, string name)
    {
        var value = AppSettings.ValueOf(settings, name);
        Assert.True(int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number), $"{name} is '{value}', not an integer.");
        return number;
    }
}
