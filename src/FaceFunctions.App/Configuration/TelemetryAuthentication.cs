using Azure.Identity;
using Microsoft.ApplicationInsights.Extensibility;

namespace FaceFunctions.App.Configuration;

/// <summary>
/// The deployment turns off Application Insights' local (key) authentication, so telemetry must carry an Entra
/// token. The Functions host reads APPLICATIONINSIGHTS_AUTHENTICATION_STRING by itself; the worker's
/// Application Insights SDK does not, so the worker applies the same managed identity here.
/// </summary>
public static class TelemetryAuthentication
{
    public const string Setting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    /// <summary>The user-assigned identity's client id in "Authorization=AAD;ClientId=…", or null when none is set.</summary>
    public static string? ClientId(string? authenticationString)
    {
        if (string.IsNullOrWhiteSpace(authenticationString))
        {
            return null;
        }

        var parts = authenticationString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0].Trim(), pair => pair[1].Trim(), StringComparer.OrdinalIgnoreCase);
        return parts.TryGetValue("Authorization", out var kind) && kind.Equals("AAD", StringComparison.OrdinalIgnoreCase)
            && parts.TryGetValue("ClientId", out var clientId) && !string.IsNullOrWhiteSpace(clientId)
            ? clientId
            : null;
    }

    public static void Apply(TelemetryConfiguration telemetry, string? authenticationString)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        if (ClientId(authenticationString) is { } clientId)
        {
            telemetry.SetAzureTokenCredential(new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId)));
        }
    }
}
