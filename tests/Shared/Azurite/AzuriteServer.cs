using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage;
using Azure.Storage.Blobs;

namespace FaceFunctions.Tests.Shared.Azurite;

/// <summary>
/// One Azurite (blob, queue and table services), started from the npm package pinned in tests/tools/azurite on free ports.
/// It runs a private account whose key is generated for this run, so no storage key appears in the repository.
/// In memory by default; with <see cref="AzuriteServer(bool)"/> persistent it keeps its data in a temp folder,
/// so a test can kill it mid-write, start it again on the same port, and look at what survived.
/// </summary>
public sealed class AzuriteServer : IDisposable
{
    // The table service starts last: once it listens, all three do.
    private const string ListeningMarker = "Table service is successfully listening";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly string? _dataFolder;
    private readonly string _workFolder;
    private Process? _process;

    public AzuriteServer(bool persistent = false)
    {
        AccountName = "ff" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        AccountKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));
        _workFolder = Directory.CreateTempSubdirectory("ff-azurite-").FullName;
        _dataFolder = persistent ? Path.Combine(_workFolder, "data") : null;
        Port = FreePort();
        QueuePort = FreePort();
        TablePort = FreePort();
        Start();
    }

    public string AccountName { get; }

    /// <summary>Random per run: Azurite learns it from AZURITE_ACCOUNTS.</summary>
    public string AccountKey { get; }

    public int Port { get; private set; }

    public int QueuePort { get; private set; }

    public int TablePort { get; private set; }

    public Uri BlobEndpoint => new($"http://127.0.0.1:{Port}/{AccountName}");

    public Uri QueueEndpoint => new($"http://127.0.0.1:{QueuePort}/{AccountName}");

    public Uri TableEndpoint => new($"http://127.0.0.1:{TablePort}/{AccountName}");

    public bool IsRunning => _process is { HasExited: false };

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};BlobEndpoint={BlobEndpoint};QueueEndpoint={QueueEndpoint};TableEndpoint={TableEndpoint};";

    /// <summary>A client for this account; <paramref name="policies"/> run on every request (fault injection).</summary>
    public BlobServiceClient CreateClient(params HttpPipelinePolicy[] policies)
    {
        var options = new BlobClientOptions();
        // Few, quick retries: a stopped emulator should fail a test in seconds, not minutes.
        options.Retry.MaxRetries = 2;
        options.Retry.Delay = TimeSpan.FromMilliseconds(50);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(200);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        foreach (var policy in policies)
        {
            options.AddPolicy(policy, HttpPipelinePosition.PerRetry);
        }

        return new BlobServiceClient(BlobEndpoint, new StorageSharedKeyCredential(AccountName, AccountKey), options);
    }

    /// <summary>Starts the emulator again on the same port (after <see cref="Kill"/>).</summary>
    public void Start()
    {
        if (IsRunning)
        {
            return;
        }

        for (var attempt = 0; ; attempt++)
        {
            var process = Launch();
            if (WaitUntilListening(process, out var output))
            {
                _process = process;
                return;
            }

            StopProcess(process);
            if (attempt >= 2 || _dataFolder is not null)
            {
                throw new InvalidOperationException($"Azurite did not start on port {Port}. Its output:\n{output}");
            }

            // Another process took a port between probing and binding it: try new ones.
            Port = FreePort();
            QueuePort = FreePort();
            TablePort = FreePort();
        }
    }

    /// <summary>
    /// Stops the emulator the way an operator would (SIGTERM): it closes its connections, and a persistent
    /// instance saves its metadata, so <see cref="Start"/> brings back everything written before.
    /// </summary>
    public void Stop()
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        using (var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false }))
        {
            kill?.WaitForExit(10_000);
        }

        if (!process.WaitForExit(30_000))
        {
            throw new InvalidOperationException("Azurite did not stop within 30 s of SIGTERM.");
        }

        Kill();
    }

    /// <summary>Kills the emulator abruptly (SIGKILL): what a crashed or unreachable storage looks like.</summary>
    public void Kill()
    {
        if (_process is not null)
        {
            StopProcess(_process);
            _process = null;
        }
    }

    public void Dispose()
    {
        Kill();
        try
        {
            Directory.Delete(_workFolder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless; failing the test run over it is not.
        }
    }

    private Process Launch()
    {
        var arguments = new List<string>
        {
            FindAzuriteScript(),
            "--blobHost", "127.0.0.1",
            "--blobPort", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--queueHost", "127.0.0.1",
            "--queuePort", QueuePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--tableHost", "127.0.0.1",
            "--tablePort", TablePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--skipApiVersionCheck", "--loose", "--disableTelemetry",
        };
        if (_dataFolder is null)
        {
            arguments.Add("--inMemoryPersistence");
        }
        else
        {
            arguments.AddRange(["--location", _dataFolder]);
        }

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = _workFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["AZURITE_ACCOUNTS"] = $"{AccountName}:{AccountKey}";
        return Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
    }

    private static bool WaitUntilListening(Process process, out string output)
    {
        var log = new System.Text.StringBuilder();
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            lock (log)
            {
                log.AppendLine(e.Data);
            }

            if (e.Data.Contains(ListeningMarker, StringComparison.Ordinal))
            {
                listening.TrySetResult();
            }
        }

        process.OutputDataReceived += OnLine;
        process.ErrorDataReceived += OnLine;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync();
        var first = Task.WhenAny(listening.Task, exited, Task.Delay(StartTimeout)).GetAwaiter().GetResult();
        lock (log)
        {
            output = log.ToString();
        }

        return first == listening.Task;
    }

    private static void StopProcess(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindAzuriteScript()
    {
        const string relative = "tests/tools/azurite/node_modules/azurite/dist/src/azurite.js";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"Azurite is not installed ({relative} not found above {AppContext.BaseDirectory}). Run: bash tests/tools/setup-azurite.sh");
    }
}
