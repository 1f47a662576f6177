using System.Text.Json;
using FaceFunctions.App.Configuration;
using FaceFunctions.Detection.Mtcnn;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FaceFunctions.App.Tests.Configuration;

/// <summary>The worker refuses to start on a missing or wrong setting, and says which one.</summary>
public sealed class SettingsValidationTests
{
    /// <summary>The settings as local.settings.sample.json gives them (environment-variable names).</summary>
    private static Dictionary<string, string?> SampleSettings()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Of("local.settings.sample.json")));
        return sample.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => (string?)p.Value.GetString());
    }

    [Fact]
    public async Task The_sample_settings_start_the_worker()
    {
        await StartAsync(SampleSettings());
    }

    [Fact]
    public void The_sample_sets_every_setting_the_app_reads()
    {
        var sample = SampleSettings();

        Assert.All(SettingNames.App, name => Assert.True(sample.ContainsKey(name), $"local.settings.sample.json lacks {name}"));
        Assert.True(sample.ContainsKey(SettingNames.PhotoStorageConnection));
    }

    public static TheoryData<string> AppSettings() => [.. SettingNames.App];

    [Theory]
    [MemberData(nameof(AppSettings))]
    public async Task A_missing_setting_stops_the_start_and_is_named(string setting)
    {
        var settings = SampleSettings();
        settings.Remove(setting);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(settings));

        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SettingNames.PhotosContainer, "Photos_2024")]
    [InlineData(SettingNames.FacesContainer, "ab")]
    [InlineData(SettingNames.DetectionsContainer, "photos")]
    [InlineData(SettingNames.MaxConcurrentDetections, "0")]
    [InlineData(SettingNames.CropSize, "4096")]
    [InlineData(SettingNames.ScanSchedule, "0 3 * * *")] // five fields: a Unix cron line, not NCRONTAB
    [InlineData(SettingNames.MinFaceSize, "5")]
    [InlineData(SettingNames.MaxBytes, "-1")]
    [InlineData(SettingNames.MaxPixels, "0")]
    [InlineData(SettingNames.MaxPixels, "600000000")] // once passed start-up and failed inside the pipeline
    [InlineData(SettingNames.MaxBytes, "2147483647")]
    [InlineData(SettingNames.MaxJpegScans, "0")]
    [InlineData(SettingNames.MaxJpegScans, "10001")]
    [InlineData(SettingNames.MinBytesPerMegapixel, "-1")]
    [InlineData(SettingNames.MinBytesPerMegapixel, "100001")]
    public async Task A_wrong_value_stops_the_start_and_is_named(string setting, string value)
    {
        var settings = SampleSettings();
        settings[setting] = value;

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(settings));

        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SettingNames.MaxConcurrentDetections, "many")]
    [InlineData(SettingNames.ExecutionProvider, "gpu")]
    public async Task A_value_of_the_wrong_type_stops_the_start_and_is_named(string setting, string value)
    {
        var settings = SampleSettings();
        settings[setting] = value;

        var error = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => StartAsync(settings));

        // The configuration binder names the setting in its "Section:Key" form.
        Assert.Contains(setting.Replace("__", ":", StringComparison.Ordinal), error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_range_the_pipeline_enforces_is_enforced_at_start_up()
    {
        // A value the start-up check lets through must also start the pipeline: the ranges have one source.
        var settings = SampleSettings();
        settings[SettingNames.MaxPixels] = "536870911";
        settings[SettingNames.MaxBytes] = "2147483590";
        settings[SettingNames.CropSize] = "1024";
        settings[SettingNames.MinFaceSize] = "12";
        settings[SettingNames.MaxJpegScans] = "10000";
        settings[SettingNames.MinBytesPerMegapixel] = "0";
        using var host = Build(settings);
        await host.StartAsync();

        var options = ServiceRegistration.PipelineOptionsFrom(host.Services).Validate();

        Assert.Equal(536_870_911, options.Limits.MaxPixels);
        Assert.Equal(10_000, options.Limits.MaxJpegScans);
        Assert.Equal(0, options.Limits.MinBytesPerMegapixel);
        Assert.Equal(ExecutionProvider.Cpu, options.Inference.ExecutionProvider);
        await host.StopAsync();
    }

    [Fact]
    public async Task A_missing_photo_storage_connection_is_named()
    {
        var settings = SampleSettings();
        settings.Remove(SettingNames.PhotoStorageConnection);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(settings));

        Assert.Contains("PhotoStorage__blobServiceUri", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_identity_based_photo_storage_connection_is_accepted()
    {
        var settings = SampleSettings();
        settings.Remove(SettingNames.PhotoStorageConnection);
        settings["PhotoStorage__blobServiceUri"] = "https://example.blob.core.windows.net";
        settings["PhotoStorage__queueServiceUri"] = "https://example.queue.core.windows.net";
        settings["PhotoStorage__tableServiceUri"] = "https://example.table.core.windows.net";
        settings["PhotoStorage__credential"] = "managedidentity";
        settings["PhotoStorage__clientId"] = "00000000-0000-0000-0000-000000000000";

        await StartAsync(settings);
    }

    [Fact]
    public async Task An_identity_based_connection_without_the_queue_service_is_named()
    {
        var settings = SampleSettings();
        settings.Remove(SettingNames.PhotoStorageConnection);
        settings["PhotoStorage__blobServiceUri"] = "https://example.blob.core.windows.net";
        settings["PhotoStorage__tableServiceUri"] = "https://example.table.core.windows.net";
        settings["PhotoStorage__credential"] = "managedidentity";

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(settings));

        Assert.Contains("PhotoStorage__queueServiceUri", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_worker_itself_refuses_to_start_and_names_the_missing_setting()
    {
        var settings = SampleSettings();
        settings.Remove(SettingNames.MaxConcurrentDetections);
        var start = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            ArgumentList = { AppBuildOutput.Of("FaceFunctions.App.dll") },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }

        // What the Functions host passes its worker; nothing listens there, and validation must fail before that matters.
        start.Environment["Functions__Worker__HostEndpoint"] = "http://127.0.0.1:9";
        start.Environment["Functions__Worker__WorkerId"] = "test";
        start.Environment["Functions__Worker__RequestId"] = "test";
        start.Environment["Functions__Worker__GrpcMaxMessageLength"] = "1000000";
        using var worker = System.Diagnostics.Process.Start(start)!;
        var error = worker.StandardError.ReadToEndAsync();
        var output = worker.StandardOutput.ReadToEndAsync();
        await worker.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));

        Assert.NotEqual(0, worker.ExitCode);
        Assert.Contains($"OptionsValidationException: {SettingNames.MaxConcurrentDetections} is missing", await error + await output, StringComparison.Ordinal);
    }

    /// <summary>Starts a host with the app's option registrations, reading settings the way Azure passes them.</summary>
    private static async Task StartAsync(Dictionary<string, string?> environmentStyle)
    {
        using var host = Build(environmentStyle);
        await host.StartAsync();
        await host.StopAsync();
    }

    private static IHost Build(Dictionary<string, string?> environmentStyle)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(environmentStyle.Select(p => KeyValuePair.Create(p.Key.Replace("__", ":", StringComparison.Ordinal), p.Value)));
        builder.Services.AddFaceFunctionsOptions(builder.Configuration);
        return builder.Build();
    }
}
