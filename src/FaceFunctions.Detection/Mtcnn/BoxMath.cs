namespace FaceFunctions.Detection.Mtcnn;

/// <summary>Box arithmetic between the cascade's stages: squaring, regression of survivors, NMS over candidates.</summary>
internal static class BoxMath
{
    /// <summary>Makes a box square around its centre with the longer side ("rerec").</summary>
    public static FaceBox Square(FaceBox b)
    {
        float w = b.X2 - b.X1, h = b.Y2 - b.Y1, l = Math.Max(w, h);
        float x1 = b.X1 + (w * 0.5f) - (l * 0.5f);
        float y1 = b.Y1 + (h * 0.5f) - (l * 0.5f);
        return new FaceBox(x1, y1, x1 + l, y1 + l);
    }

    /// <summary>Applies each survivor's regression and squares the result: the boxes the next network sees.</summary>
    public static List<Candidate> NextStageBoxes(List<Candidate> survivors, Func<Candidate, FaceBox> regress)
    {
        for (int i = 0; i < survivors.Count; i++)
        {
            var c = survivors[i];
            c.Box = Square(regress(c));
            survivors[i] = c;
        }

        return survivors;
    }

    /// <summary>Keeps the candidates NMS keeps, in NMS order (descending score).</summary>
    public static List<Candidate> Suppress(List<Candidate> candidates, float threshold, NmsMode mode)
    {
        if (candidates.Count == 0)
        {
            return candidates;
        }

        var boxes = new FaceBox[candidates.Count];
        var scores = new float[candidates.Count];
        for (int i = 0; i < boxes.Length; i++)
        {
            boxes[i] = candidates[i].Box;
            scores[i] = candidates[i].Score;
        }

        var keep = new int[boxes.Length];
        int kept = Nms.Suppress(boxes, scores, threshold, mode, keep);
        var result = new List<Candidate>(kept);
        for (int i = 0; i < kept; i++)
        {
            result.Add(candidates[keep[i]]);
        }

        return result;
    }
}
