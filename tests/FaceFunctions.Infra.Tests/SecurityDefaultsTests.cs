namespace FaceFunctions.Infra.Tests;

/// <summary>The secure defaults, learned from the Azure Verified Modules, hold in both hosting modes.</summary>
[Collection(SnapshotCollection.Name)]
public sealed class SecurityDefaultsTests(Snapshots snapshots)
{
    [Theory]
    [MemberData(nameof(Snapshots.Modes), MemberType = typeof(Snapshots))]
    public void StorageAcceptsNoKeysNoAnonymousReadsAndOnlyTls12(string mode)
    {
        var account = snapshots.Mode(mode).Single(ResourceTypes.StorageAccount).Properties();

        Assert.False((bool)account["allowSharedKeyAccess"]!);
        Assert.False((bool)account["allowBlobPublicAccess"]!);
        Assert.Equal("TLS1_2", (string?)account["minimumTlsVersion"]);
        Assert.True((bool)account["supportsHttpsTrafficOnly"]!);
        Assert.True((bool)account["defaultToOAuthAuthentication"]!);
    }

    [Theory]
    [MemberData(nameof(Snapshots.Modes), MemberType = typeof(Snapshots))]
    public void DeletedOrOverwrittenBlobsAndDeletedContainersCanBeRecovered(string mode)
    {
        var blobService = snapshots.Mode(mode).Single(ResourceTypes.BlobService).Properties();

        Assert.True((bool)blobService["deleteRetentionPolicy"]!["enabled"]!);
        Assert.True((int)blobService["deleteRetentionPolicy"]!["days"]! >= 1);
        Assert.True((bool)blobService["containerDeleteRetentionPolicy"]!["enabled"]!);
    }

    [Theory]
    [MemberData(nameof(Snapshots.Modes), MemberType = typeof(Snapshots))]
    public void EveryContainerIsPrivate(string mode)
    {
        var containers = snapshots.Mode(mode).OfType(ResourceTypes.BlobContainer).ToList();

        Assert.NotEmpty(containers);
        Assert.All(containers, container => Assert.Equal("None", (string?)container.Properties()["publicAccess"]));
    }

    [Theory]
    [MemberData(nameof(Snapshots.Modes), MemberType = typeof(Snapshots))]
    public void TelemetryAcceptsOnlyEntraIdentities(string mode)
    {
        var snapshot = snapshots.Mode(mode);

        Assert.True((bool)snapshot.Single(ResourceTypes.AppInsights).Properties()["DisableLocalAuth"]!);
        Assert.True((bool)snapshot.Single(ResourceTypes.Workspace).Properties()["features"]!["disableLocalAuth"]!);
        Assert.EndsWith(
            "/providers/Microsoft.OperationalInsights/workspaces/" + (string)snapshot.Single(ResourceTypes.Workspace)["name"]!,
            (string)snapshot.Single(ResourceTypes.AppInsights).Properties()["WorkspaceResourceId"]!,
            StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Snapshots.Modes), MemberType = typeof(Snapshots))]
    public void NoSettingCarriesAKeyOrConnectionString(string mode)
    {
        var settings = AppSettings.Of(snapshots.Mode(mode), mode);

        Assert.All(settings, setting =>
        {
            Assert.DoesNotContain("AccountKey", setting.Value, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("SharedAccessSignature", setting.Value, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("listKeys", setting.Value, StringComparison.OrdinalIgnoreCase);
        });
        Assert.DoesNotContain(settings, setting => setting.Name is "AzureWebJobsStorage" or "PhotoStorage");
    }

    [Fact]
    public void FlexAppIsHttpsOnlyWithoutBasicPublishingCredentials()
    {
        var site = snapshots.Flex.Single(ResourceTypes.Site).Properties();
        var policies = snapshots.Flex.OfType(ResourceTypes.PublishingCredentialsPolicy).ToList();

        Assert.True((bool)site["httpsOnly"]!);
        Assert.Equal("1.2", (string?)site["siteConfig"]!["minTlsVersion"]);
        Assert.Equal(["ftp", "scm"], policies.Select(policy => ((string)policy["name"]!).Split('/')[^1]).Order());
        Assert.All(policies, policy => Assert.False((bool)policy.Properties()["allow"]!));
    }

    [Fact]
    public void RegistryHasNoAdminPasswordAndTheAppPullsWithItsIdentity()
    {
        var registry = snapshots.Gpu.Single(ResourceTypes.Registry).Properties();
        var registries = snapshots.Gpu.Single(ResourceTypes.ContainerApp).Properties()["configuration"]!["registries"]!.AsArray();

        Assert.False((bool)registry["adminUserEnabled"]!);
        Assert.False((bool)registry["anonymousPullEnabled"]!);
        var pull = Assert.Single(registries)!;
        Assert.Null(pull["passwordSecretRef"]);
        Assert.Equal($"[{HostingModeTests.ModuleOutput("identity", "id")}]", (string?)pull["identity"]);
    }
}
