namespace FaceFunctions.Detection;

/// <summary>The faces found, highest score first, and where the time went.</summary>
public sealed record DetectionResult(IReadOnlyList<DetectedFace> Faces, StageTimings Timings);

/// <summary>Milliseconds spent in each stage of one detection.</summary>
public readonly record struct StageTimings(double Pyramid, double PNet, double RNet, double ONet, double Total);
