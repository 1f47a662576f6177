using FaceFunctions.Detection.Mtcnn;

namespace FaceFunctions.Detection.Documents;

/// <summary>Builds detection documents from the detector's results, with readable precision.</summary>
internal static class DocumentFactory
{
    public static DetectorInfo Detector(MtcnnDetector detector, DetectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentNullException.ThrowIfNull(options);
        return new DetectorInfo
        {
            Models = detector.ModelsId,
            Provider = detector.ExecutionProviderInUse,
            MinFaceSize = options.MinFaceSize,
            ScaleFactor = options.ScaleFactor,
            Thresholds = [options.PNetThreshold, options.RNetThreshold, options.ONetThreshold],
        };
    }

    public static FaceRecord Face(DetectedFace face) => new()
    {
        Box = [Round(face.Box.X1), Round(face.Box.Y1), Round(face.Box.X2), Round(face.Box.Y2)],
        Score = MathF.Round(face.Score, 6),
        Landmarks = new LandmarksRecord(
            Point(face.Landmarks.LeftEye),
            Point(face.Landmarks.RightEye),
            Point(face.Landmarks.Nose),
            Point(face.Landmarks.MouthLeft),
            Point(face.Landmarks.MouthRight)),
    };

    // Hundredths of a pixel: finer than any detector is accurate, and keeps documents short.
    private static float Round(float v) => MathF.Round(v, 2);

    private static float[] Point(Point2 p) => [Round(p.X), Round(p.Y)];
}
