using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace FaceFunctions.Cli.Output;

/// <summary>Writes one JSON document per line, from any thread, to a file or to stdout ("-").</summary>
internal sealed class JsonLinesWriter : IDisposable
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();
    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly Lock _gate = new();

    private JsonLinesWriter(Stream stream, bool ownsStream)
    {
        _stream = stream;
        _ownsStream = ownsStream;
    }

    public static JsonLinesWriter Open(string target) => target == "-"
        ? new JsonLinesWriter(Console.OpenStandardOutput(), ownsStream: false)
        : new JsonLinesWriter(new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.Read), ownsStream: true);

    public void Write<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);
        lock (_gate)
        {
            _stream.Write(bytes);
            _stream.Write(NewLine);
            _stream.Flush();
        }
    }

    public void Dispose()
    {
        if (_ownsStream)
        {
            _stream.Dispose();
        }
    }
}
