namespace FaceFunctions.Infra.Tests;

/// <summary>
/// infra/hooks/postdeploy.sh says what really went wrong, at once, and retries only what a cold start explains: run
/// with a stand-in az (FakeAzureCli) answering as the real CLI does when the login is missing, the resource group is
/// wrong, the extension cannot be installed, the keys API fails, or Event Grid's validation handshake fails.
/// </summary>
public sealed class PostdeployHookTests
{
    // The real CLI's messages for these cases.
    private const string NotLoggedIn = "Please run 'az login' to setup account.";
    private const string NoResourceGroup = "(ResourceGroupNotFound) Resource group 'rg-test' could not be found.";
    private const string HandshakeFailed =
        "(Endpoint validation) Webhook validation handshake failed for https://ca-test.westus3.azurecontainerapps.io/runtime/webhooks/blobs. " +
        "Http POST request failed with response code Unknown.";

    /// <summary>A prerequisite failure ends the hook well within this: no waiting for a key that cannot come.</summary>
    private static readonly TimeSpan FailFast = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_missing_login_ends_the_hook_at_once_with_azs_own_message()
    {
        using var az = new FakeAzureCli($"""account\ show*) echo "ERROR: {NotLoggedIn}" >&2; exit 1 ;;""");

        var result = await az.RunAsync("bash", "postdeploy.sh", "flex");

        Assert.True(result.ExitCode != 0, result.Describe());
        Assert.True(result.Elapsed < FailFast, result.Describe());
        Assert.Contains(NotLoggedIn, result.StandardError, StringComparison.Ordinal);
        Assert.Contains("Log the Azure CLI in with 'az login'", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(["az account show --output none"], az.Calls);
    }

    [Fact]
    public async Task A_wrong_resource_group_is_named_before_any_replica_is_started()
    {
        using var az = new FakeAzureCli($"""group\ show*) echo "ERROR: {NoResourceGroup}" >&2; exit 3 ;;""");

        var result = await az.RunAsync("bash", "postdeploy.sh", "gpu");

        Assert.True(result.ExitCode != 0, result.Describe());
        Assert.True(result.Elapsed < FailFast, result.Describe());
        Assert.Contains(NoResourceGroup, result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(az.Calls, call => call.Contains("--min-replicas", StringComparison.Ordinal));
        Assert.DoesNotContain(az.Calls, call => call.StartsWith("sleep", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_containerapp_extension_that_cannot_be_installed_is_reported_as_such()
    {
        const string Unreachable = "Failed to establish a new connection: [Errno -3] Temporary failure in name resolution";
        using var az = new FakeAzureCli($"""extension\ add*) echo "ERROR: {Unreachable}" >&2; exit 1 ;;""");

        var result = await az.RunAsync("bash", "postdeploy.sh", "gpu");

        Assert.True(result.ExitCode != 0, result.Describe());
        Assert.True(result.Elapsed < FailFast, result.Describe());
        Assert.Contains("installing the containerapp extension", result.StandardError, StringComparison.Ordinal);
        Assert.Contains(Unreachable, result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_keys_api_is_quoted_at_each_attempt_and_at_the_end()
    {
        const string BadRequest = "Operation returned an invalid status 'Bad Request'";
        using var az = new FakeAzureCli($"""functionapp\ keys\ list*) echo "ERROR: {BadRequest}" >&2; exit 1 ;;""");

        var result = await az.RunAsync("bash", "postdeploy.sh", "flex");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"(attempt 1/30): ERROR: {BadRequest}", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"ERROR: {BadRequest}", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(30, az.Calls.Count(call => call == "sleep 10"));
        Assert.DoesNotContain(az.Calls, call => call.Contains("deployment group create", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failed_validation_handshake_is_retried_while_one_replica_stays_warm()
    {
        using var az = new FakeAzureCli(
            """containerapp\ function\ keys\ show*) echo "k3y" ;;""",
            $"""
            deployment\ group\ create*)
                echo x >> "$(dirname "$0")/../counter"
                if [ "$(wc -l < "$(dirname "$0")/../counter")" -lt 2 ]; then echo "ERROR: {HandshakeFailed}" >&2; exit 1; fi ;;
            """);

        var result = await az.RunAsync("bash", "postdeploy.sh", "gpu");

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Contains("Retrying in 30 s", result.StandardOutput, StringComparison.Ordinal);
        var calls = az.Calls.ToList();
        var warm = calls.FindIndex(call => call.Contains("--min-replicas 1", StringComparison.Ordinal));
        var deployments = calls.Select((call, i) => (call, i)).Where(c => c.call.Contains("deployment group create", StringComparison.Ordinal)).Select(c => c.i).ToList();
        var cold = calls.FindIndex(call => call.Contains("--min-replicas 0", StringComparison.Ordinal));
        Assert.Equal(2, deployments.Count);
        Assert.True(warm >= 0 && warm < deployments[0] && deployments[^1] < cold, string.Join("\n", calls));
        // The key travelled in a parameters file, which is gone.
        var parametersFile = calls[deployments[0]].Split(' ').Single(word => word.StartsWith('@'))[1..];
        Assert.False(File.Exists(parametersFile), parametersFile);
    }

    [Fact]
    public async Task Other_subscription_errors_are_final_and_the_replica_is_released()
    {
        const string Denied = "(AuthorizationFailed) The client does not have authorization to perform action 'Microsoft.EventGrid/systemTopics/eventSubscriptions/write'.";
        using var az = new FakeAzureCli(
            """containerapp\ function\ keys\ show*) echo "k3y" ;;""",
            $"""deployment\ group\ create*) echo "ERROR: {Denied}" >&2; exit 1 ;;""");

        var result = await az.RunAsync("bash", "postdeploy.sh", "gpu");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(Denied, result.StandardError, StringComparison.Ordinal);
        Assert.Single(az.Calls, call => call.Contains("deployment group create", StringComparison.Ordinal));
        Assert.Contains("--min-replicas 0", az.Calls[^1], StringComparison.Ordinal);
    }

    // The Windows hook, where PowerShell is installed (the build machines have none: these two then show as skipped).
    [PwshFact]
    public async Task Windows_hook_ends_at_once_with_azs_message_when_the_login_is_missing()
    {
        using var az = new FakeAzureCli($"""account\ show*) echo "ERROR: {NotLoggedIn}" >&2; exit 1 ;;""");

        var result = await az.RunAsync("pwsh", "postdeploy.ps1", "flex");

        Assert.True(result.ExitCode != 0, result.Describe());
        Assert.True(result.Elapsed < FailFast, result.Describe());
        Assert.Contains(NotLoggedIn, result.StandardOutput + result.StandardError, StringComparison.Ordinal);
        Assert.Equal(["az account show --output none"], az.Calls);
    }

    [PwshFact]
    public async Task Windows_hook_names_a_wrong_resource_group_before_starting_a_replica()
    {
        using var az = new FakeAzureCli($"""group\ show*) echo "ERROR: {NoResourceGroup}" >&2; exit 3 ;;""");

        var result = await az.RunAsync("pwsh", "postdeploy.ps1", "gpu");

        Assert.True(result.ExitCode != 0, result.Describe());
        Assert.Contains(NoResourceGroup, result.StandardOutput + result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(az.Calls, call => call.Contains("--min-replicas", StringComparison.Ordinal));
    }
}

/// <summary>A fact that runs only where PowerShell (pwsh) is on PATH, and says so in the test output otherwise.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class PwshFactAttribute : FactAttribute
{
    public PwshFactAttribute()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, "pwsh")));
        if (!onPath)
        {
            Skip = "PowerShell (pwsh) is not installed here, so infra/hooks/postdeploy.ps1 is not run.";
        }
    }
}
