using System.Text.Json;

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
}
