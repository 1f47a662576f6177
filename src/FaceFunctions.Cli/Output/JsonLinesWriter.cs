using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace FaceFunctions.Cli.Output;

/// <summary>
/// The one way commands write JSON lines: one document per line, from any thread, to a file or to the
/// invocation's stdout ("-"), flushed per line so a reader sees each photo as soon as it is done.
/// </summary>
internal sealed class JsonLinesWriter : IDisposable
{
    private readonly TextWriter _writer;
    private readonly bool _ownsWriter;
    private readonly Lock _gate = new();

    private JsonLinesWriter(TextWriter writer, bool ownsWriter)
    {
        _writer = writer;
        _ownsWriter = ownsWriter;
    }

    /// <summary>Opens <paramref name="target"/>: "-" is <paramref name="stdout"/>, anything else a file (created or replaced).</summary>
    public static JsonLinesWriter Open(string target, TextWriter stdout) => target == "-"
        ? new JsonLinesWriter(stdout, ownsWriter: false)
        : new JsonLinesWriter(new StreamWriter(new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.Read)) { NewLine = "\n" }, ownsWriter: true);

    public void Write<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        var line = JsonSerializer.Serialize(value, typeInfo);
        lock (_gate)
        {
            _writer.Write(line);
            _writer.Write('\n');
            _writer.Flush();
        }
    }

    public void Dispose()
    {
        if (_ownsWriter)
        {
            _writer.Dispose();
        }
    }
}
