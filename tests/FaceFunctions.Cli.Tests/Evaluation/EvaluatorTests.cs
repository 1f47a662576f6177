using FaceFunctions.Cli.Evaluation;
using FaceFunctions.Detection.Documents;
using static FaceFunctions.Cli.Tests.Evaluation.Docs;

namespace FaceFunctions.Cli.Tests.Evaluation;

public sealed class EvaluatorTests
{
    private const int Precision = 12;

    private static readonly AnnotatedFace A = Face(0, 0, 100, 100);
    private static readonly AnnotatedFace B = Face(200, 0, 300, 100);
    private static readonly AnnotatedFace C = Face(400, 0, 500, 100);

    [Fact]
    public void Perfect_detections_score_one()
    {
        AnnotatedImage[] truth = [Image("images/a.jpg", A, B), Image("images/b.jpg", C)];
        var report = Evaluator.Evaluate(truth, ByName(Document("images/a.jpg", On(A, 0.9f), On(B, 0.8f)), Document("images/b.jpg", On(C, 0.7f))));

        Assert.Equal(new LevelScore(1, 1, 1, 3, 0, 3, 0), report.All);
        Assert.Equal(0, report.FalsePositivesPerImage);
        Assert.Equal(0, report.ImagesMissing);
    }

    [Fact]
    public void One_false_positive_above_every_hit_costs_a_third()
    {
        // Ranked: FP (P 0, R 0), hit (P 1/2, R 1/2), hit (P 2/3, R 1): the envelope is 2/3 everywhere, AP = 2/3.
        AnnotatedImage[] truth = [Image("a.jpg", A, B)];
        var report = Evaluator.Evaluate(truth, ByName(Document("a.jpg", Det(600, 600, 700, 700, 0.95f), On(A, 0.8f), On(B, 0.7f))));

        Assert.Equal(2.0 / 3, report.All.AveragePrecision, Precision);
        Assert.Equal(2.0 / 3, report.All.Precision, Precision);
        Assert.Equal(1, report.All.Recall, Precision);
        Assert.Equal(1, report.All.FalsePositives);
        Assert.Equal(1, report.FalsePositivesPerImage);
    }

    [Fact]
    public void A_false_positive_below_every_hit_leaves_ap_at_one()
    {
        AnnotatedImage[] truth = [Image("a.jpg", A, B)];
        var report = Evaluator.Evaluate(truth, ByName(Document("a.jpg", On(A, 0.9f), On(B, 0.8f), Det(600, 600, 700, 700, 0.1f))));

        Assert.Equal(1, report.All.AveragePrecision, Precision);
        Assert.Equal(2.0 / 3, report.All.Precision, Precision);
    }

    [Fact]
    public void A_second_detection_of_the_same_face_is_a_false_positive()
    {
        AnnotatedImage[] truth = [Image("a.jpg", A)];
        var report = Evaluator.Evaluate(truth, ByName(Document("a.jpg", On(A, 0.8f), Det(2, 2, 102, 102, 0.9f))));

        Assert.Equal(new LevelScore(1, 1, 0.5, 1, 1, 1, 0), report.All);
    }

    [Fact]
    public void Ignored_faces_are_neither_hits_nor_false_positives_nor_misses()
    {
        var ignored = Face(200, 0, 300, 100, ignore: true);
        AnnotatedImage[] truth = [Image("a.jpg", A, ignored, Face(400, 0, 410, 10, ignore: true))];

        // Two detections on the ignored face (it absorbs any number), one hit, the tiny ignored face missed.
        var report = Evaluator.Evaluate(truth, ByName(Document("a.jpg", On(ignored, 0.99f), On(ignored, 0.98f), On(A, 0.5f))));

        Assert.Equal(new LevelScore(1, 1, 1, 1, 0, 1, 2), report.All);
    }

    [Fact]
    public void Missed_faces_lower_recall_and_ap()
    {
        AnnotatedImage[] truth = [Image("a.jpg", A, B), Image("b.jpg", C)];
        var report = Evaluator.Evaluate(truth, ByName(Document("a.jpg", On(A, 0.9f))));

        Assert.Equal(1.0 / 3, report.All.AveragePrecision, Precision);
        Assert.Equal(1.0 / 3, report.All.Recall, Precision);
        Assert.Equal(1, report.ImagesMissing);
    }

    [Fact]
    public void An_error_document_counts_as_an_image_with_no_detections()
    {
        AnnotatedImage[] truth = [Image("a.jpg", A), Image("b.jpg", B)];
        var broken = new DetectionDocument { Source = new SourceInfo { Name = "b.jpg" }, Error = new DocumentError("Corrupt", "truncated") };
        var report = Evaluator.Evaluate(truth, ByName(Document("a.jpg", On(A, 0.9f)), broken));

        Assert.Equal(1, report.ImagesFailed);
        Assert.Equal(0, report.ImagesMissing);
        Assert.Equal(0.5, report.All.AveragePrecision, Precision);
    }

