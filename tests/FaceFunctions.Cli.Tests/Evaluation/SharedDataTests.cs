using FaceFunctions.Cli.Evaluation;

namespace FaceFunctions.Cli.Tests.Evaluation;

/// <summary>
/// Our evaluator against score.py's numbers on the facenet-pytorch reference detections over wider-dev
/// (`score.py ap ../shared/data/wider-dev/annotations.json ../shared/reference/facenet-pytorch-wider-dev.jsonl`
/// gives AP 0.75435 overall, 0.82780 easy, 0.79679 medium; 339 hits and 51 false positives of 442 faces).
/// </summary>
public sealed class SharedDataTests
{
    [SharedDataFact]
    public void Reference_detections_on_wider_dev_score_what_score_py_says()
    {
        var truth = AnnotationReader.Read(SharedData.Path("data", "wider-dev", "annotations.json"));
        var reference = ImageKeys.ByAnnotatedImage(truth, DetectionsReader.ReadJsonl(SharedData.Path("reference", "facenet-pytorch-wider-dev.jsonl")));

        var report = Evaluator.Evaluate(truth, reference);

        Assert.Equal(122, truth.Count);
        Assert.Equal(0, report.ImagesMissing);
        Assert.Equal(0.7543465313830575, report.All.AveragePrecision, 9);
        Assert.Equal(0.8277969189056706, report.Easy.AveragePrecision, 9);
        Assert.Equal(0.7967863770238063, report.Medium.AveragePrecision, 9);
        Assert.Equal(report.All, report.Hard);
        Assert.Equal((339, 51, 442), (report.All.TruePositives, report.All.FalsePositives, report.All.Positives));
    }

    [SharedDataFact]
    public void The_reference_reproduces_itself_completely()
    {
        var truth = AnnotationReader.Read(SharedData.Path("data", "wider-dev", "annotations.json"));
        var reference = ImageKeys.ByAnnotatedImage(truth, DetectionsReader.ReadJsonl(SharedData.Path("reference", "facenet-pytorch-wider-dev.jsonl")));

        var parity = Evaluator.CompareWithReference(reference, reference);

        Assert.Equal(462, parity.ReferenceFaces);
        Assert.Equal(1, parity.MatchRate);
        Assert.Equal(0, parity.LandmarkError);
        Assert.Equal(0, parity.ExtraFaces);
    }
}
