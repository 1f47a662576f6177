using System.Text.Json;
using FaceFunctions.App.Configuration;

namespace FaceFunctions.App.Tests.Configuration;

/// <summary>The bulk-detection functions as the Functions host will read them from the build output.</summary>
public sealed class ScanFunctionMetadataTests
{
    [Fact]
    public void ScanPhotos_is_a_timer_on_the_schedule_setting()
    {
        var trigger = Trigger("ScanPhotos", "timerTrigger");

        Assert.Equal("%FaceFunctions:ScanSchedule%", trigger.GetProperty("schedule").GetString());
        Assert.False(trigger.TryGetProperty("runOnStartup", out var onStartup) && onStartup.GetBoolean(), "a restart must not start a scan");
    }

    [Theory]
    [InlineData("StartScan", "post", "scans")]
    [InlineData("GetScan", "get", "scans/{id}")]
    public void The_scan_endpoints_need_a_function_key(string function, string method, string route)
    {
        var trigger = Trigger(function, "httpTrigger");

        Assert.Equal("Function", trigger.GetProperty("authLevel").GetString());
        Assert.Equal([method], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(route, trigger.GetProperty("route").GetString());
    }

    [Theory]
    [InlineData("ContinueScan", "scan-steps")]
    [InlineData("DetectQueuedPhoto", "scan-photos")]
    public void The_queue_consumers_read_the_scan_queues_in_photo_storage(string function, string queue)
    {
        var trigger = Trigger(function, "queueTrigger");

        Assert.Equal(queue, trigger.GetProperty("queueName").GetString());
        Assert.Equal(SettingNames.PhotoStorageConnection, trigger.GetProperty("connection").GetString());
    }

    [Fact]
    public void Host_json_retries_a_failing_message_a_few_times_and_reads_base64()
    {
        using var host = JsonDocument.Parse(File.ReadAllText(AppBuildOutput.Of("host.json")));
        var queues = host.RootElement.GetProperty("extensions").GetProperty("queues");

        Assert.InRange(queues.GetProperty("maxDequeueCount").GetInt32(), 2, 10);
        Assert.Equal("base64", queues.GetProperty("messageEncoding").GetString());
    }

    private static JsonElement Trigger(string function, string type)
    {
        using var metadata = JsonDocument.Parse(File.ReadAllText(AppBuildOutput.Of("functions.metadata")));
        var entry = Assert.Single(metadata.RootElement.EnumerateArray(), f => f.GetProperty("name").GetString() == function);
        return Assert.Single(entry.GetProperty("bindings").EnumerateArray(), b => b.GetProperty("type").GetString() == type).Clone();
    }
}
