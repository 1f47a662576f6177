namespace FaceFunctions.Detection.Imaging;

/// <summary>Why an upload was refused. The names are the <c>error.code</c> values of the detection document.</summary>
public enum ImageErrorCode
{
    /// <summary>Not one of the accepted formats (JPEG, PNG, WebP, BMP, GIF), e.g. TIFF, HEIC, text.</summary>
    UnsupportedFormat,

    /// <summary>An accepted format whose data is damaged or truncated.</summary>
    Corrupt,

    /// <summary>More bytes, pixels or memory than <see cref="ImageLimits"/> allows.</summary>
    TooLarge,

    /// <summary>Zero bytes.</summary>
    Empty,
}

/// <summary>An upload that cannot be turned into a picture, with a message fit to show to its owner.</summary>
public sealed class ImageRejectedException : Exception
{
    public ImageRejectedException(ImageErrorCode code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
    }

    public ImageErrorCode Code { get; }
}
