using System.Text.Json.Nodes;

namespace FaceFunctions.Infra.Tests;

/// <summary>One app setting as the templates set it; the value may be an ARM expression resolved at deployment.</summary>
internal readonly record struct AppSetting(string Name, string Value);

/// <summary>Reads the app settings a predicted deployment gives the function app, in either hosting mode.</summary>
internal static class AppSettings
{
    public static IReadOnlyList<AppSetting> Of(DeploymentSnapshot snapshot, string mode)
    {
        var list = mode == "flex"
            ? snapshot.Single(ResourceTypes.Site)["properties"]!["siteConfig"]!["appSettings"]!.AsArray()
            : snapshot.Single(ResourceTypes.ContainerApp)["properties"]!["template"]!["containers"]![0]!["env"]!.AsArray();
        return list.Select(item => new AppSetting((string)item!["name"]!, (string)item["value"]!)).ToList();
    }

    public static string ValueOf(IReadOnlyList<AppSetting> settings, string name) =>
        settings.Single(setting => setting.Name == name).Value;

    public static JsonNode Properties(this JsonObject resource) => resource["properties"]!;
}
