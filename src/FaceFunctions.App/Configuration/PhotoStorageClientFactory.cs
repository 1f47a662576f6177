using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;

namespace FaceFunctions.App.Configuration;

/// <summary>
/// Builds the blob, queue and table clients for the "PhotoStorage" connection the same way the storage extensions
/// read it: a connection string in "PhotoStorage" (locally: UseDevelopmentStorage=true), or identity-based
/// "PhotoStorage__blobServiceUri" / "__queueServiceUri" / "__tableServiceUri" with
/// "PhotoStorage__credential=managedidentity" and "PhotoStorage__clientId". Microsoft.Extensions.Azure alone only
/// knows "serviceUri", so the two forms are told apart here. Scans keep their queues and table in this account.
/// </summary>
internal static class PhotoStorageClientFactory
{
    private const string BlobServiceUriKey = "blobServiceUri";
    private const string QueueServiceUriKey = "queueServiceUri";
    private const string TableServiceUriKey = "tableServiceUri";

    /// <summary>The problem with the connection settings, or null when a client can be built from them.</summary>
    public static string? Problem(IConfigurationSection section)
    {
        var blobServiceUri = section[BlobServiceUriKey];
        if (!string.IsNullOrWhiteSpace(section.Value))
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(blobServiceUri))
        {
            return $"{SettingNames.PhotoStorageConnection} is missing: set {SettingNames.PhotoStorageConnection}__blobServiceUri " +
                   $"(with __credential=managedidentity and __clientId) in Azure, or {SettingNames.PhotoStorageConnection}=UseDevelopmentStorage=true locally.";
        }

        return new[] { BlobServiceUriKey, QueueServiceUriKey, TableServiceUriKey }.Select(key => UriProblem(section, key)).FirstOrDefault(p => p is not null);
    }

    public static BlobServiceClient Create(IConfigurationSection section, AzureComponentFactory components, BlobClientOptions options)
    {
        if (Problem(section) is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        return string.IsNullOrWhiteSpace(section.Value)
            ? new BlobServiceClient(new Uri(section[BlobServiceUriKey]!), components.CreateTokenCredential(section), options)
            : new BlobServiceClient(section.Value, options);
    }

    /// <summary>Queue messages are base64, the queue trigger's default encoding (host.json extensions.queues.messageEncoding).</summary>
    public static QueueServiceClient CreateQueues(IConfigurationSection section, AzureComponentFactory components)
    {
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        return string.IsNullOrWhiteSpace(section.Value)
            ? new QueueServiceClient(new Uri(section[QueueServiceUriKey]!), components.CreateTokenCredential(section), options)
            : new QueueServiceClient(section.Value, options);
    }

    public static TableServiceClient CreateTables(IConfigurationSection section, AzureComponentFactory components) =>
        string.IsNullOrWhiteSpace(section.Value)
            ? new TableServiceClient(new Uri(section[TableServiceUriKey]!), components.CreateTokenCredential(section))
            : new TableServiceClient(section.Value);

    private static string? UriProblem(IConfigurationSection section, string key)
    {
        var value = section[key];
        return Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
            ? null
            : $"{SettingNames.PhotoStorageConnection}__{key} is '{value}', which is not an absolute http(s) URI.";
    }
}
