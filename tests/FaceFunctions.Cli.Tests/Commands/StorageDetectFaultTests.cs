using System.CommandLine;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Azure.Storage.Blobs;
using FaceFunctions.Detection.Documents;
using FaceFunctions.Detection.Pipeline;
using FaceFunctions.Storage.Results;
using FaceFunctions.Tests.Shared.Azurite;
using Xunit.Abstractions;

namespace FaceFunctions.Cli.Tests.Commands;

/// <summary>
/// <c>facefunctions detect --connection ...</c> in process, its storage clients going through
/// <see cref="RandomFaultTransport"/> (10 % of requests fail: 503, 429 with Retry-After, timeouts, dropped
/// connections, answers lost after the write), over a few hundred small photos, then again after some are uploaded
/// anew. A fault-free client reads everything back (<see cref="ResultAudit"/>): every photo has exactly one complete
/// result, or the run named it as failed (and its result is not half-written); each retry is on stderr.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class StorageDetectFaultTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private const int AttemptsPerPhoto = 3;

    [Fact]
    public async Task Storage_mode_under_random_storage_faults_leaves_exactly_one_complete_result_per_photo_or_names_it()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var names = new ContainerNames($"photos-{id}", $"detections-{id}", $"faces-{id}", $"annotated-{id}", $"anonymized-{id}");
        var clean = azurite.Server.CreateClient();
        var photos = clean.GetBlobContainerClient(names.Photos);
        await photos.CreateIfNotExistsAsync();
        var photoNames = Enumerable.Range(0, FaultRun.Photos).Select(i => $"scans/{i:D4}.jpg").ToList();
        await Parallel.ForEachAsync(Enumerable.Range(0, photoNames.Count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            await photos.GetBlobClient(photoNames[i]).UploadAsync(BinaryData.FromBytes(SmallPhotos.For(i)), ct));
        string[] args =
        [
            "detect", "--connection", azurite.Server.ConnectionString, "--container", names.Photos,
            "--detections-container", names.Detections, "--faces-container", names.Faces,
            "--annotated-container", names.Annotated, "--anonymized-container", names.Anonymized,
            "--annotate", "--anonymize", "--jsonl", "-",
        ];

        var first = await RunAsync(args, new RandomFaultTransport(FaultRun.Seed + 2, FaultRun.Probability), photoNames.Count, "first run");
        await AssertExactlyOneCompleteResultAsync(photos, clean, names, photoNames, first);

        // Every 4th photo uploaded anew (mostly another face count): the next run replaces exactly those results.
        var reuploaded = photoNames.Where((_, i) => i % 4 == 1).ToList();
        foreach (var name in reuploaded)
        {
            await photos.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(SmallPhotos.For(photoNames.IndexOf(name) + 3)), overwrite: true);
        }

        var second = await RunAsync(args, new RandomFaultTransport(FaultRun.Seed + 3, FaultRun.Probability), photoNames.Count, "second run");
        await AssertExactlyOneCompleteResultAsync(photos, clean, names, photoNames, second);
        Assert.True(second.Documents.Count <= reuploaded.Count + first.GaveUp.Count, second.Context);
    }

    private async Task<Run> RunAsync(string[] args, RandomFaultTransport faults, int photoCount, string label)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var clock = Stopwatch.StartNew();
        var exit = await CliApp.RunAsync(
            args,
            PhotoPipeline.Create,
            () => RandomFaultTransport.WithProductRetries(new BlobClientOptions(), faults),
            new InvocationConfiguration { Output = stdout, Error = stderr });
        clock.Stop();

        var error = stderr.ToString();
        var retried = Retried().Matches(error).Select(m => m.Groups["name"].Value).ToList();
        var gaveUp = GaveUp().Matches(error).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);
        var documents = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => System.Text.Json.JsonSerializer.Deserialize(line, DetectionDocumentJsonContext.Default.DetectionDocument)!.Source.Name)
            .ToList();
        var context = $"{label}: {photoCount} photos in {clock.Elapsed.TotalSeconds:F1} s, exit {exit}; storage: {faults.Summary}; " +
                      $"{retried.Count} photo attempts retried, {gaveUp.Count} photos given up; {FaultRun.Replay}";
        output.WriteLine(context);
        Assert.True(exit == 0, $"{context}\n{error}");
        Assert.True(documents.Count == documents.Distinct(StringComparer.Ordinal).Count(), $"a document written twice to --jsonl\n{context}");
        Assert.True(faults.MostRetries <= RandomFaultTransport.ProductMaxRetries, context);
        Assert.True(retried.GroupBy(n => n).All(g => g.Count() < AttemptsPerPhoto), $"more than {AttemptsPerPhoto} attempts for a photo\n{context}\n{error}");
        Assert.Contains($"{photoCount} photos listed", error, StringComparison.Ordinal);
        return new Run(documents, gaveUp, context);
    }

    private static async Task AssertExactlyOneCompleteResultAsync(BlobContainerClient photos, BlobServiceClient clean, ContainerNames names, IReadOnlyList<string> photoNames, Run run)
    {
        var audit = await ResultAudit.ReadAsync(photos, ResultContainers.Create(clean, names), copies: true);
        var incomplete = photoNames.Where(n => !run.GaveUp.Contains(n) && audit.StateOf(n) != ResultState.Complete).ToList();
        Assert.True(incomplete.Count == 0, $"{incomplete.Count} photos without their complete result:\n{audit.Describe(incomplete)}\n{run.Context}");
        var broken = run.GaveUp.Where(n => audit.StateOf(n) == ResultState.Broken).ToList();
        Assert.True(broken.Count == 0, $"half-written results of photos given up:\n{audit.Describe(broken)}\n{run.Context}");
        Assert.True(audit.Orphans.Count == 0, $"results of no photo: {string.Join(", ", audit.Orphans)}\n{run.Context}");
    }

    [GeneratedRegex(@"storage failed for '(?<name>[^']+)' \(.*\); attempt \d of \d follows")]
    private static partial Regex Retried();

    [GeneratedRegex(@"storage failed \d times for '(?<name>[^']+)' \(.*\); the next run retries it")]
    private static partial Regex GaveUp();

    private sealed record Run(List<string> Documents, HashSet<string> GaveUp, string Context);
}
