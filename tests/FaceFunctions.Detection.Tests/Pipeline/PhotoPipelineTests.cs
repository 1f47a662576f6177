using System.Text.Json;
using FaceFunctions.Detection.Documents;
using FaceFunctions.Detection.Models;
using FaceFunctions.Detection.Mtcnn;
using FaceFunctions.Detection.Pipeline;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceFunctions.Detection.Tests.Pipeline;

public sealed class PhotoPipelineTests
{
    private static readonly PipelineOptions Cpu = new() { Inference = new InferenceOptions { ExecutionProvider = ExecutionProvider.Cpu, Threads = 2 } };

    [Fact]
    public async Task A_photo_yields_a_complete_document_and_one_aligned_crop_per_face()
    {
        using var pipeline = PhotoPipeline.Create(Cpu);

        var result = (await pipeline.ProcessAsync(new MemoryStream(Fixtures.Bytes(Fixtures.Astronaut)), "portraits/astronaut.png"));

        var document = result.Document;
        Assert.False(result.IsError);
        Assert.Equal("portraits/astronaut.png", document.Source.Name);
        Assert.Equal((512, 512, 1, "png"), (document.Source.Width, document.Source.Height, document.Source.Orientation, document.Source.Format));
        Assert.Equal(ModelSet.Load().ModelsId, document.Detector!.Models);
        Assert.Equal([0.6f, 0.7f, 0.7f], document.Detector.Thresholds);
        var face = Assert.Single(document.Faces!);
        Assert.Null(face.Crop);
        var crop = Assert.Single(result.Crops);
        Assert.Equal(("image/jpeg", ".jpg"), (crop.Image.ContentType, crop.Image.Extension));
        using var cropImage = Image.Load<Rgb24>(crop.Image.Data.Span);
        Assert.Equal((112, 112), (cropImage.Width, cropImage.Height));
        Assert.True(document.TimingsMs!.Total >= document.TimingsMs.PNet);
        DocumentSchema.AssertValid(result.DocumentWithCrops(c => $"faces/{c.Index}.jpg"));
    }

    [Fact]
    public async Task Crop_locations_are_the_writers_choice()
    {
        using var pipeline = PhotoPipeline.Create(Cpu);
        var result = (await pipeline.ProcessAsync(new MemoryStream(Fixtures.Bytes(Fixtures.Astronaut)), "astronaut.png"));

        var document = result.DocumentWithCrops(c => $"out/astronaut.faces/{c.Index}{c.Image.Extension}");

        Assert.Equal("out/astronaut.faces/0.jpg", Assert.Single(document.Faces!).Crop);
    }

    [Fact]
    public async Task Crop_size_and_format_follow_the_settings_and_previews_are_photo_sized()
    {
        using var pipeline = PhotoPipeline.Create(Cpu with { Output = new OutputOptions { CropSize = 224, CropFormat = CropFormat.Png, WriteAnnotated = true, WriteAnonymized = true } });

        var result = (await pipeline.ProcessAsync(new MemoryStream(Fixtures.Bytes(Fixtures.Astronaut)), "astronaut.png"));

        var crop = Assert.Single(result.Crops);
        Assert.Equal("image/png", crop.Image.ContentType);
        using var cropImage = Image.Load<Rgb24>(crop.Image.Data.Span);
        Assert.Equal(224, cropImage.Width);
        foreach (var preview in new[] { result.Annotated, result.Anonymized })
        {
            Assert.NotNull(preview);
            using var image = Image.Load<Rgb24>(preview.Data.Span);
            Assert.Equal((512, 512), (image.Width, image.Height));
        }
    }

    [Fact]
    public async Task Without_crops_the_document_still_lists_every_face()
    {
        using var pipeline = PhotoPipeline.Create(Cpu with { Output = new OutputOptions { WriteCrops = false } });

        var result = (await pipeline.ProcessAsync(new MemoryStream(Fixtures.Bytes(Fixtures.Astronaut)), "astronaut.png"));

        Assert.Single(result.Document.Faces!);
        Assert.Empty(result.Crops);
    }

    [Theory]
    [InlineData("empty", "Empty")]
    [InlineData("random", "UnsupportedFormat")]
    [InlineData("text", "UnsupportedFormat")]
    [InlineData("tiff", "UnsupportedFormat")]
    [InlineData("huge", "TooLarge")]
    [InlineData("truncated", "Corrupt")]
    public async Task A_photo_that_cannot_be_processed_gets_an_error_document_not_an_exception(string kind, string code)
    {
        using var pipeline = PhotoPipeline.Create(Cpu);
        using var astronaut = Fixtures.Load(Fixtures.Astronaut);
        byte[] bytes = kind switch
        {
            "empty" => [],
            "random" => TestImages.RandomBytes(4096, seed: 7),
            "text" => TestImages.Text(),
            "tiff" => TestImages.Tiff(astronaut),
            "huge" => TestImages.PngDeclaring(100_000, 100_000),
            _ => TestImages.Truncated(TestImages.Jpeg(astronaut), 0.3),
        };

        var result = (await pipeline.ProcessAsync(new MemoryStream(bytes), $"bad/{kind}.jpg"));

        Assert.True(result.IsError);
        Assert.Equal(code, result.Document.Error!.Code);
        Assert.False(string.IsNullOrWhiteSpace(result.Document.Error.Message));
        Assert.Null(result.Document.Faces);
        Assert.Empty(result.Crops);
        DocumentSchema.AssertValid(result.Document);
    }

    [Fact]
    public async Task Documents_serialise_with_the_published_names()
    {
        using var pipeline = PhotoPipeline.Create(Cpu);
        var document = (await pipeline.ProcessAsync(new MemoryStream(Fixtures.Bytes(Fixtures.Astronaut)), "a.png")).Document;

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(document, DetectionDocumentJsonContext.Default.DetectionDocument));

        var root = json.RootElement;
        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        Assert.True(root.GetProperty("timingsMs").TryGetProperty("pnet", out _));
        var face = root.GetProperty("faces")[0];
        Assert.Equal(4, face.GetProperty("box").GetArrayLength());
        Assert.Equal(2, face.GetProperty("landmarks").GetProperty("leftEye").GetArrayLength());
        Assert.False(root.TryGetProperty("error", out _));
    }
}