    [Fact]
    public void Each_level_scores_its_own_faces_and_ignores_harder_ones()
    {
        var easy = Face(0, 0, 100, 100, level: Cli.Evaluation.WiderLevel.Easy);
        var medium = Face(200, 0, 300, 100, level: Cli.Evaluation.WiderLevel.Medium);
        var hard = Face(400, 0, 500, 100, level: Cli.Evaluation.WiderLevel.Hard);
        var noLevel = Face(600, 0, 700, 100, level: null);
        AnnotatedImage[] truth = [Image("a.jpg", easy, medium, hard, noLevel)];
        var detections = ByName(Document("a.jpg", On(easy, 0.9f), Det(800, 800, 900, 900, 0.85f), On(hard, 0.8f), On(medium, 0.7f)));

        var report = Evaluator.Evaluate(truth, detections);

        // Easy: hit, FP (the others ignored): P 1, 1/2 at R 1, 1 -> AP 1.
        Assert.Equal(new LevelScore(1, 1, 0.5, 1, 1, 1, 2), report.Easy);
        // Medium: hit, FP, hit: P 1, 1/2, 2/3 at R 1/2, 1/2, 1 -> AP 1/2 + 2/3 * 1/2 = 5/6.
        Assert.Equal(5.0 / 6, report.Medium.AveragePrecision, Precision);
        Assert.Equal(1, report.Medium.IgnoredMatches);
        // Hard: hit, FP, hit, hit: P 1, 1/2, 2/3, 3/4 at R 1/3, 1/3, 2/3, 1 -> 1/3 + 3/4 * 2/3 = 5/6.
        Assert.Equal(5.0 / 6, report.Hard.AveragePrecision, Precision);
        Assert.Equal(3, report.Hard.Positives);
        // All also counts the face without a level, which nobody found: R 1/4 steps -> 1/4 + 3/4 * 1/2 = 5/8.
        Assert.Equal(5.0 / 8, report.All.AveragePrecision, Precision);
        Assert.Equal(4, report.All.Positives);
    }

    [Fact]
    public void A_detection_needs_iou_of_at_least_one_half()
    {
        // [0,0,100,100] against [0,0,100,50]: IoU exactly 0.5 is a hit; [0,0,100,49] is not.
        AnnotatedImage[] truth = [Image("a.jpg", A), Image("b.jpg", A)];
        var report = Evaluator.Evaluate(truth, ByName(Document("a.jpg", Det(0, 0, 100, 50, 0.9f)), Document("b.jpg", Det(0, 0, 100, 49, 0.8f))));

        Assert.Equal(1, report.All.TruePositives);
        Assert.Equal(1, report.All.FalsePositives);
    }

    [Fact]
    public void Parity_of_a_reference_with_itself_is_complete_and_exact()
    {
        var reference = ByName(Document("a.jpg", Det(0, 0, 100, 100, 0.9f), Det(200, 0, 300, 100, 0.8f)), Document("b.jpg", Det(5, 5, 50, 60, 0.99f)));

        var parity = Evaluator.CompareWithReference(reference, reference);

        Assert.Equal(new ParityReport(3, 3, 0.8, 1, 0, 0, 0), parity);
        Assert.Equal(1, parity.MatchRate);
    }

    [Fact]
    public void Parity_counts_matches_at_iou_point_eight_and_measures_landmarks_by_the_diagonal()
    {
        var reference = ByName(
            Document("a.jpg", Det(0, 0, 100, 100, 0.9f), Det(200, 0, 300, 100, 0.8f)),
            Document("gone.jpg", Det(0, 0, 10, 10, 0.9f)));
        var detections = ByName(Document(
            "a.jpg",
            Det(10, 0, 110, 100, 0.9f), // IoU 9000/11000 = 0.818: a match; its landmarks move with it, 10 px
            Det(230, 0, 330, 100, 0.8f), // IoU 7000/13000 = 0.538: paired, not matched
            Det(600, 600, 700, 700, 0.7f))); // paired with nothing: extra

        var parity = Evaluator.CompareWithReference(reference, detections);

        Assert.Equal(3, parity.ReferenceFaces);
        Assert.Equal(1, parity.Matched);
        Assert.Equal(1.0 / 3, parity.MatchRate, Precision);
        Assert.Equal(1, parity.ExtraFaces);
        Assert.Equal(1, parity.ImagesMissing);
        Assert.Equal(9000.0 / 11000, parity.MedianIou, 6);
        Assert.Equal(10 / Math.Sqrt(2 * 100 * 100), parity.LandmarkError!.Value, 6);
    }

    [Fact]
    public void Parity_rejects_a_threshold_outside_zero_to_one()
    {
        var none = ByName();
        Assert.Throws<ArgumentOutOfRangeException>(() => Evaluator.CompareWithReference(none, none, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Evaluator.CompareWithReference(none, none, 1.5));
    }
}
