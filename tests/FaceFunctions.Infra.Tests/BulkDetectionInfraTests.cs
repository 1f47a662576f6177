using FaceFunctions.App.Configuration;
using FaceFunctions.Storage.Scanning;

namespace FaceFunctions.Infra.Tests;

/// <summary>What bulk detection needs from the templates: its queues and table up front, the schedule setting, the photo account's table endpoint.</summary>
[Collection(SnapshotCollection.Name)]
public sealed class BulkDetectionInfraTests(Snapshots snapshots)
{
    [Theory]
    [MemberData(nameof(Snapshots.Modes), MemberType = typeof(Snapshots))]
    public void The_scan_queues_and_their_poison_queues_exist(string mode)
    {
        var queues = snapshots.Mode(mode).OfType(ResourceTypes.Queue).Select(queue => ((string)queue["name"]!).Split('/')[^1]);

        string[] expected =
        [
            "webjobs-blobtrigger-poison",
            ScanService.StepsQueue, ScanService.PhotosQueue,
            $"{ScanService.StepsQueue}-poison", $"{ScanService.PhotosQueue}-poison",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), queues.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Snapshots.Modes), MemberType = typeof(Snapshots))]
    public void The_completion_table_exists(string mode)
    {
        var table = Assert.Single(snapshots.Mode(mode).OfType(ResourceTypes.Table));

        Assert.EndsWith($"/{ScanService.CompletionsTable}", (string)table["name"]!, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Snapshots.Modes), MemberType = typeof(Snapshots))]
    public void The_schedule_defaults_to_the_apps_default_and_scans_reach_the_table_service(string mode)
    {
        var settings = AppSettings.Of(snapshots.Mode(mode), mode);

        Assert.Equal(new FaceFunctionsOptions().ScanSchedule, AppSettings.ValueOf(settings, SettingNames.ScanSchedule));
        Assert.Contains("tableEndpoint", AppSettings.ValueOf(settings, $"{SettingNames.PhotoStorageConnection}__tableServiceUri"), StringComparison.Ordinal);
    }
}
