using Microsoft.Extensions.Logging;

namespace FaceFunctions.Cli;

/// <summary>Warnings and errors of the detector, as the invocation's terminal shows them.</summary>
internal sealed class TerminalLogger(Terminal terminal) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            terminal.Warn(formatter(state, exception));
        }
    }
}
