using Spectre.Console;

namespace FaceFunctions.Cli;

/// <summary>
/// Human-readable output goes to stderr, so stdout stays free for machine-readable lines (<c>--jsonl -</c>).
/// </summary>
internal static class Terminal
{
    public static IAnsiConsole Error { get; } = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
}

internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>No input could be read (nothing matched, or every file failed to open).</summary>
    public const int NoInput = 1;

    public const int Usage = 2;
}
