using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using FaceFunctions.Storage.Results;

namespace FaceFunctions.Storage.Scanning;

/// <summary>
/// The detections container's listing (documents with their metadata), read ahead page by page as the photos
/// listing needs it, holding the documents whose photo has not come yet. It also knows where a later step must
/// list again from: the page that brought the oldest document still held. When that page is listed again, a
/// document is skipped only if it was read before (up to <see cref="ScanCheckpoint.DocumentsReadThrough"/>) and
/// its photo name was decided (up to <see cref="ScanCheckpoint.LastPhoto"/>). A document read for the first time
/// is kept even when its photo name lies before the checkpoint: document order is not photo order ("a.json" lists
/// after "a-1.json", though photo "a" comes before "a-1"), so an orphan's document can list after the step that
/// passed its photo name ended; the next page's orphans then include it.
/// </summary>
internal sealed class DocumentCursor : IAsyncDisposable
{
    private const string DocumentSuffix = ".json";

    private readonly SortedDictionary<string, (CommittedResult Result, int Page)> _held = new(StringComparer.Ordinal);
    private readonly List<string?> _pageTokens = [];
    private readonly string? _skipThrough;
    private readonly string? _readBefore;
    private readonly IAsyncEnumerator<Page<BlobItem>> _pages;
    private string? _highWater;
    private string? _nextToken;
    private bool _ended;

    public DocumentCursor(BlobContainerClient detections, string? prefix, ScanCheckpoint from, int pageSize, CancellationToken cancellationToken)
    {
        _skipThrough = from.LastPhoto;
        _readBefore = from.DocumentsReadThrough;
        _ended = from.DocumentsDone;
        _nextToken = from.DocumentToken;
        _pages = detections.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix, Traits = BlobTraits.Metadata })
            .AsPages(from.DocumentToken, pageSize)
            .GetAsyncEnumerator(cancellationToken);
    }

    /// <summary>The token to list again from: the page of the oldest document held, or the next unread page.</summary>
    public string? ResumeToken => _held.Count == 0 ? _nextToken : _pageTokens[_held.Values.Min(v => v.Page)];

    /// <summary>The listing had ended and nothing is held: no later photo has a document.</summary>
    public bool ResumeFromEnd => _ended && _held.Count == 0;

    /// <summary>The last document name read, by this step or an earlier one (null: none yet).</summary>
    public string? ReadThrough => _readBefore is null || (_highWater is not null && string.CompareOrdinal(_highWater, _readBefore) > 0) ? _highWater : _readBefore;

    /// <summary>Reads pages until the listing has passed <paramref name="bound"/> (or ended).</summary>
    public async Task ReadThroughAsync(string bound)
    {
        while (!_ended && (_highWater is null || string.CompareOrdinal(_highWater, bound) < 0))
        {
            await ReadPageAsync();
        }
    }

    public async Task ReadToEndAsync()
    {
        while (!_ended)
        {
            await ReadPageAsync();
        }
    }

    /// <summary>The document of <paramref name="photo"/> (removed from the buffer), or <see cref="CommittedResult.None"/>.</summary>
    public CommittedResult Take(string photo) => _held.Remove(photo, out var held) ? held.Result : CommittedResult.None;

    /// <summary>Removes and returns the documents of photos up to <paramref name="photo"/> (every one when null).</summary>
    public IReadOnlyList<(string Photo, CommittedResult Result)> TakeUpTo(string? photo)
    {
        var taken = _held.TakeWhile(d => photo is null || string.CompareOrdinal(d.Key, photo) <= 0)
            .Select(d => (d.Key, d.Value.Result))
            .ToList();
        foreach (var (name, _) in taken)
        {
            _held.Remove(name);
        }

        return taken;
    }

    public ValueTask DisposeAsync() => _pages.DisposeAsync();

    private async Task ReadPageAsync()
    {
        var token = _nextToken;
        bool more;
        try
        {
            more = await _pages.MoveNextAsync();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No detections container yet: nothing has results.
            more = false;
        }

        if (!more)
        {
            _ended = true;
            return;
        }

        var page = _pages.Current;
        var index = _pageTokens.Count;
        _pageTokens.Add(token);
        foreach (var item in page.Values)
        {
            _highWater = item.Name;
            if (item.Name.StartsWith(OutputNames.HashedPrefix, StringComparison.Ordinal) || !item.Name.EndsWith(DocumentSuffix, StringComparison.Ordinal))
            {
                continue;
            }

            var photo = item.Name[..^DocumentSuffix.Length];
            if (_readBefore is not null && string.CompareOrdinal(item.Name, _readBefore) <= 0
                && _skipThrough is not null && string.CompareOrdinal(photo, _skipThrough) <= 0)
            {
                // Read and decided by an earlier step.
                continue;
            }

            _held[photo] = (CommittedResult.From(item.Properties.ETag!.Value, item.Metadata), index);
        }

        _nextToken = page.ContinuationToken;
        if (string.IsNullOrEmpty(_nextToken))
        {
            _ended = true;
        }
    }
}
