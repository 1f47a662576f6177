using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using FaceFunctions.App.Configuration;

namespace FaceFunctions.Infra.Tests;

/// <summary>
/// The subscription the post-deploy hook creates (infra/modules/eventgrid-subscription.bicep): BlobCreated events of
/// the photos container only, without the duplicate events the data lets us drop, retried and dead-lettered.
/// </summary>
[Collection(SnapshotCollection.Name)]
public sealed class EventGridSubscriptionTests(Snapshots snapshots)
{
    private JsonNode Properties => snapshots.EventGridSubscription.Single(ResourceTypes.EventSubscription).Properties();

    [Fact]
    public void DeliversBlobCreatedOfThePhotosContainerOnly()
    {
        var filter = Properties["filter"]!;

        Assert.Equal(["Microsoft.Storage.BlobCreated"], filter["includedEventTypes"]!.AsArray().Select(type => (string)type!));
        Assert.Equal($"/blobServices/default/containers/{SettingNames.DefaultContainers[0]}/blobs/", (string?)filter["subjectBeginsWith"]);
        Assert.Equal("EventGridSchema", (string?)Properties["eventDeliverySchema"]);
    }

    [Fact]
    public void DropsIntermediateAndEmptyBlobEvents()
    {
        var filters = Properties["filter"]!["advancedFilters"]!.AsArray();

        var api = Assert.Single(filters, filter => (string?)filter!["key"] == "data.api")!;
        Assert.Equal("StringIn", (string?)api["operatorType"]);
        Assert.Equal(["CopyBlob", "FlushWithClose", "PutBlob", "PutBlockList"], api["values"]!.AsArray().Select(value => (string)value!).Order());
        var length = Assert.Single(filters, filter => (string?)filter!["key"] == "data.contentLength")!;
        Assert.Equal("NumberGreaterThan", (string?)length["operatorType"]);
        Assert.Equal(0, (int)length["value"]!);
        Assert.Equal(2, filters.Count);
    }

    [Fact]
    public void PostsToTheBlobExtensionWebhookOfDetectFaces()
    {
        var destination = Properties["destination"]!;
        var url = (string)destination["properties"]!["endpointUrl"]!;

        Assert.Equal("WebHook", (string?)destination["endpointType"]);
        // The key is a @secure() parameter: the prediction keeps it as a parameter reference, never a value.
        Assert.Equal(
            "[format('https://{0}/runtime/webhooks/blobs?functionName={1}&code={2}', 'func-test.azurewebsites.net', " +
            "'Host.Functions.DetectFaces', parameters('blobsExtensionKey'))]",
            url);
        Assert.Equal(1, (int)destination["properties"]!["maxEventsPerBatch"]!);
    }

    [Fact]
    public void RetriesThenDeadLettersWithTheTopicsIdentity()
    {
        var retry = Properties["retryPolicy"]!;
        var deadLetter = Properties["deadLetterWithResourceIdentity"]!;

        Assert.Equal(30, (int)retry["maxDeliveryAttempts"]!);
        Assert.Equal(1440, (int)retry["eventTimeToLiveInMinutes"]!);
        Assert.Equal("SystemAssigned", (string?)deadLetter["identity"]!["type"]);
        Assert.Equal("StorageBlob", (string?)deadLetter["deadLetterDestination"]!["endpointType"]);
        Assert.Equal("eventgrid-deadletter", (string?)deadLetter["deadLetterDestination"]!["properties"]!["blobContainerName"]);
        Assert.Null(Properties["deadLetterDestination"]);
    }

    [Fact]
    public void PosixHookParses()
    {
        const string script = "infra/hooks/postdeploy.sh";
        using var bash = Process.Start(new ProcessStartInfo("bash", ["-n", Path.Combine(RepositoryPaths.Root, script)])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var errors = bash.StandardError.ReadToEnd();
        bash.WaitForExit();

        Assert.True(bash.ExitCode == 0, errors);
    }

    [Theory]
    [InlineData("infra/hooks/postdeploy.sh", "\"(\\w+)\": \\{ \"value\"")]
    [InlineData("infra/hooks/postdeploy.ps1", "(\\w+)\\s+= @\\{ value")]
    public void HooksPassExactlyTheTemplatesParameters(string script, string parameterPattern)
    {
        var template = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "infra/modules/eventgrid-subscription.bicep"));
        var declared = Regex.Matches(template, @"^param (\w+) (\w+)( =)?", RegexOptions.Multiline)
            .ToDictionary(match => match.Groups[1].Value, match => match.Groups[3].Success);
        var passed = Regex.Matches(File.ReadAllText(Path.Combine(RepositoryPaths.Root, script)), parameterPattern)
            .Select(match => match.Groups[1].Value)
            .ToHashSet();

        Assert.Subset(declared.Keys.ToHashSet(), passed);
        Assert.Subset(passed, declared.Where(parameter => !parameter.Value).Select(parameter => parameter.Key).ToHashSet());
    }

    [Theory]
    [InlineData("infra/hooks/postdeploy.sh")]
    [InlineData("infra/hooks/postdeploy.ps1")]
    public void HooksDeployThisTemplateForTheDetectFacesFunction(string script)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryPaths.Root, script));

        // az is called directly (sh) or through Invoke-Az, which keeps its error output (ps1).
        Assert.Matches(@"(az|Invoke-Az) deployment group create", text);
        Assert.Contains("infra/modules/eventgrid-subscription.bicep", text, StringComparison.Ordinal);
        Assert.Contains("blobs_extension", text, StringComparison.Ordinal);
        Assert.Contains("Host.Functions.DetectFaces", text, StringComparison.Ordinal);
    }
}
