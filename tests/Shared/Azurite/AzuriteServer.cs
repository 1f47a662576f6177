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
/// <remarks>
/// Nothing outlives the test run. <see cref="Dispose"/> kills the process and deletes the folder; when Dispose never
/// runs (a test host killed, crashed or cancelled), Node exits by itself: it is started with a preload script that
/// exits when its standard input reaches end-of-file, and the only writer of that pipe is this test host, so the
/// kernel closes it whatever way the host ends. Folders such hosts leave behind are deleted by the next server
/// started: each holds a lock file that its owner keeps open (and locked) for as long as it lives.
/// </remarks>
public sealed class AzuriteServer : IDisposable
{
    // The table service starts last: once it listens, all three do.
    private const string ListeningMarker = "Table service is successfully listening";
    private const string FolderPrefix = "ff-azurite-";
    private const string OwnerLockName = "owner.lock";
    private const string ExitWithParentScript = "exit-with-parent.js";

    /// <summary>Folders of runs from before owner locks existed are only deleted once they are clearly abandoned.</summary>
    private static readonly TimeSpan UnlockedFolderAge = TimeSpan.FromDays(1);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly string? _dataFolder;
    private readonly string _workFolder;
    private readonly FileStream _ownerLock;
    private Process? _process;

    public AzuriteServer(bool persistent = false)
    {
        AccountName = "ff" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        AccountKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));
        DeleteAbandonedFolders();
        _workFolder = Directory.CreateTempSubdirectory(FolderPrefix).FullName;
        _ownerLock = new FileStream(Path.Combine(_workFolder, OwnerLockName), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        File.WriteAllText(
            Path.Combine(_workFolder, ExitWithParentScript),
            "// Exit when the test host's end of stdin closes: it exited, crashed or was killed. Unreferenced, so that\n" +
            "// the open pipe does not keep Node alive after Azurite shuts down on SIGTERM.\n" +
            "process.stdin.on('end', () => process.exit(0));\nprocess.stdin.on('error', () => process.exit(0));\n" +
            "process.stdin.resume();\nprocess.stdin.unref();\n");
        _dataFolder = persistent ? Path.Combine(_workFolder, "data") : null;
        Port = FreePort();
        QueuePort = FreePort();
        TablePort = FreePort();
        try
        {
            Start();
        }
        catch
        {
            Dispose();
            throw;
        }
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

    /// <summary>Node's process id, while it runs.</summary>
    public int? ProcessId => _process?.Id;

    /// <summary>The folder holding this server's files (and its data, when persistent).</summary>
    public string WorkFolder => _workFolder;

    /// <summary>Closes the pipe Node watches, as the kernel does when the test host dies (see remarks).</summary>
    public void CloseHostPipe() => _process?.StandardInput.Close();

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

    /// <summary>
    /// A client for this account whose requests go through <paramref name="faults"/>, with the retry settings the
    /// app and the CLI run with (<see cref="RandomFaultTransport.WithProductRetries"/>).
    /// </summary>
    public BlobServiceClient CreateClient(RandomFaultTransport faults) =>
        new(BlobEndpoint, new StorageSharedKeyCredential(AccountName, AccountKey), RandomFaultTransport.WithProductRetries(new BlobClientOptions(), faults));

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
        _ownerLock.Dispose();
        DeleteFolder(_workFolder);
    }

    /// <summary>Deletes the folders of servers whose test host is gone (their owner lock is free).</summary>
    private static void DeleteAbandonedFolders()
    {
        foreach (string folder in Directory.EnumerateDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            string lockPath = Path.Combine(folder, OwnerLockName);
            if (!File.Exists(lockPath))
            {
                if (DateTime.UtcNow - Directory.GetLastWriteTimeUtc(folder) > UnlockedFolderAge)
                {
                    DeleteFolder(folder);
                }

                continue;
            }

            try
            {
                using (new FileStream(lockPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
                {
                }
            }
            catch (IOException)
            {
                continue; // its owner is alive
            }
            catch (UnauthorizedAccessException)
            {
                continue; // another user's
            }

            DeleteFolder(folder);
        }
    }

    private static void DeleteFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A temp folder left behind is harmless; failing the test run over it is not.
        }
    }

    private Process Launch()
    {
        var arguments = new List<string>
        {
            "--require", Path.Combine(_workFolder, ExitWithParentScript),
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
            // The pipe whose end-of-file tells Node that this host is gone (see remarks). Never written to.
            RedirectStandardInput = true,
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
