using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;

namespace FaceFunctions.Cli.Tests.Commands;

/// <summary>
/// The file-system part of the hostile-input suite: special files, link loops and odd names given to
/// <c>facefunctions detect</c>, run out of process. Each run must finish (CliProcess fails a run after three
/// minutes and kills it), process every real photo exactly once and warn about what it skipped.
/// </summary>
public sealed class HostileFolderTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("ff-cli-hostile-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task Special_files_are_skipped_with_a_warning_and_never_opened()
    {
        string folder = Directory.CreateDirectory(Path.Combine(_work, "photos")).FullName;
        File.Copy(Fixtures.PathOf(Fixtures.Coffee), Path.Combine(folder, "coffee.png"));
        MakeFifo(Path.Combine(folder, "pipe.jpg"));
        string explicitFifo = Path.Combine(_work, "named.png");
        MakeFifo(explicitFifo);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(Path.Combine(folder, "socket.png")));

        var run = await CliProcess.RunAsync("detect", folder, explicitFifo, "/dev/zero", "--out", Path.Combine(_work, "out"), "--jsonl", "-", "--no-crops");

        Assert.True(run.ExitCode == 0, run.StandardError);
        var document = Assert.Single(Documents(run));
        Assert.EndsWith("coffee.png", document.GetProperty("source").GetProperty("name").GetString(), StringComparison.Ordinal);
        foreach (string special in new[] { "pipe.jpg", "named.png", "socket.png", "/dev/zero" })
        {
            Assert.Contains(special, run.StandardError, StringComparison.Ordinal);
        }

        Assert.Equal(4, Count(run.StandardError, "not a regular file"));
    }

    [Fact]
    public async Task A_named_fifo_alone_exits_with_one_instead_of_hanging()
    {
        string fifo = Path.Combine(_work, "alone.jpg");
        MakeFifo(fifo);

        var run = await CliProcess.RunAsync("detect", fifo, "--out", Path.Combine(_work, "out"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("not a regular file", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Link_loops_and_repeated_links_yield_each_real_photo_once()
    {
        string folder = Directory.CreateDirectory(Path.Combine(_work, "loops")).FullName;
        string nested = Directory.CreateDirectory(Path.Combine(folder, "nested")).FullName;
        File.Copy(Fixtures.PathOf(Fixtures.Coffee), Path.Combine(folder, "coffee.png"));
        File.Copy(Fixtures.PathOf(Fixtures.Chelsea), Path.Combine(nested, "chelsea.png"));
        // Two links to the folder itself (the case that grew without bound), one to its parent, one to a file,
        // and one that points nowhere.
        Directory.CreateSymbolicLink(Path.Combine(folder, "self-a"), folder);
        Directory.CreateSymbolicLink(Path.Combine(folder, "self-b"), ".");
        Directory.CreateSymbolicLink(Path.Combine(nested, "up"), "..");
        File.CreateSymbolicLink(Path.Combine(nested, "coffee-again.png"), Path.Combine(folder, "coffee.png"));
        File.CreateSymbolicLink(Path.Combine(folder, "dangling.png"), Path.Combine(_work, "nothing-here.png"));

        var run = await CliProcess.RunAsync("detect", folder, Path.Combine(folder, "**", "*.png"), "--out", Path.Combine(_work, "out"), "--jsonl", "-", "--no-crops");

        Assert.True(run.ExitCode == 0, run.StandardError);
        var names = Documents(run).Select(d => Path.GetFileName(d.GetProperty("source").GetProperty("name").GetString())).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["chelsea.png", "coffee.png"], names);
        Assert.DoesNotContain("symbolic links", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_link_cycle_between_two_folders_ends()
    {
        string a = Directory.CreateDirectory(Path.Combine(_work, "a")).FullName;
        string b = Directory.CreateDirectory(Path.Combine(_work, "b")).FullName;
        File.Copy(Fixtures.PathOf(Fixtures.Coffee), Path.Combine(b, "coffee.png"));
        Directory.CreateSymbolicLink(Path.Combine(a, "to-b"), b);
        Directory.CreateSymbolicLink(Path.Combine(b, "to-a"), a);
        // A link to itself by name: following it fails with "too many levels of symbolic links".
        File.CreateSymbolicLink(Path.Combine(a, "knot.png"), Path.Combine(a, "knot.png"));

        var run = await CliProcess.RunAsync("detect", a, "--out", Path.Combine(_work, "out"), "--jsonl", "-", "--no-crops");

        Assert.True(run.ExitCode == 0, run.StandardError);
        Assert.Single(Documents(run));
        Assert.Equal(1, Count(run.StandardError, "too many levels of symbolic links"));
    }

    [Fact]
    public async Task Odd_names_get_their_own_documents()
    {
        string folder = Directory.CreateDirectory(Path.Combine(_work, "odd")).FullName;
        string[] names =
        [
            "with space.png", "ünïcödé 写真.png", "new\nline.png", "-looks-like-an-option.png", "UPPER.PNG",
            "[red]markup[bold].png", "quote'\"mark.png", new string('l', 200) + ".png", ".png",
        ];
        foreach (string name in names)
        {
            File.Copy(Fixtures.PathOf(Fixtures.Coffee), Path.Combine(folder, name));
        }

        Directory.CreateDirectory(Path.Combine(folder, "folder.jpg")); // a folder with a photo's name is walked, not opened

        var run = await CliProcess.RunAsync("detect", folder, "--out", Path.Combine(_work, "out"), "--jsonl", "-", "--no-crops");

        Assert.True(run.ExitCode == 0, run.StandardError);
        var documents = Documents(run);
        Assert.Equal(names.Order(StringComparer.Ordinal), documents.Select(d => Path.GetFileName(d.GetProperty("source").GetProperty("name").GetString()!)).Order(StringComparer.Ordinal));
        Assert.All(documents, d => Assert.False(d.TryGetProperty("error", out var e) && e.ValueKind != JsonValueKind.Null, d.ToString()));
        Assert.Equal(names.Length, Directory.GetFiles(Path.Combine(_work, "out"), "*.json").Length);
    }

    private static List<JsonElement> Documents(CliProcess.Result run) =>
        [.. run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)];

    private static int Count(string text, string what)
    {
        int count = 0;
        for (int at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo") { ArgumentList = { path }, UseShellExecute = false })!;
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }
}
