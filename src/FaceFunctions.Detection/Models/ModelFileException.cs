namespace FaceFunctions.Detection.Models;

/// <summary>A model file is missing or is not byte-identical to the one this build expects.</summary>
public sealed class ModelFileException : IOException
{
    internal ModelFileException(string filePath, string expectedSha256, string message)
        : base(message)
    {
        FilePath = filePath;
        ExpectedSha256 = expectedSha256;
    }

    internal string FilePath { get; }

    internal string ExpectedSha256 { get; }
}
