using FaceFunctions.Detection;
using FaceFunctions.Detection.Documents;

namespace FaceFunctions.Cli.Evaluation;

/// <summary>
/// Scores detections the way ../shared/tools/facenet-peer/score.py does, so our numbers and the peer's agree:
/// the same matching order, tie-breaking and interpolation.
/// </summary>
public static class Evaluator
{
    /// <summary>IoU at which a detection hits a ground-truth face.</summary>
    public const double HitIou = 0.5;

    /// <summary>IoU at which a detection reproduces a reference face.</summary>
    public const double DefaultParityIou = 0.8;

    /// <param name="truth">The annotated images.</param>
    /// <param name="detections">Detection documents keyed by <see cref="AnnotatedImage.Image"/>.</param>
    public static EvaluationReport Evaluate(IReadOnlyList<AnnotatedImage> truth, IReadOnlyDictionary<string, DetectionDocument> detections)
    {
        var missing = truth.Count(t => !detections.ContainsKey(t.Image));
        var failed = truth.Count(t => detections.TryGetValue(t.Image, out var d) && d.Error is not null);
        return new EvaluationReport(
            truth.Count,
            missing,
            failed,
            Score(truth, detections, level: null),
            Score(truth, detections, WiderLevel.Easy),
            Score(truth, detections, WiderLevel.Medium),
            Score(truth, detections, WiderLevel.Hard));
    }

    /// <summary>
    /// For each reference face, the best-overlapping detection not yet paired; a pair at IoU ≥ 0.5 takes the
    /// detection out of further pairing, and a pair at IoU ≥ <paramref name="iouThreshold"/> counts as matched.
    /// </summary>
    /// <param name="reference">The reference detector's documents, keyed like <paramref name="detections"/>.</param>
    /// <param name="detections">The documents to compare, keyed by image.</param>
    /// <param name="iouThreshold">In (0, 1].</param>
    public static ParityReport CompareWithReference(
        IReadOnlyDictionary<string, DetectionDocument> reference,
        IReadOnlyDictionary<string, DetectionDocument> detections,
        double iouThreshold = DefaultParityIou)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(iouThreshold);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(iouThreshold, 1.0);
        int total = 0, matched = 0, extra = 0, missing = 0;
        var ious = new List<double>();
        var landmarkErrors = new List<double>();
        foreach (var (image, referenceDocument) in reference)
        {
            var referenceFaces = referenceDocument.Faces ?? [];
            total += referenceFaces.Count;
            if (!detections.TryGetValue(image, out var document))
            {
                missing++;
                continue;
            }

            var candidates = document.Faces ?? [];
            var paired = new bool[candidates.Count];
            foreach (var face in referenceFaces)
            {
                var box = BoxOf(face);
                var (best, bestIndex) = (0.0, -1);
                for (var j = 0; j < candidates.Count; j++)
                {
                    var overlap = paired[j] ? 0 : Iou(box, BoxOf(candidates[j]));
                    if (overlap > best)
                    {
                        (best, bestIndex) = (overlap, j);
                    }
                }

                ious.Add(best);
                if (bestIndex >= 0 && best >= HitIou)
                {
                    paired[bestIndex] = true;
                }

                if (best >= iouThreshold)
                {
                    matched++;
                    if (LandmarkError(face, candidates[bestIndex]) is { } error)
                    {
                        landmarkErrors.Add(error);
                    }
                }
            }

            extra += paired.Count(p => !p);
        }

