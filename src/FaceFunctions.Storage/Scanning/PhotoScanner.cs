using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using FaceFunctions.Storage.Results;
using Microsoft.Extensions.Logging;

namespace FaceFunctions.Storage.Scanning;

/// <summary>
/// Decides, page by page, which photos need detection, without reading anything per photo: the photos listing
/// and a listing of the detections container (with metadata: photo ETag and detector id, see
/// <see cref="CommittedResult"/>) are merged by name. A document is named <c>&lt;photo&gt;.json</c>, so both
/// listings run in nearly the same order; "nearly", because a name that extends another with a character
/// sorting before '.' ("a" and "a-1": "a-1.json" lists before "a.json") puts documents slightly out of photo
/// order. So documents are read ahead until the listing has passed every document the current photo page can
/// have, and kept in a small buffer keyed by photo name until their photo comes (or has certainly not come: an
/// orphan). Photos with hashed output names (<see cref="OutputNames.IsHashed"/>, rare: over-long or odd names)
/// have no name order at all; their documents are read one by one, and with prune, the hashed documents are
/// listed on their own once every photo is listed (<see cref="OrphanPruner.PruneHashedAsync"/>).
/// <para>
/// The decisions are hints, never the last word: a photo enqueued needlessly is found up to date by the
/// processor, and an orphan is deleted only after checking, at delete time, that its photo is absent
/// (<see cref="OrphanPruner"/>). So listings that disagree with this ordinal order cost requests, not results.
/// </para>
/// </summary>
public sealed partial class PhotoScanner(
    BlobContainerClient photos,
    ResultStore store,
    ResultContainers results,
    OrphanPruner pruner,
    string detector,
    ILogger<PhotoScanner> logger,
    int pageSize = PhotoScanner.MaxPageSize)
{
    /// <summary>The most a listing page holds (List Blobs' maxresults limit): fewest requests per photo.</summary>
    public const int MaxPageSize = 5000;

    private const string DocumentSuffix = ".json";

    /// <summary>
    /// Scans from <paramref name="from"/> for at most <paramref name="maxPages"/> pages: photo pages, then, with
    /// prune, pages of the hashed documents (the step that ends the photo listing lists at least one). Each page's photos
    /// that need work go to <paramref name="enqueue"/> before the checkpoint moves past them, so a step that dies
    /// anywhere is redone from its checkpoint and no photo is lost (some may be enqueued twice).
    /// <paramref name="onPage"/> sees each page's counts as it is done (a progress display).
    /// </summary>
    public async Task<ScanStep> RunAsync(
        ScanRequest request,
        ScanCheckpoint from,
        int maxPages,
        Func<IReadOnlyList<string>, CancellationToken, Task> enqueue,
        CancellationToken cancellationToken,
        Action<ScanCounts>? onPage = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(enqueue);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPages, 1);

        var counts = default(ScanCounts);
        if (!from.PhotosDone)
        {
            var documents = new DocumentCursor(results.Detections, request.Prefix, from, pageSize, cancellationToken);
            await using (documents)
            {
                var lastPhoto = from.LastPhoto;
                await foreach (var page in photos.GetBlobsAsync(new GetBlobsOptions { Prefix = request.Prefix }, cancellationToken)
                                   .AsPages(from.PhotoToken, pageSize)
                                   .WithCancellation(cancellationToken))
                {
                    var (pageCounts, last) = await DecidePageAsync(request, page.Values, documents, enqueue, cancellationToken);
                    counts += pageCounts;
                    onPage?.Invoke(pageCounts);
                    lastPhoto = last ?? lastPhoto;
                    if (string.IsNullOrEmpty(page.ContinuationToken))
                    {
                        break;
                    }

                    if (counts.Pages >= maxPages)
                    {
                        return new ScanStep(counts, new ScanCheckpoint(page.ContinuationToken, documents.ResumeToken, lastPhoto, documents.ResumeFromEnd, documents.ReadThrough));
                    }
                }

                // Every photo is listed: whatever documents remain have no photo.
                if (request.Prune)
                {
                    await documents.ReadToEndAsync();
                    counts += new ScanCounts(0, 0, 0, 0, await PruneAsync(documents.TakeUpTo(null), cancellationToken));
                }
            }

            LogFinished(logger, photos.Name, request.Prefix ?? string.Empty, counts.Listed, counts.Enqueued);
        }

        if (request.Prune)
        {
            // Results with hashed names sit apart from the photo order; their own listing finds the orphans among
            // them, as many pages as this step has left (at least one, so every step makes progress).
            var pages = from.PhotosDone ? maxPages : (int)Math.Max(1, maxPages - counts.Pages);
            var (pruned, next) = await pruner.PruneHashedAsync(request.Prefix, from.HashedToken, pages, pageSize, cancellationToken);
            counts += new ScanCounts(0, 0, 0, 0, pruned);
            if (next is not null)
            {
                return new ScanStep(counts, ScanCheckpoint.PruningHashed(next));
            }
        }

        return new ScanStep(counts, null);
    }

    /// <summary>Whether a photo with <paramref name="photoETag"/> needs work, given what the detections container holds for it.</summary>
    public static ScanDecision Decide(ETag photoETag, CommittedResult committed, bool redetect, string detector) =>
        !committed.Exists ? ScanDecision.Missing
        : !committed.Describes(photoETag) ? ScanDecision.Outdated
        : redetect && !DetectorIdentity.IsCurrent(committed.Detector, detector) ? ScanDecision.OtherDetector
        : ScanDecision.UpToDate;

    private async Task<(ScanCounts Counts, string? Last)> DecidePageAsync(
        ScanRequest request,
        IReadOnlyList<BlobItem> page,
        DocumentCursor documents,
        Func<IReadOnlyList<string>, CancellationToken, Task> enqueue,
        CancellationToken cancellationToken)
    {
        // Every document this page's photos can have lists no later than the greatest "<name>.json".
        string? bound = null;
        foreach (var photo in page)
        {
            var document = photo.Name + DocumentSuffix;
            if (!OutputNames.For(photo.Name).IsHashed && (bound is null || string.CompareOrdinal(document, bound) > 0))
            {
                bound = document;
            }
        }

        if (bound is not null)
        {
            await documents.ReadThroughAsync(bound);
        }

        var needWork = new List<string>();
        long upToDate = 0;
        foreach (var photo in page)
        {
            var names = OutputNames.For(photo.Name);
            var committed = names.IsHashed
                ? await store.ReadCommittedAsync(names, cancellationToken)
                : documents.Take(photo.Name);
            if (Decide(photo.Properties.ETag!.Value, committed, request.Redetect, detector) == ScanDecision.UpToDate)
            {
                upToDate++;
            }
            else
            {
                needWork.Add(photo.Name);
            }
        }

        var last = page.Count > 0 ? page[^1].Name : null;
        long pruned = 0;
        if (last is not null)
        {
            // The photos listing has passed these names: their photos do not exist.
            var orphans = documents.TakeUpTo(last);
            if (request.Prune)
            {
                pruned = await PruneAsync(orphans, cancellationToken);
            }
        }

        await enqueue(needWork, cancellationToken);
        return (new ScanCounts(1, page.Count, upToDate, needWork.Count, pruned), last);
    }

    private async Task<long> PruneAsync(IReadOnlyList<(string Photo, CommittedResult Result)> orphans, CancellationToken cancellationToken)
    {
        long pruned = 0;
        await Parallel.ForEachAsync(
            orphans,
            new ParallelOptions { MaxDegreeOfParallelism = OrphanPruner.ParallelPrunes, CancellationToken = cancellationToken },
            async (orphan, ct) =>
            {
                if (await pruner.PruneAsync(orphan.Photo, orphan.Result, ct))
                {
                    Interlocked.Increment(ref pruned);
                }
            });
        return pruned;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Listing of {Container}/{Prefix} finished; its last run listed {Listed} photos and enqueued {Enqueued}")]
    private static partial void LogFinished(ILogger logger, string container, string prefix, long listed, long enqueued);
}
