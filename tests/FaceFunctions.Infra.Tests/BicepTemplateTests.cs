using System.Text.Json.Nodes;

namespace FaceFunctions.Infra.Tests;

/// <summary>Every template and parameters file builds and lints clean: a lint warning is a failure.</summary>
public sealed class BicepTemplateTests
{
    private static IReadOnlyList<string> TemplatePaths { get; } = Directory
        .EnumerateFiles(RepositoryPaths.Of("infra"), "*.bicep", SearchOption.AllDirectories)
        .Select(file => Path.GetRelativePath(RepositoryPaths.Root, file).Replace('\\', '/'))
        .Order(StringComparer.Ordinal)
        .ToList();

    [Fact]
    public void TheModulesTheIssueAsksForExist()
    {
        string[] expected =
        [
            "infra/main.bicep", "infra/modules/storage.bicep", "infra/modules/identity.bicep", "infra/modules/roles.bicep",
            "infra/modules/monitoring.bicep", "infra/modules/function-flex.bicep", "infra/modules/function-gpu.bicep",
            "infra/modules/container-registry.bicep", "infra/modules/eventgrid-topic.bicep",
            "infra/modules/eventgrid-subscription.bicep",
        ];
        Assert.Subset(TemplatePaths.ToHashSet(), expected.ToHashSet());
    }

    [Fact]
    public void EveryTemplateBuildsWithoutDiagnostics()
    {
        var outputDirectory = Directory.CreateTempSubdirectory("ff-bicep-build-");
        try
        {
            // One run over every template: each CLI start costs seconds on a shared machine.
            var result = BicepCli.Run(["build", "--pattern", "infra/**/*.bicep", "--outdir", outputDirectory.FullName]);

            Assert.True(result.ExitCode == 0, result.Describe());
            Assert.True((result.StandardOutput + result.StandardError).Trim().Length == 0, $"bicep build reported: {result.Describe()}");
            Assert.Equal(TemplatePaths.Count, Directory.EnumerateFiles(outputDirectory.FullName, "*.json", SearchOption.AllDirectories).Count());
        }
        finally
        {
            outputDirectory.Delete(recursive: true);
        }
    }

    [Fact]
    public void EveryTemplateLintsClean()
    {
        var result = BicepCli.Run(["lint", "--pattern", "infra/**/*.bicep"]);

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.True((result.StandardOutput + result.StandardError).Trim().Length == 0, $"bicep lint reported: {result.Describe()}");
    }

    [Theory]
    [InlineData("flex")]
    [InlineData("gpu")]
    public void ParametersFileBuildsAndLintsCleanInEachMode(string mode)
    {
        var environment = new Dictionary<string, string> { ["HOSTING_MODE"] = mode };

        var lint = BicepCli.Run(["lint", "infra/main.bicepparam"], environment);
        var build = BicepCli.Run(["build-params", "infra/main.bicepparam", "--stdout"], environment);

        Assert.True(lint.ExitCode == 0 && (lint.StandardOutput + lint.StandardError).Trim().Length == 0, lint.Describe());
        Assert.True(build.ExitCode == 0 && build.StandardError.Trim().Length == 0, build.Describe());
        var parameters = JsonNode.Parse((string)JsonNode.Parse(build.StandardOutput)!["parametersJson"]!)!;
        Assert.Equal(mode, (string?)parameters["parameters"]!["hostingMode"]!["value"]);
    }

    [Fact]
    public void LintWarningsAreConfiguredAsErrors()
    {
        var config = File.ReadAllText(RepositoryPaths.Of("infra", "bicepconfig.json"));

        Assert.DoesNotContain("\"warning\"", config, StringComparison.Ordinal);
        Assert.Contains("\"no-unused-params\": { \"level\": \"error\" }", config, StringComparison.Ordinal);
    }
}
