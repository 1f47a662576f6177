using FaceFunctions.App.Configuration;

namespace FaceFunctions.Infra.Tests;

/// <summary>flex deploys a Flex Consumption app; gpu deploys a Functions container app on a serverless GPU.</summary>
[Collection(SnapshotCollection.Name)]
public sealed class HostingModeTests(Snapshots snapshots)
{
    [Fact]
    public void FlexRunsOnAnFc1Plan()
    {
        var plan = snapshots.Flex.Single(ResourceTypes.Plan);

        Assert.Equal("FC1", (string?)plan["sku"]!["name"]);
        Assert.Equal("FlexConsumption", (string?)plan["sku"]!["tier"]);
        Assert.Empty(snapshots.Flex.OfType(ResourceTypes.ContainerApp));
        Assert.Empty(snapshots.Flex.OfType(ResourceTypes.Registry));
    }

    [Fact]
    public void FlexAppConfigDeploysFromBlobWithTheIdentityAndRunsDotnetIsolated10()
    {
        var site = snapshots.Flex.Single(ResourceTypes.Site);
        var config = site.Properties()["functionAppConfig"]!;
        var storage = config["deployment"]!["storage"]!;

        Assert.Equal("functionapp,linux", (string?)site["kind"]);
        Assert.Equal("dotnet-isolated", (string?)config["runtime"]!["name"]);
        Assert.Equal("10.0", (string?)config["runtime"]!["version"]);
        Assert.Equal("blobContainer", (string?)storage["type"]);
        Assert.Equal("[format('{0}{1}', " + ModuleOutput("storage", "blobEndpoint") + ", 'deploymentpackage')]", (string?)storage["value"]);
        Assert.Equal("UserAssignedIdentity", (string?)storage["authentication"]!["type"]);
        Assert.Equal($"[{ModuleOutput("identity", "id")}]", (string?)storage["authentication"]!["userAssignedIdentityResourceId"]);
        Assert.Equal(40, (int)config["scaleAndConcurrency"]!["maximumInstanceCount"]!);
        Assert.Equal(2048, (int)config["scaleAndConcurrency"]!["instanceMemoryMB"]!);
        Assert.Equal("app", (string?)site["tags"]!["azd-service-name"]);
    }

    [Fact]
    public void GpuEnvironmentHasTheServerlessT4ProfileByDefault()
    {
        var profiles = snapshots.Gpu.Single(ResourceTypes.ManagedEnvironment).Properties()["workloadProfiles"]!.AsArray();

        Assert.Contains(profiles, profile =>
            (string?)profile!["name"] == "gpu" && (string?)profile["workloadProfileType"] == "Consumption-GPU-NC8as-T4");
        var resources = snapshots.Gpu.Single(ResourceTypes.ContainerApp).Properties()["template"]!["containers"]![0]!["resources"]!;
        Assert.Equal(8, (int)resources["cpu"]!);
        Assert.Equal("56Gi", (string?)resources["memory"]);
        Assert.Empty(snapshots.Gpu.OfType(ResourceTypes.Site));
        Assert.Empty(snapshots.Gpu.OfType(ResourceTypes.Plan));
    }

    [Fact]
    public void GpuProfileParameterSelectsTheA100()
    {
        var profiles = snapshots.GpuA100.Single(ResourceTypes.ManagedEnvironment).Properties()["workloadProfiles"]!.AsArray();
        var container = snapshots.GpuA100.Single(ResourceTypes.ContainerApp).Properties()["template"]!["containers"]![0]!;

        Assert.Contains(profiles, profile => (string?)profile!["workloadProfileType"] == "Consumption-GPU-NC24-A100");
        Assert.Equal(24, (int)container["resources"]!["cpu"]!);
        Assert.Equal("220Gi", (string?)container["resources"]!["memory"]);
    }

    [Fact]
    public void GpuAppIsAFunctionsContainerAppOnTheGpuProfileThatScalesToZero()
    {
        var app = snapshots.Gpu.Single(ResourceTypes.ContainerApp);
        var properties = app.Properties();

        Assert.Equal("functionapp", (string?)app["kind"]);
        Assert.Equal("gpu", (string?)properties["workloadProfileName"]);
        Assert.Equal(0, (int)properties["template"]!["scale"]!["minReplicas"]!);
        Assert.Equal(80, (int)properties["configuration"]!["ingress"]!["targetPort"]!);
        Assert.False((bool)properties["configuration"]!["ingress"]!["allowInsecure"]!);
        Assert.Equal(
            $"[format('{{0}}', {ModuleOutput("identity", "id")})]",
            app["identity"]!["userAssignedIdentities"]!.AsObject().Single().Key);
    }

    [Fact]
    public void GpuEnvironmentSendsLogsThroughAzureMonitorNotASharedKey()
    {
        var environment = snapshots.Gpu.Single(ResourceTypes.ManagedEnvironment).Properties();

        Assert.Equal("azure-monitor", (string?)environment["appLogsConfiguration"]!["destination"]);
        Assert.Single(snapshots.Gpu.OfType("Microsoft.Insights/diagnosticSettings"));
    }

    [Fact]
    public void GpuHostKeepsItsKeysInBlobStorageSoItCanCreateTheBlobExtensionsSystemKey()
    {
        // Left unset, Functions on Container Apps use the read-only Container Apps secret store, where the host never
        // creates the blobs_extension key the Event Grid subscription needs (the reason is in function-gpu.bicep).
        var settings = AppSettings.Of(snapshots.Gpu, "gpu");

        Assert.Equal("blob", AppSettings.ValueOf(settings, "AzureWebJobsSecretStorageType"));
        // The keys land in azure-webjobs-secrets of the AzureWebJobsStorage account, reached with the app's identity,
        // which owns the blob data of that account.
        Assert.Equal("managedidentity", AppSettings.ValueOf(settings, "AzureWebJobsStorage__credential"));
        Assert.Equal($"[{ModuleOutput("storage", "blobEndpoint")}]", AppSettings.ValueOf(settings, "AzureWebJobsStorage__blobServiceUri"));
        Assert.Null(snapshots.Gpu.Single(ResourceTypes.ContainerApp).Properties()["template"]!["volumes"]);
    }

    [Fact]
    public void GpuContainerNamesItsWorkerRuntimeAndLogsTheHostToTheConsole()
    {
        var settings = AppSettings.Of(snapshots.Gpu, "gpu");

        Assert.Equal("dotnet-isolated", AppSettings.ValueOf(settings, "FUNCTIONS_WORKER_RUNTIME"));
        Assert.Equal("true", AppSettings.ValueOf(settings, "AzureFunctionsJobHost__Logging__Console__IsEnabled"));
    }

    [Fact]
    public void FlexSetsNoneOfTheContainerOnlyHostSettings()
    {
        var names = AppSettings.Of(snapshots.Flex, "flex").Select(setting => setting.Name);

        Assert.Empty(names.Intersect(SettingNames.ContainerHost, StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>How the prediction refers to an output of a module of main.bicep, known only at deployment.</summary>
    internal static string ModuleOutput(string module, string output) =>
        $"reference(resourceId('{DeploymentSnapshot.SubscriptionId}', 'rg-test', 'Microsoft.Resources/deployments', " +
        $"format('{module}-{{0}}', uniqueString('{module}', deployment().name))), '2025-04-01').outputs.{output}.value";
}
