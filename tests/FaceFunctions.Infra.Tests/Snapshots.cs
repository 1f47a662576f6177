namespace FaceFunctions.Infra.Tests;

/// <summary>
/// The predicted deployments the tests assert on, each taken once per test run (a snapshot takes a few seconds).
/// </summary>
public sealed class Snapshots
{
    private readonly Lazy<DeploymentSnapshot> flex = new(() => DeploymentSnapshot.OfMain(new Dictionary<string, string>()));

    private readonly Lazy<DeploymentSnapshot> gpu =
        new(() => DeploymentSnapshot.OfMain(new Dictionary<string, string> { ["HOSTING_MODE"] = "gpu" }));

    private readonly Lazy<DeploymentSnapshot> gpuA100 = new(() => DeploymentSnapshot.OfMain(new Dictionary<string, string>
    {
        ["HOSTING_MODE"] = "gpu",
        ["GPU_PROFILE_TYPE"] = "Consumption-GPU-NC24-A100",
    }));

    private readonly Lazy<DeploymentSnapshot> eventGridSubscription = new(() => DeploymentSnapshot.OfResourceGroupTemplate(
        "modules/eventgrid-subscription.bicep",
        """
        param systemTopicName = 'evgt-test'
        param appHostName = 'func-test.azurewebsites.net'
        param blobsExtensionKey = 'not-a-real-key'
        param photosContainerName = 'photos'
        param storageAccountName = 'sttest'
        param deadLetterContainerName = 'eventgrid-deadletter'
        """));

    /// <summary>Modes by name, for theories that run in both.</summary>
    public static TheoryData<string> Modes => new() { "flex", "gpu" };

    internal DeploymentSnapshot Flex => flex.Value;

    internal DeploymentSnapshot Gpu => gpu.Value;

    internal DeploymentSnapshot GpuA100 => gpuA100.Value;

    internal DeploymentSnapshot EventGridSubscription => eventGridSubscription.Value;

    internal DeploymentSnapshot Mode(string mode) => mode switch
    {
        "flex" => Flex,
        "gpu" => Gpu,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Hosting mode is flex or gpu."),
    };
}

[CollectionDefinition(Name)]
public sealed class SnapshotCollection : ICollectionFixture<Snapshots>
{
    public const string Name = "Deployment snapshots";
}
