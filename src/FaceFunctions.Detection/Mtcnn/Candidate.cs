namespace FaceFunctions.Detection.Mtcnn;

/// <summary>A face candidate between stages: its box, the last stage's score and that stage's box regression.</summary>
internal struct Candidate
{
    public FaceBox Box;
    public float Score;
    public float Dx1;
    public float Dy1;
    public float Dx2;
    public float Dy2;

    /// <summary>P-Net's regression scales by the box size without +1 (the authors' code does so after stage 1).</summary>
    public readonly FaceBox RegressedWithoutPlusOne()
    {
        float w = Box.X2 - Box.X1, h = Box.Y2 - Box.Y1;
        return new FaceBox(Box.X1 + (Dx1 * w), Box.Y1 + (Dy1 * h), Box.X2 + (Dx2 * w), Box.Y2 + (Dy2 * h));
    }

    /// <summary>R-Net's and O-Net's regression ("bbreg") scales by the inclusive pixel size, with +1.</summary>
    public readonly FaceBox Regressed()
    {
        float w = Box.X2 - Box.X1 + 1, h = Box.Y2 - Box.Y1 + 1;
        return new FaceBox(Box.X1 + (Dx1 * w), Box.Y1 + (Dy1 * h), Box.X2 + (Dx2 * w), Box.Y2 + (Dy2 * h));
    }
}
