using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace FaceFunctions.Cli;

/// <summary>Shows the detector's warnings (such as falling back from CUDA to the CPU) on stderr.</summary>
internal sealed class TerminalLogger : ILogger
{
    public static TerminalLogger Instance { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            Terminal.Error.MarkupLineInterpolated($"[yellow]warning:[/] {formatter(state, exception)}");
        }
    }
}
