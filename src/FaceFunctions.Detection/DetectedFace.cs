namespace FaceFunctions.Detection;

/// <summary>A point in pixels of the upright image, origin at the top-left corner.</summary>
public readonly record struct Point2(float X, float Y);

/// <summary>An axis-aligned face box in pixels of the upright image: (X1, Y1) top-left, (X2, Y2) bottom-right.</summary>
public readonly record struct FaceBox(float X1, float Y1, float X2, float Y2)
{
    public float Width => X2 - X1;

    public float Height => Y2 - Y1;
}

/// <summary>
/// MTCNN's five landmarks. "Left" is the point with the smaller x in an upright frontal face
/// (the subject's right eye), which is MTCNN's own order.
/// </summary>
public readonly record struct FaceLandmarks(Point2 LeftEye, Point2 RightEye, Point2 Nose, Point2 MouthLeft, Point2 MouthRight)
{
    /// <summary>The five points in MTCNN order, as the alignment template lists them.</summary>
    internal Point2[] ToArray() => [LeftEye, RightEye, Nose, MouthLeft, MouthRight];
}

/// <summary>One detected face: its box, O-Net's face probability, and five landmarks.</summary>
public readonly record struct DetectedFace(FaceBox Box, float Score, FaceLandmarks Landmarks);
