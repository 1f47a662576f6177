using Azure.Storage.Blobs;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;

namespace FaceFunctions.App.Configuration;

/// <summary>
/// Builds the <see cref="BlobServiceClient"/> for the "PhotoStorage" connection the same way the blob extension
/// reads it: a connection string in "PhotoStorage" (locally: UseDevelopmentStorage=true), or identity-based
/// "PhotoStorage__blobServiceUri" with "PhotoStorage__credential=managedidentity" and "PhotoStorage__clientId".
/// Microsoft.Extensions.Azure alone only knows "serviceUri", so the two forms are told apart here.
/// </summary>
internal static class PhotoStorageClientFactory
{
    private const string BlobServiceUriKey = "blobServiceUri";

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

        return Uri.TryCreate(blobServiceUri, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
            ? null
            : $"{SettingNames.PhotoStorageConnection}__blobServiceUri is '{blobServiceUri}', which is not an absolute http(s) URI.";
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
}
