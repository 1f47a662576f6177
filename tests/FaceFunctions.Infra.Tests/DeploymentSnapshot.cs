using System.Text.Json.Nodes;

namespace FaceFunctions.Infra.Tests;

/// <summary>
/// The resources a deployment would create, as predicted by `bicep snapshot`: modules flattened, conditions and
/// parameters evaluated, values known only at deployment time left as ARM expressions.
/// </summary>
internal sealed class DeploymentSnapshot
{
    public const string SubscriptionId = "00000000-0000-0000-0000-000000000000";
    public const string Location = "westus3";

    private DeploymentSnapshot(IReadOnlyList<JsonObject> resources) => Resources = resources;

    public IReadOnlyList<JsonObject> Resources { get; }

    /// <summary>Predicts infra/main.bicep with infra/main.bicepparam, given the azd environment variables.</summary>
    public static DeploymentSnapshot OfMain(IReadOnlyDictionary<string, string> environment)
    {
        var variables = new Dictionary<string, string>(environment)
        {
            ["AZURE_ENV_NAME"] = "test",
            ["AZURE_LOCATION"] = Location,
        };
        return Take("main.bicepparam", variables, resourceGroup: null);
    }

    /// <summary>Predicts a resource-group template of infra/ with a parameters file written for the test.</summary>
    public static DeploymentSnapshot OfResourceGroupTemplate(string templateRelativePath, string parameterLines) =>
        Take(templateRelativePath, new Dictionary<string, string>(), "rg-test", parameterLines);

    public IEnumerable<JsonObject> OfType(string type) =>
        Resources.Where(resource => string.Equals((string?)resource["type"], type, StringComparison.OrdinalIgnoreCase));

    public JsonObject Single(string type)
    {
        var matches = OfType(type).ToList();
        Assert.True(matches.Count == 1, $"Expected exactly one {type}, found {matches.Count}.");
        return matches[0];
    }

    private static DeploymentSnapshot Take(
        string fileRelativePath,
        Dictionary<string, string> environment,
        string? resourceGroup,
        string? parameterLines = null)
    {
        // bicep snapshot writes its result next to the parameters file: work on a copy of infra/, never the tree.
        var workDirectory = Directory.CreateTempSubdirectory("ff-infra-");
        try
        {
            var infraCopy = Path.Combine(workDirectory.FullName, "infra");
            CopyDirectory(RepositoryPaths.Of("infra"), infraCopy);
            var parametersFile = Path.Combine(infraCopy, fileRelativePath);
            if (parameterLines is not null)
            {
                parametersFile = Path.Combine(infraCopy, "test.bicepparam");
                File.WriteAllText(parametersFile, $"using '{fileRelativePath}'\n{parameterLines}\n");
            }

            List<string> arguments =
            [
                "snapshot", parametersFile, "--mode", "overwrite",
                "--subscription-id", SubscriptionId, "--location", Location,
            ];
            if (resourceGroup is not null)
            {
                arguments.AddRange(["--resource-group", resourceGroup]);
            }

            var result = BicepCli.Run(arguments, environment);
            Assert.True(result.ExitCode == 0, $"bicep snapshot failed: {result.Describe()}");
            var snapshotFile = Path.ChangeExtension(parametersFile, ".snapshot.json");
            var document = JsonNode.Parse(File.ReadAllText(snapshotFile))!.AsObject();
            Assert.Empty(document["diagnostics"]!.AsArray());
            return new DeploymentSnapshot(document["predictedResources"]!.AsArray().Select(node => node!.AsObject()).ToList());
        }
        finally
        {
            workDirectory.Delete(recursive: true);
        }
    }

    private static void CopyDirectory(string source, string destination)
    {
        foreach (var directory in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(destination, Path.GetRelativePath(source, directory)));
        }

        Directory.CreateDirectory(destination);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(destination, Path.GetRelativePath(source, file)));
        }
    }
}