        ious.Sort();
        return new ParityReport(
            total,
            matched,
            iouThreshold,
            ious.Count == 0 ? 0 : ious[ious.Count / 2],
            extra,
            missing,
            landmarkErrors.Count == 0 ? null : landmarkErrors.Average());
    }

    /// <summary>Intersection over union without +1, in double precision.</summary>
    internal static double Iou(FaceBox a, FaceBox b)
    {
        var iw = Math.Max(0.0, (double)Math.Min(a.X2, b.X2) - Math.Max(a.X1, b.X1));
        var ih = Math.Max(0.0, (double)Math.Min(a.Y2, b.Y2) - Math.Max(a.Y1, b.Y1));
        var inter = iw * ih;
        var union = ((double)a.Width * a.Height) + ((double)b.Width * b.Height) - inter;
        return union > 0 ? inter / union : 0;
    }

    private static LevelScore Score(IReadOnlyList<AnnotatedImage> truth, IReadOnlyDictionary<string, DetectionDocument> detections, WiderLevel? level)
    {
        var scored = new List<(double Score, bool Hit)>();
        int positives = 0, ignoredMatches = 0;
        foreach (var image in truth)
        {
            // Within a level, faces of harder (or no) levels are ignored rather than missed.
            var ignored = image.Faces.Select(f => f.Ignore || (level is { } l && (f.Level is not { } fl || fl > l))).ToArray();
            positives += ignored.Count(i => !i);
            if (!detections.TryGetValue(image.Image, out var document) || document.Faces is not { } faces)
            {
                continue;
            }

            var taken = new bool[image.Faces.Count];
            foreach (var face in faces.OrderByDescending(f => f.Score))
            {
                var box = BoxOf(face);
                var (best, bestIndex) = (HitIou, -1);
                for (var j = 0; j < image.Faces.Count; j++)
                {
                    // A face already hit cannot be hit again, but an ignored one can absorb any number of detections.
                    var overlap = Iou(box, image.Faces[j].Box);
                    if (overlap >= best && !(taken[j] && !ignored[j]))
                    {
                        (best, bestIndex) = (overlap, j);
                    }
                }

                if (bestIndex < 0)
                {
                    scored.Add((face.Score, false));
                }
                else if (ignored[bestIndex])
                {
                    ignoredMatches++;
                }
                else
                {
                    taken[bestIndex] = true;
                    scored.Add((face.Score, true));
                }
            }
        }

        return Summarise(scored.OrderByDescending(s => s.Score).ToArray(), positives, ignoredMatches);
    }

    /// <summary>VOC all-point AP: the area under the precision/recall curve with precision made non-increasing.</summary>
    private static LevelScore Summarise((double Score, bool Hit)[] ranked, int positives, int ignoredMatches)
    {
        var precision = new double[ranked.Length];
        var recall = new double[ranked.Length];
        int tp = 0, fp = 0;
        for (var i = 0; i < ranked.Length; i++)
        {
            if (ranked[i].Hit)
            {
                tp++;
            }
            else
            {
                fp++;
            }

            precision[i] = (double)tp / (tp + fp);
            recall[i] = (double)tp / Math.Max(positives, 1);
        }

        var envelope = new double[ranked.Length];
        for (var i = ranked.Length - 1; i >= 0; i--)
        {
            envelope[i] = Math.Max(precision[i], i + 1 < ranked.Length ? envelope[i + 1] : 0);
        }

        double ap = 0, previousRecall = 0;
        for (var i = 0; i < ranked.Length; i++)
        {
            ap += envelope[i] * (recall[i] - previousRecall);
            previousRecall = recall[i];
        }

        return ranked.Length == 0
            ? new LevelScore(0, 0, 0, 0, 0, positives, ignoredMatches)
            : new LevelScore(ap, recall[^1], precision[^1], tp, fp, positives, ignoredMatches);
    }

    private static FaceBox BoxOf(FaceRecord face) => face.Box is { Count: 4 } b
        ? new FaceBox(b[0], b[1], b[2], b[3])
        : throw new InvalidDataException($"A face box has {face.Box.Count} numbers instead of [x1, y1, x2, y2].");

    private static double? LandmarkError(FaceRecord reference, FaceRecord candidate)
    {
        if (Points(reference.Landmarks) is not { } r || Points(candidate.Landmarks) is not { } c)
        {
            return null;
        }

        var box = BoxOf(reference);
        var diagonal = Math.Sqrt(((double)box.Width * box.Width) + ((double)box.Height * box.Height));
        var mean = r.Zip(c, (p, q) => Math.Sqrt(Math.Pow((double)p.X - q.X, 2) + Math.Pow((double)p.Y - q.Y, 2))).Average();
        return mean / diagonal;
    }

    /// <summary>The five points in MTCNN order, or null when a document has no (or malformed) landmarks.</summary>
    private static Point2[]? Points(LandmarksRecord? landmarks)
    {
        if (landmarks is null)
        {
            return null;
        }

        IReadOnlyList<float>?[] points = [landmarks.LeftEye, landmarks.RightEye, landmarks.Nose, landmarks.MouthLeft, landmarks.MouthRight];
        return points.All(p => p is { Count: 2 }) ? points.Select(p => new Point2(p![0], p[1])).ToArray() : null;
    }
}
