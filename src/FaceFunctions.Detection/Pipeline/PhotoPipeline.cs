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
public sealed class PhotoPipeline : IPhotoPipeline
{
    private readonly PipelineOptions _options;

    private PhotoPipeline(PipelineOptions options, MtcnnDetector detector, SafeImageLoader loader)
    {
        _options = options;
        Mtcnn = detector;
        Loader = loader;
        Admission = new MemoryAdmission(options.Limits, options.Output);
        Detector = DocumentFactory.Detector(detector, options.Detection);
    }

    public DetectorInfo Detector { get; }

    /// <summary>The cascade itself, for measuring detection apart from decoding (<c>facefunctions bench</c>).</summary>
    public MtcnnDetector Mtcnn { get; }

    /// <summary>The safe decoder, for measuring decoding apart from detection.</summary>
    public SafeImageLoader Loader { get; }

    /// <summary>The memory every photo of this pipeline reserves before it is decoded (one budget per process).</summary>
    internal MemoryAdmission Admission { get; }

    /// <summary>Verifies and loads the models once; fails fast on a missing model or an unusable provider.</summary>
    public static PhotoPipeline Create(PipelineOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        NativeHeap.Configure();
        var models = ModelSet.Load(options.ModelsDirectory);
        var detector = MtcnnDetector.Create(models, options.Inference, logger);
        return new PhotoPipeline(options, detector, new SafeImageLoader(options.Limits));
    }

    /// <summary>
    /// Processes one photo. A photo that cannot be decoded (corrupt, unsupported, too large, empty) yields a
    /// document with an error rather than an exception; only cancellation and I/O failures of the stream throw.
    /// Between reading the header and decoding, the photo waits until the memory it needs is free in the
    /// process's budget (<see cref="ImageLimits.MemoryBudgetMegabytes"/>), and holds it until its crops and
    /// previews are encoded; the wait is not part of the document's timings.
    /// </summary>
    public async Task<PhotoResult> ProcessAsync(Stream photo, string sourceName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(photo);
        var decode = new Stopwatch();
        AdmittedPhoto admitted;
        try
        {
            admitted = await LoadAdmittedAsync(photo, decode, cancellationToken).ConfigureAwait(false);
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

        using (admitted)
        {
            LoadedImage loaded = admitted.Image;
            double decodeMs = decode.Elapsed.TotalMilliseconds;
            cancellationToken.ThrowIfCancellationRequested();
            var detection = Mtcnn.Detect(loaded.Image, _options.Detection);
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
                Detector = Detector,
                Faces = detection.Faces.Select(DocumentFactory.Face).ToArray(),
                TimingsMs = new TimingsMs(Ms(decodeMs), Ms(t.Pyramid), Ms(t.PNet), Ms(t.RNet), Ms(t.ONet), Ms(decodeMs + t.Total)),
            };
            return new PhotoResult
            {
                Document = document,
                Crops = _options.Output.WriteCrops ? EncodeCrops(loaded.Image, detection.Faces) : [],
                Annotated = _options.Output.WriteAnnotated ? Render(loaded.Image, detection.Faces, Annotator.Annotate) : null,
                Anonymized = _options.Output.WriteAnonymized ? Render(loaded.Image, detection.Faces, Anonymizer.Anonymize) : null,
            };
        }
    }

    public void Dispose() => Mtcnn.Dispose();

    private static double Ms(double value) => Math.Round(value, 2);

    /// <summary>
    /// Reads and checks the photo, waits for its memory, decodes it. <paramref name="decode"/> runs while reading,
    /// checking and decoding, not while waiting.
    /// </summary>
    private async Task<AdmittedPhoto> LoadAdmittedAsync(Stream photo, Stopwatch decode, CancellationToken cancellationToken)
    {
        // The download is awaited (no thread blocks on the network); decoding and detection are CPU work.
        decode.Start();
        using InspectedUpload upload = await Loader.InspectAsync(photo, cancellationToken).ConfigureAwait(false);
        decode.Stop();
        MemoryBudget.Reservation reservation = await Admission.AdmitAsync(upload, cancellationToken).ConfigureAwait(false);
        try
        {
            decode.Start();
            var image = Loader.Decode(upload);
            decode.Stop();
            return new AdmittedPhoto(image, reservation);
        }
        catch
        {
            reservation.Dispose();
            throw;
        }
    }

    private EncodedFaceCrop[] EncodeCrops(Image<Rgb24> image, IReadOnlyList<DetectedFace> faces)
    {
        var crops = new EncodedFaceCrop[faces.Count];
        for (int i = 0; i < faces.Count; i++)
        {
            using var aligned = FaceAligner.Align(image, faces[i].Landmarks, _options.Output.CropSize);
            crops[i] = new EncodedFaceCrop(i, Encode(aligned, _options.Output.CropFormat), faces[i]);
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

    /// <summary>
    /// A decoded photo and the memory reserved for it: disposing frees the pixels, then the reservation, and after a
    /// large photo gives the freed native memory back (<see cref="NativeHeap"/>).
    /// </summary>
    private sealed class AdmittedPhoto(LoadedImage image, MemoryBudget.Reservation reservation) : IDisposable
    {
        public LoadedImage Image => image;

        public void Dispose()
        {
            image.Dispose();
            reservation.Dispose();
            if (reservation.Bytes >= NativeHeap.TrimAfterBytes)
            {
                NativeHeap.Trim();
            }
        }
    }
}
