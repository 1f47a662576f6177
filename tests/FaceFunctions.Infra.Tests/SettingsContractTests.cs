using System.Globalization;
using FaceFunctions.App.Configuration;
using FaceFunctions.Detection.Pipeline;
using FaceFunctions.Storage.Scanning;

namespace FaceFunctions.Infra.Tests;

/// <summary>
/// The templates set every setting the app and host read and nothing else, and create the containers the app uses:
/// checked against SettingNames, the list the app itself binds from.
/// </summary>
[Collection(SnapshotCollection.Name)]
public sealed class SettingsContractTests(Snapshots snapshots)
{
    [Theory]
    [MemberData(nameof(Snapshots.Modes), MemberType = typeof(Snapshots))]
    public void AppSettingsAreExactlyTheOnesTheCodeReads(string mode)
    {
        // Flex takes the runtime from functionAppConfig; the container app also gets the Container Apps host settings.
        var expected = SettingNames.App.Concat(SettingNames.Host).Concat(SettingNames.HostConcurrency)
            .Concat(mode == "gpu" ? SettingNames.ContainerHost : []).ToList();
        var names = AppSettings.Of(snapshots.Mode(mode), mode).Select(setting => setting.Name).ToList();

        var unset = expected.Except(names, StringComparer.Ordinal).ToList();
        var unread = names.Except(expected, StringComparer.Ordinal).ToList();
        Assert.True(
            unset.Count == 0 && unread.Count == 0,
            $"Read by the code but not set: [{string.Join(", ", unset)}]; set but not in SettingNames: [{string.Join(", ", unread)}].");
        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Theory]
    [MemberData(nameof(Snapshots.Modes), MemberType = typeof(Snapshots))]
    public void ContainersAreTheAppsDefaultsPlusDeadLetterScansAndFlexPackage(string mode)
    {
        var expected = SettingNames.DefaultContainers.Append("eventgrid-deadletter").Append(ScanService.ScansContainer);
        if (mode == "flex")
        {
            expected = expected.Append("deploymentpackage");
        }

        var containers = snapshots.Mode(mode).OfType(ResourceTypes.BlobContainer).Select(container => ((string)container["name"]!).Split('/')[^1]);

        Assert.Equal(expected.Order(StringComparer.Ordinal), containers.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Snapshots.Modes), MemberType = typeof(Snapshots))]
    public void ContainerSettingsNameTheCreatedContainers(string mode)
    {
        var settings = AppSettings.Of(snapshots.Mode(mode), mode);
        string[] containerSettings =
        [
            SettingNames.PhotosContainer, SettingNames.DetectionsContainer, SettingNames.FacesContainer,
            SettingNames.AnnotatedContainer, SettingNames.AnonymizedContainer,
        ];

        Assert.Equal(SettingNames.DefaultContainers, containerSettings.Select(name => AppSettings.ValueOf(settings, name)));
    }

    [Theory]
    [MemberData(nameof(Snapshots.Modes), MemberType = typeof(Snapshots))]
    public void OptionValuesHaveTheTypesTheOptionsBind(string mode)
    {
        var settings = AppSettings.Of(snapshots.Mode(mode), mode);

        foreach (var name in new[] { SettingNames.WriteAnnotated, SettingNames.WriteAnonymized })
        {
            Assert.Contains(AppSettings.ValueOf(settings, name), new[] { "true", "false" });
        }

        foreach (var name in new[]
                 {
                     SettingNames.MaxConcurrentDetections, SettingNames.CropSize, SettingNames.MinFaceSize,
                     SettingNames.MaxBytes, SettingNames.MaxPixels, SettingNames.MaxJpegScans, SettingNames.MinBytesPerMegapixel,
                     SettingNames.MemoryBudgetMegabytes,
                 })
        {
            Assert.True(long.TryParse(AppSettings.ValueOf(settings, name), out var value) && value > 0, $"{name} is not a positive integer.");
        }
    }

    [Theory]
    [MemberData(nameof(Snapshots.Modes), MemberType = typeof(Snapshots))]
    public void DetectorSettingsDefaultToTheDetectorsOwnDefaults(string mode)
    {
        var settings = AppSettings.Of(snapshots.Mode(mode), mode);
        var defaults = new PipelineOptions();

        Assert.Equal(defaults.Output.CropSize.ToString(CultureInfo.InvariantCulture), AppSettings.ValueOf(settings, SettingNames.CropSize));
        Assert.Equal(defaults.Detection.MinFaceSize.ToString(CultureInfo.InvariantCulture), AppSettings.ValueOf(settings, SettingNames.MinFaceSize));
        Assert.Equal(defaults.Limits.MaxBytes.ToString(CultureInfo.InvariantCulture), AppSettings.ValueOf(settings, SettingNames.MaxBytes));
        Assert.Equal(defaults.Limits.MaxPixels.ToString(CultureInfo.InvariantCulture), AppSettings.ValueOf(settings, SettingNames.MaxPixels));
        Assert.Equal(defaults.Limits.MaxJpegScans.ToString(CultureInfo.InvariantCulture), AppSettings.ValueOf(settings, SettingNames.MaxJpegScans));
        Assert.Equal(defaults.Limits.MinBytesPerMegapixel.ToString(CultureInfo.InvariantCulture), AppSettings.ValueOf(settings, SettingNames.MinBytesPerMegapixel));
    }

    [Theory]
    [InlineData("flex", "cpu")]
    [InlineData("gpu", "cuda")]
    public void ExecutionProviderMatchesTheHardware(string mode, string provider)
    {
        var settings = AppSettings.Of(snapshots.Mode(mode), mode);

        Assert.Equal(provider, AppSettings.ValueOf(settings, SettingNames.ExecutionProvider));
    }

    [Theory]
    [MemberData(nameof(Snapshots.Modes), MemberType = typeof(Snapshots))]
    public void ConnectionsAreIdentityBasedWithTheAppsIdentity(string mode)
    {
        var settings = AppSettings.Of(snapshots.Mode(mode), mode);

        foreach (var connection in new[] { "AzureWebJobsStorage", SettingNames.PhotoStorageConnection })
        {
            Assert.Equal("managedidentity", AppSettings.ValueOf(settings, $"{connection}__credential"));
            Assert.Contains("outputs.clientId", AppSettings.ValueOf(settings, $"{connection}__clientId"), StringComparison.Ordinal);
            Assert.Contains("blobEndpoint", AppSettings.ValueOf(settings, $"{connection}__blobServiceUri"), StringComparison.Ordinal);
            Assert.Contains("queueEndpoint", AppSettings.ValueOf(settings, $"{connection}__queueServiceUri"), StringComparison.Ordinal);
        }

        var authentication = AppSettings.ValueOf(settings, "APPLICATIONINSIGHTS_AUTHENTICATION_STRING");
        Assert.StartsWith("[format('Authorization=AAD;ClientId={0}'", authentication, StringComparison.Ordinal);
        Assert.Contains("outputs.clientId", authentication, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Snapshots.Modes), MemberType = typeof(Snapshots))]
    public void TheBlobExtensionsPoisonQueueExists(string mode)
    {
        var queues = snapshots.Mode(mode).OfType(ResourceTypes.Queue).Select(queue => ((string)queue["name"]!).Split('/')[^1]);

        Assert.Contains("webjobs-blobtrigger-poison", queues);
    }
}
