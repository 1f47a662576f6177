using Microsoft.Extensions.Logging;

namespace FaceFunctions.Tests;

/// <summary>Keeps every log entry (message template fields included), from any thread, for assertions.</summary>
internal class RecordingLogger : ILogger
{
    private readonly List<LogEntry> _entries = [];

    public IReadOnlyList<LogEntry> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    /// <summary>The messages of warnings and worse: what an operator would be told.</summary>
    public IReadOnlyList<string> Warnings => [.. Entries.Where(e => e.Level >= LogLevel.Warning).Select(e => e.Message)];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var fields = state as IEnumerable<KeyValuePair<string, object?>> ?? [];
        lock (_entries)
        {
            _entries.Add(new LogEntry(logLevel, formatter(state, exception), [.. fields]));
        }
    }
}

/// <summary>A <see cref="RecordingLogger"/> for code that asks for a typed logger.</summary>
internal sealed class RecordingLogger<T> : RecordingLogger, ILogger<T>;

internal sealed record LogEntry(LogLevel Level, string Message, IReadOnlyList<KeyValuePair<string, object?>> State);
