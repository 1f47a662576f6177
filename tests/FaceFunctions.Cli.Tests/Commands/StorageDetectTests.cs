using System.Diagnostics;
using System.Text.Json;
using FaceFunctions.Detection.Documents;
using FaceFunctions.Tests.Shared.Azurite;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceFunctions.Cli.Tests.Commands;

/// <summary>
/// <c>facefunctions detect --connection ...</c> end to end: the real executable, real models, real photos, a real
/// Azurite account; what it writes is checked blob by blob.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class StorageDetectTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Every_photo_is_processed_once_and_a_second_run_rewrites_nothing()
    {
        var (photos, args) = await ArchiveAsync(count: 10, astronauts: 2);

        var first = await CliProcess.RunAsync([.. args, "--annotate", "--anonymize", "--jsonl", "-"]);

        Assert.True(first.ExitCode == 0, $"exit {first.ExitCode}\n{first.StandardError}");
        var documents = first.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonSerializer.Deserialize(line, DetectionDocumentJsonContext.Default.DetectionDocument)!)
            .ToList();
        Assert.Equal(photos.Order(StringComparer.Ordinal), documents.Select(d => d.Source.Name).Order(StringComparer.Ordinal));
        Assert.Equal(2, documents.Sum(d => d.Faces?.Count ?? 0));
        Assert.Single(documents, d => d.Error is not null);
        Assert.Contains("10 photos listed", first.StandardError, StringComparison.Ordinal);
        var written = await SnapshotAsync(args);
        Assert.Equal(10, written.Count(b => b.Key.StartsWith("detections-", StringComparison.Ordinal)));
        Assert.Equal(2, written.Count(b => b.Key.StartsWith("faces-", StringComparison.Ordinal)));
        Assert.Equal(9, written.Count(b => b.Key.StartsWith("annotated-", StringComparison.Ordinal)));
        Assert.Equal(9, written.Count(b => b.Key.StartsWith("anonymized-", StringComparison.Ordinal)));

        var second = await CliProcess.RunAsync([.. args, "--annotate", "--anonymize", "--jsonl", "-"]);

        Assert.True(second.ExitCode == 0, $"exit {second.ExitCode}\n{second.StandardError}");
        Assert.Equal(string.Empty, second.StandardOutput);
        Assert.Equal(written, await SnapshotAsync(args));
    }

    [Fact]
    public async Task A_run_killed_midway_is_completed_by_the_next_without_redoing_finished_photos()
    {
        var (photos, args) = await ArchiveAsync(count: 12, astronauts: 12);

        using (var killed = Start([.. args, "--threads", "1", "--jsonl", "-"]))
        {
            // Kill it (SIGKILL: no clean-up at all) once it has finished two photos.
            var finished = 0;
            while (finished < 2 && await killed.StandardOutput.ReadLineAsync() is not null)
            {
                finished++;
            }

            killed.Kill(entireProcessTree: true);
            await killed.WaitForExitAsync();
        }

        var before = (await SnapshotAsync(args)).Where(b => b.Key.StartsWith("detections-", StringComparison.Ordinal)).ToList();
        Assert.InRange(before.Count, 2, photos.Count - 1);

        var rerun = await CliProcess.RunAsync([.. args, "--jsonl", "-"]);

        Assert.True(rerun.ExitCode == 0, $"exit {rerun.ExitCode}\n{rerun.StandardError}");
        var after = await SnapshotAsync(args);
        Assert.Equal(photos.Count, after.Count(b => b.Key.StartsWith("detections-", StringComparison.Ordinal)));
        foreach (var (document, etag) in before)
        {
            Assert.Equal(etag, after[document]);
        }

        Assert.Equal(photos.Count - before.Count, rerun.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Ctrl_c_stops_cleanly_with_exit_code_130_and_the_rerun_finishes_the_rest()
    {
        // Enough photos that the run cannot finish between its first document and the signal, even on a busy
        // machine (with 8 it once did, and exited 0).
        var (photos, args) = await ArchiveAsync(count: 24, astronauts: 24);
        int exitCode;
        using (var interrupted = Start([.. args, "--threads", "1", "--jsonl", "-"]))
        {
            Assert.NotNull(await interrupted.StandardOutput.ReadLineAsync());
            using (var signal = Process.Start("kill", ["-INT", interrupted.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await signal.WaitForExitAsync();
            }

            await interrupted.WaitForExitAsync();
            exitCode = interrupted.ExitCode;
        }

        Assert.Equal(130, exitCode);
        var rerun = await CliProcess.RunAsync([.. args, "--jsonl", "-"]);
        Assert.True(rerun.ExitCode == 0, $"exit {rerun.ExitCode}\n{rerun.StandardError}");
        Assert.Equal(photos.Count, (await SnapshotAsync(args)).Count(b => b.Key.StartsWith("detections-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Storage_mode_and_local_photos_exclude_each_other()
    {
        var run = await CliProcess.RunAsync("detect", "photo.jpg", "--connection", azurite.Server.ConnectionString);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--connection/--account-url", run.StandardError, StringComparison.Ordinal);
    }

    /// <summary>
    /// <paramref name="count"/> photos in fresh containers: <paramref name="astronauts"/> astronaut portraits (one
    /// face each), one file that is no photo, and small faceless PNGs for the rest; and the command line naming them.
    /// </summary>
    private async Task<(List<string> Photos, string[] Args)> ArchiveAsync(int count, int astronauts)
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var client = azurite.Server.CreateClient();
        var container = client.GetBlobContainerClient($"photos-{id}");
        await container.CreateIfNotExistsAsync();
        var astronaut = Fixtures.Bytes("astronaut.png");
        var photos = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var name = $"archive/{i:D2}.png";
            var bytes = i == count - 1 ? "not a photo"u8.ToArray() : i < astronauts ? astronaut : SmallPhoto(i);
            await container.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(bytes));
            photos.Add(name);
        }

        string[] args =
        [
            "detect", "--connection", azurite.Server.ConnectionString, "--container", container.Name,
            "--detections-container", $"detections-{id}", "--faces-container", $"faces-{id}",
            "--annotated-container", $"annotated-{id}", "--anonymized-container", $"anonymized-{id}",
        ];
        return (photos, args);
    }

    /// <summary>Every blob in the run's result containers with its ETag: equal snapshots mean nothing was written.</summary>
    private async Task<SortedDictionary<string, string>> SnapshotAsync(string[] args)
    {
        var client = azurite.Server.CreateClient();
        var snapshot = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var flag in new[] { "--detections-container", "--faces-container", "--annotated-container", "--anonymized-container" })
        {
            var container = client.GetBlobContainerClient(args[Array.IndexOf(args, flag) + 1]);
            if (!await container.ExistsAsync())
            {
                continue;
            }

            await foreach (var blob in container.GetBlobsAsync())
            {
                snapshot[$"{container.Name}/{blob.Name}"] = blob.Properties.ETag.ToString()!;
            }
        }

        return snapshot;
    }

    private static Process Start(string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "facefunctions.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return process;
    }

    private static byte[] SmallPhoto(int seed)
    {
        using var image = new Image<Rgb24>(40, 40, new Rgb24((byte)(seed * 20), 90, 160));
        using var png = new MemoryStream();
        image.SaveAsPng(png);
        return png.ToArray();
    }
}
