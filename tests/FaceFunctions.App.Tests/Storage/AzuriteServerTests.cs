using System.Diagnostics;
using FaceFunctions.Tests.Shared.Azurite;

namespace FaceFunctions.App.Tests.Storage;

/// <summary>The Azurite the tests start leaves nothing behind: not on dispose, not when the test host dies.</summary>
public sealed class AzuriteServerTests
{
    [Fact]
    public void Dispose_ends_the_process_and_deletes_its_folder()
    {
        var server = new AzuriteServer(persistent: true);
        int pid = server.ProcessId!.Value;

        server.Dispose();

        Assert.False(IsAlive(pid));
        Assert.False(Directory.Exists(server.WorkFolder));
    }

    [Fact]
    public void Node_exits_by_itself_when_the_test_host_is_gone()
    {
        using var server = new AzuriteServer();
        int pid = server.ProcessId!.Value;

        // What the kernel does to the pipe when the host exits, crashes or is killed (kill -9 included).
        server.CloseHostPipe();

        var stopwatch = Stopwatch.StartNew();
        while (IsAlive(pid) && stopwatch.Elapsed < TimeSpan.FromSeconds(30))
        {
            Thread.Sleep(100);
        }

        Assert.False(IsAlive(pid), "Azurite still runs 30 s after its host's pipe closed");
    }

    [Fact]
    public void Folders_of_dead_hosts_are_deleted_by_the_next_server()
    {
        // A folder as a killed host leaves it: an owner lock file nobody holds any more.
        string abandoned = Directory.CreateTempSubdirectory("ff-azurite-").FullName;
        File.WriteAllText(Path.Combine(abandoned, "owner.lock"), "");
        Directory.CreateDirectory(Path.Combine(abandoned, "data"));

        using var server = new AzuriteServer();

        Assert.False(Directory.Exists(abandoned));
        Assert.True(Directory.Exists(server.WorkFolder), "a live server's own folder is kept");
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
