using System.Diagnostics;
using FaceFunctions.Detection.Alignment;
using FaceFunctions.Detection.Documents;
using FaceFunctions.Detection.Imaging;
using FaceFunctions.Detection.Models;
using FaceFunctions.Detection.Mtcnn;
using FaceFunctions.Detection.Rendering;
using Microsoft.Extensions.Logging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceFunctions.Detection.Pipeline;

/// <summary>
/// The one pipeline every entry point runs: decode safely, detect, align and encode crops, render the optional
/// previews, and describe it all in a detection document. Thread-safe; create one per process.
/// </summary>
public sealed class PhotoPipeline : IDisposable
{
    private readonly PipelineSettings _settings;
    private readonly DetectorInfo _detectorInfo;

    private PhotoPipeline(PipelineSettings settings, IFaceDetector detector, SafeImageLoader loader)
    {
        _settings = settings;
        Detector = detector;
        Loader = loader;
        _detectorInfo = DocumentFactory.Detector(detector.ModelsId, settings.Detection);
    }

    public IFaceDetector Detector { get; }

    public SafeImageLoader Loader { get; }

    public string ModelsId => Detector.ModelsId;

    /// <summary>Verifies and loads the models once; fails fast on a missing model or an unusable provider.</summary>
    public static PhotoPipeline Create(PipelineSettings settings, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        var models = ModelSet.Load(settings.ModelsDirectory);
        var detector = MtcnnDetector.Create(models, settings.Detector, logger);
        return new PhotoPipeline(settings, detector, new SafeImageLoader(settings.Limits));
    }

    /// <summary>
    /// Processes one photo. A photo that cannot be decoded (corrupt, unsupported, too large, empty) yields a
    /// document with an error rather than an exception; only cancellation and I/O failures of the stream throw.
    /// </summary>
    public PhotoResult Process(Stream photo, string sourceName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(photo);
        var decode = Stopwatch.StartNew();
        LoadedImage loaded;
        try
        {
            loaded = Loader.Load(photo);
        }
        catch (ImageRejectedException ex)
        {
            return new PhotoResult
            {
                Document = new DetectionDocument
                {
                    Source = new SourceInfo { Name = sourceName },
                    Error = new DocumentError(ex.Code.ToString(), ex.Message),
                },
            };
        }

        using (loaded)
        {
            double decodeMs = decode.Elapsed.TotalMilliseconds;
            cancellationToken.ThrowIfCancellationRequested();
            var detection = Detector.Detect(loaded.Image, _settings.Detection);
            cancellationToken.ThrowIfCancellationRequested();
            var t = detection.Timings;
            var document = new DetectionDocument
            {
                Source = new SourceInfo
                {
                    Name = sourceName,
                    Width = loaded.Image.Width,
                    Height = loaded.Image.Height,
                    Orientation = loaded.Orientation,
                    Format = loaded.Format,
                },
                Detector = _detectorInfo,
                Faces = detection.Faces.Select(DocumentFactory.Face).ToArray(),
                TimingsMs = new TimingsMs(Ms(decodeMs), Ms(t.Pyramid), Ms(t.PNet), Ms(t.RNet), Ms(t.ONet), Ms(decodeMs + t.Total)),
            };
            return new PhotoResult
            {
                Document = document,
                Crops = _settings.WriteCrops ? EncodeCrops(loaded.Image, detection.Faces) : [],
                Annotated = _settings.Annotate ? Render(loaded.Image, detection.Faces, Annotator.Annotate) : null,
                Anonymized = _settings.Anonymize ? Render(loaded.Image, detection.Faces, Anonymizer.Anonymize) : null,
            };
        }
    }

    public void Dispose() => Detector.Dispose();

    private static double Ms(double value) => Math.Round(value, 2);

    private EncodedFaceCrop[] EncodeCrops(Image<Rgb24> image, IReadOnlyList<DetectedFace> faces)
    {
        var crops = new EncodedFaceCrop[faces.Count];
        for (int i = 0; i < faces.Count; i++)
        {
            using var aligned = FaceAligner.Align(image, faces[i].Landmarks, _settings.CropSize);
            crops[i] = new EncodedFaceCrop(i, Encode(aligned, _settings.CropFormat), faces[i]);
        }

        return crops;
    }

    private static EncodedImage Render(Image<Rgb24> image, IReadOnlyList<DetectedFace> faces, Func<Image<Rgb24>, IReadOnlyList<DetectedFace>, Image<Rgb24>> render)
    {
        using var rendered = render(image, faces);
        return Encode(rendered, CropFormat.Jpeg);
    }

    private static EncodedImage Encode(Image<Rgb24> image, CropFormat format)
    {
        using var buffer = new MemoryStream();
        if (format == CropFormat.Png)
        {
            ImageEncoding.WritePng(image, buffer);
            return new EncodedImage(buffer.ToArray(), "image/png", ".png");
        }

        ImageEncoding.WriteJpeg(image, buffer);
        return new EncodedImage(buffer.ToArray(), "image/jpeg", ".jpg");
    }
}
