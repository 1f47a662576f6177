using Microsoft.Extensions.Logging;

namespace FaceFunctions.Detection.Tests.Mtcnn;

/// <summary>Collects warnings so a test can see what the detector told its operator.</summary>
internal sealed class ListLogger(List<string> messages) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            lock (messages)
            {
                messages.Add(formatter(state, exception));
            }
        }
    }
}
