using Spectre.Console;

namespace FaceFunctions.Cli;

/// <summary>
/// Human-readable output goes to stderr, so stdout stays free for machine-readable lines (<c>--jsonl -</c>).
/// </summary>
internal static class Terminal
{
    public static IAnsiConsole Error { get; } = Create();

    private static IAnsiConsole Create()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        if (Console.IsErrorRedirected)
        {
            // A log file has no width; Spectre would assume 80 columns and fold every table.
            console.Profile.Width = 200;
        }

        return console;
    }
}

internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>No input could be read (nothing matched, or every file failed to open).</summary>
    public const int NoInput = 1;

    public const int Usage = 2;
}
