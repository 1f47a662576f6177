using System.Globalization;
using System.Text.Json;
using FaceFunctions.App.Configuration;

namespace FaceFunctions.App.Tests.Configuration;

/// <summary>What the Functions host will read from the build output.</summary>
public sealed class FunctionMetadataTests
{
    [Fact]
    public void DetectFaces_is_an_event_grid_blob_trigger_on_photo_storage_with_deferred_binding()
    {
        using var metadata = JsonDocument.Parse(File.ReadAllText(AppBuildOutput.Of("functions.metadata")));

        var function = Assert.Single(metadata.RootElement.EnumerateArray(), f => f.GetProperty("name").GetString() == "DetectFaces");
        var trigger = Assert.Single(function.GetProperty("bindings").EnumerateArray(), b => b.GetProperty("type").GetString() == "blobTrigger");
        Assert.Equal("EventGrid", trigger.GetProperty("source").GetString());
        Assert.Equal("PhotoStorage", trigger.GetProperty("connection").GetString());
        Assert.Equal("%FaceFunctions:PhotosContainer%/{name}", trigger.GetProperty("path").GetString());
        Assert.Equal("True", trigger.GetProperty("properties").GetProperty("supportsDeferredBinding").GetString());
        Assert.False(trigger.TryGetProperty("dataType", out _), "a dataType (Binary) would make the host load the whole photo");
    }

    [Fact]
    public void Host_json_reaches_the_build_output_with_a_poison_threshold()
    {
        using var host = JsonDocument.Parse(File.ReadAllText(AppBuildOutput.Of("host.json")));

        var threshold = host.RootElement.GetProperty("extensions").GetProperty("blobs").GetProperty("poisonBlobThreshold").GetInt32();
        Assert.InRange(threshold, 1, 10);
    }

    [Fact]
    public void Host_json_starts_as_many_invocations_per_trigger_as_the_sample_runs_detections()
    {
        // Locally (Core Tools) host.json's values apply; in Azure the templates override them with values derived from
        // the deployed FaceFunctions__MaxConcurrentDetections (tests/FaceFunctions.Infra.Tests, InstanceSizingTests).
        using var host = JsonDocument.Parse(File.ReadAllText(AppBuildOutput.Of("host.json")));
        var extensions = host.RootElement.GetProperty("extensions");
        var queues = extensions.GetProperty("queues");
        using var sample = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Of("local.settings.sample.json")));
        var detections = int.Parse(
            sample.RootElement.GetProperty("Values").GetProperty(SettingNames.MaxConcurrentDetections).GetString()!,
            CultureInfo.InvariantCulture);

        Assert.Equal(new FaceFunctionsOptions().MaxConcurrentDetections, detections);
        Assert.Equal(detections, extensions.GetProperty("blobs").GetProperty("maxDegreeOfParallelism").GetInt32());
        // The queue extension runs at most batchSize + newBatchThreshold messages of one function per instance; split
        // as the templates split it (infra/main.bicep): batchSize = ceil(N / 2).
        var batchSize = queues.GetProperty("batchSize").GetInt32();
        Assert.Equal((detections + 1) / 2, batchSize);
        Assert.Equal(detections, batchSize + queues.GetProperty("newBatchThreshold").GetInt32());
    }
}
