using System.Text.Json.Nodes;

namespace FaceFunctions.Infra.Tests;

/// <summary>Every template and parameters file builds and lints clean: a lint warning is a failure.</summary>
public sealed class BicepTemplateTests
{
    public static TheoryData<string> Templates()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(TestEnvironment.InfraDirectory, "*.bicep", SearchOption.AllDirectories).Order())
        {
            data.Add(Path.GetRelativePath(TestEnvironment.RepoRoot, file));
        }

        return data;
    }

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
        Assert.Subset(Templates().Select(row => ((string)row[0]).Replace('\\', '/')).ToHashSet(), expected.ToHashSet());
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void BuildsWithoutDiagnostics(string template)
    {
        var result = BicepCli.Run(["build", template, "--stdout"]);

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.True(result.StandardError.Trim().Length == 0, $"bicep build reported diagnostics: {result.Describe()}");
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void LintsClean(string template)
    {
        var result = BicepCli.Run(["lint", template]);

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
        var config = File.ReadAllText(Path.Combine(TestEnvironment.InfraDirectory, "bicepconfig.json"));

        Assert.DoesNotContain("\"warning\"", config, StringComparison.Ordinal);
        Assert.Contains("\"no-unused-params\": { \"level\": \"error\" }", config, StringComparison.Ordinal);
    }
}
