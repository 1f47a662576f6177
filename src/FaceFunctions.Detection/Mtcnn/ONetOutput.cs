namespace FaceFunctions.Detection.Mtcnn;

/// <summary>Stage 3's results turned into faces: landmarks from O-Net's input box, then refined boxes and the final NMS.</summary>
internal static class ONetOutput
{
    /// <summary>
    /// O-Net gives x1..x5 then y1..y5 as fractions of its input box; the -1 turns the authors' 1-based box
    /// convention into 0-based pixel coordinates.
    /// </summary>
    public static FaceLandmarks Landmarks(FaceBox box, ReadOnlySpan<float> p)
    {
        float w = box.X2 - box.X1 + 1, h = box.Y2 - box.Y1 + 1;
        Span<Point2> points = stackalloc Point2[5];
        for (int k = 0; k < 5; k++)
        {
            points[k] = new Point2((w * p[k]) + box.X1 - 1, (h * p[5 + k]) + box.Y1 - 1);
        }

        return new FaceLandmarks(points[0], points[1], points[2], points[3], points[4]);
    }

    /// <summary>
    /// Landmarks come from O-Net's input box; the box itself is refined afterwards, then suppressed by intersection
    /// over the smaller box so a face's inner duplicate cannot survive.
    /// </summary>
    public static List<DetectedFace> Faces(List<Candidate> passed, List<FaceLandmarks> landmarks)
    {
        var refined = new List<Candidate>(passed.Count);
        foreach (var c in passed)
        {
            refined.Add(c with { Box = c.Regressed() });
        }

        var boxes = refined.ConvertAll(c => c.Box).ToArray();
        var scores = refined.ConvertAll(c => c.Score).ToArray();
        var keep = new int[boxes.Length];
        int kept = Nms.Suppress(boxes, scores, 0.7f, NmsMode.Min, keep);
        var faces = new List<DetectedFace>(kept);
        for (int i = 0; i < kept; i++)
        {
            int k = keep[i];
            faces.Add(new DetectedFace(boxes[k], scores[k], landmarks[k]));
        }

        return faces;
    }
}
