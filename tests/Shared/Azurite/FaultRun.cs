using System.Globalization;
using System.Text.Json;
using Azure;

namespace FaceFunctions.Tests.Shared.Azurite;

/// <summary>
/// The settings of the storage fault runs, and the host's retry rules they play by. The defaults keep a run well
/// under a minute on two cores; FACEFUNCTIONS_FAULT_SEED replays a seed, FACEFUNCTIONS_FAULT_PHOTOS runs more photos
/// (the figures in docs/reliability.md), FACEFUNCTIONS_FAULT_PROBABILITY sets the share of requests that fail.
/// </summary>
internal static class FaultRun
{
    public static int Seed { get; } = FromEnvironment("FACEFUNCTIONS_FAULT_SEED", 20261201);

    public static int Photos { get; } = FromEnvironment("FACEFUNCTIONS_FAULT_PHOTOS", 200);

    public static double Probability { get; } =
        double.TryParse(Environment.GetEnvironmentVariable("FACEFUNCTIONS_FAULT_PROBABILITY"), NumberStyles.Float, CultureInfo.InvariantCulture, out var p) ? p : 0.1;

    /// <summary>host.json extensions.blobs.poisonBlobThreshold: attempts per blob event before it is poisoned.</summary>
    public static int PoisonBlobThreshold { get; } = HostSetting("blobs", "poisonBlobThreshold");

    /// <summary>host.json extensions.queues.maxDequeueCount: attempts per queue message before it is poisoned.</summary>
    public static int MaxDequeueCount { get; } = HostSetting("queues", "maxDequeueCount");

    /// <summary>How to run this again: the variables that reproduce it.</summary>
    public static string Replay =>
        string.Create(CultureInfo.InvariantCulture, $"replay with FACEFUNCTIONS_FAULT_SEED={Seed} FACEFUNCTIONS_FAULT_PHOTOS={Photos} FACEFUNCTIONS_FAULT_PROBABILITY={Probability}");

    /// <summary>
    /// A conflict or a missing blob inside a failure: the answers storage gives to a retried conditional write
    /// (409, 412) or a retried delete (404). The product must handle these itself; reaching the host is a bug.
    /// </summary>
    public static bool HasConflict(Exception exception) => exception switch
    {
        RequestFailedException { Status: 404 or 409 or 412 } => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(HasConflict),
        { InnerException: { } inner } => HasConflict(inner),
        _ => false,
    };

    private static int FromEnvironment(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    private static int HostSetting(string extension, string setting)
    {
        using var host = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Of("host.json")));
        return host.RootElement.GetProperty("extensions").GetProperty(extension).GetProperty(setting).GetInt32();
    }
}
