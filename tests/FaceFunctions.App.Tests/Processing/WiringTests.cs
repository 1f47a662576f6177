using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using FaceFunctions.App.Configuration;
using FaceFunctions.App.Functions;
using FaceFunctions.Storage.Results;
using FaceFunctions.App.Tests.Storage;
using FaceFunctions.Tests.Shared.Azurite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FaceFunctions.App.Tests.Processing;

/// <summary>The app's own service registrations, as Program.cs makes them, driven by settings alone.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class WiringTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task The_registered_services_detect_a_photo_end_to_end_from_settings_alone()
    {
        var scenario = await StorageScenario.CreateAsync(azurite.Server);
        var settings = SettingsFor(scenario, azurite.Server);
        using var host = Build(settings);
        await host.StartAsync();
        var photo = await scenario.UploadPhotoAsync("wired.png", Fixtures.Bytes(Fixtures.Astronaut));

        await ActivatorUtilities.CreateInstance<DetectFaces>(host.Services).Run(scenario.Photos.GetBlobClient("wired.png"), default);

        var document = await scenario.DocumentAsync(OutputNames.For("wired.png"));
        Assert.Equal(photo.ETag.ToString(), document!.Source.ETag);
        Assert.Single(document.Faces!);
        Assert.Equal(4, (await scenario.SnapshotAsync()).Count);
        await host.StopAsync();
    }

    [Fact]
    public void An_identity_based_connection_builds_a_client_for_the_service_uri_without_a_key()
    {
        var settings = Sample();
        settings.Remove(SettingNames.PhotoStorageConnection);
        settings["PhotoStorage__blobServiceUri"] = "https://facefunctionsphotos.blob.core.windows.net";
        settings["PhotoStorage__queueServiceUri"] = "https://facefunctionsphotos.queue.core.windows.net";
        settings["PhotoStorage__tableServiceUri"] = "https://facefunctionsphotos.table.core.windows.net";
        settings["PhotoStorage__credential"] = "managedidentity";
        settings["PhotoStorage__clientId"] = "11111111-2222-3333-4444-555555555555";
        using var host = Build(settings);

        var client = host.Services.GetRequiredService<BlobServiceClient>();

        Assert.Equal(new Uri("https://facefunctionsphotos.blob.core.windows.net"), client.Uri);
        Assert.False(client.CanGenerateAccountSasUri, "an identity-based client holds no account key");
        Assert.Equal(new Uri("https://facefunctionsphotos.queue.core.windows.net"), host.Services.GetRequiredService<QueueServiceClient>().Uri);
        Assert.Equal(new Uri("https://facefunctionsphotos.table.core.windows.net"), host.Services.GetRequiredService<TableServiceClient>().Uri);
    }

    /// <summary>A host with the app's registrations, reading settings the way Azure passes them (shared with the scan wiring tests).</summary>
    internal static IHost Build(Dictionary<string, string?> environmentStyle)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(environmentStyle.Select(p => KeyValuePair.Create(p.Key.Replace("__", ":", StringComparison.Ordinal), p.Value)));
        builder.Services.AddLogging();
        builder.Services.AddFaceFunctions(builder.Configuration);
        return builder.Build();
    }

    /// <summary>The sample settings pointed at <paramref name="scenario"/>'s containers on <paramref name="server"/>.</summary>
    internal static Dictionary<string, string?> SettingsFor(StorageScenario scenario, AzuriteServer server)
    {
        var settings = Sample();
        settings[SettingNames.PhotoStorageConnection] = server.ConnectionString;
        settings[SettingNames.PhotosContainer] = scenario.Options.PhotosContainer;
        settings[SettingNames.DetectionsContainer] = scenario.Options.DetectionsContainer;
        settings[SettingNames.FacesContainer] = scenario.Options.FacesContainer;
        settings[SettingNames.AnnotatedContainer] = scenario.Options.AnnotatedContainer;
        settings[SettingNames.AnonymizedContainer] = scenario.Options.AnonymizedContainer;
        return settings;
    }

    /// <summary>The settings of local.settings.sample.json.</summary>
    internal static Dictionary<string, string?> Sample()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Of("local.settings.sample.json")));
        return sample.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => (string?)p.Value.GetString());
    }
}
