namespace FaceFunctions.Detection.Models;

/// <summary>A model file is missing or is not byte-identical to the one this build expects.</summary>
public sealed class ModelFileException : IOException
{
    public ModelFileException(string filePath, string expectedSha256, string message)
        : base(message)
    {
        FilePath = filePath;
        ExpectedSha256 = expectedSha256;
    }

    public string FilePath { get; }

    public string ExpectedSha256 { get; }
}
