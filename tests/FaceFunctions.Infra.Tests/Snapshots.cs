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

    /// <summary>flex with the knobs turned: 8 detections at once, 4,096 MB instances.</summary>
    private readonly Lazy<DeploymentSnapshot> flexCustom = new(() => DeploymentSnapshot.OfMain(new Dictionary<string, string>
    {
        ["MAX_CONCURRENT_DETECTIONS"] = "8",
        ["FLEX_INSTANCE_MEMORY_MB"] = "4096",
    }));

    /// <summary>gpu with the knobs turned: 3 detections at once, a memory budget given explicitly.</summary>
    private readonly Lazy<DeploymentSnapshot> gpuCustom = new(() => DeploymentSnapshot.OfMain(new Dictionary<string, string>
    {
        ["HOSTING_MODE"] = "gpu",
        ["MAX_CONCURRENT_DETECTIONS"] = "3",
        ["MEMORY_BUDGET_MEGABYTES"] = "20000",
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

    /// <summary>An object id given explicitly as the uploader (any GUID: nothing is deployed).</summary>
    internal const string ExplicitUploader = "11111111-2222-3333-4444-555555555555";

    private readonly Lazy<DeploymentSnapshot> rolesWithoutUploader = new(() => RolesFor(string.Empty));

    private readonly Lazy<DeploymentSnapshot> rolesWithUploader = new(() => RolesFor(ExplicitUploader));

    /// <summary>Modes by name, for theories that run in both.</summary>
    public static TheoryData<string> Modes => new() { "flex", "gpu" };

    internal DeploymentSnapshot Flex => flex.Value;

    internal DeploymentSnapshot Gpu => gpu.Value;

    internal DeploymentSnapshot GpuA100 => gpuA100.Value;

    internal DeploymentSnapshot FlexCustom => flexCustom.Value;

    internal DeploymentSnapshot GpuCustom => gpuCustom.Value;

    internal DeploymentSnapshot EventGridSubscription => eventGridSubscription.Value;

    /// <summary>infra/modules/roles.bicep alone (flex: no registry), with the uploader's principal id given.</summary>
    internal DeploymentSnapshot RolesWithoutUploader => rolesWithoutUploader.Value;

    internal DeploymentSnapshot RolesWithUploader => rolesWithUploader.Value;

    internal DeploymentSnapshot Mode(string mode) => mode switch
    {
        "flex" => Flex,
        "gpu" => Gpu,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Hosting mode is flex or gpu."),
    };

    private static DeploymentSnapshot RolesFor(string uploaderPrincipalId) => DeploymentSnapshot.OfResourceGroupTemplate(
        "modules/roles.bicep",
        $"""
        param identityName = 'id-test'
        param storageAccountName = 'sttest'
        param appInsightsName = 'appi-test'
        param photosContainerName = 'photos'
        param uploaderPrincipalId = '{uploaderPrincipalId}'
        """);
}

[CollectionDefinition(Name)]
public sealed class SnapshotCollection : ICollectionFixture<Snapshots>
{
    public const string Name = "Deployment snapshots";
}
