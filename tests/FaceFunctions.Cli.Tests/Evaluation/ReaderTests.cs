using System.Text;
using FaceFunctions.Cli.Evaluation;

namespace FaceFunctions.Cli.Tests.Evaluation;

public sealed class ReaderTests
{
    [Fact]
    public void Annotations_keep_boxes_ignore_flags_and_levels()
    {
        const string json = """
            [{"image": "images\\e\\a.jpg", "width": 640, "height": 480, "faces": [
               {"box": [1, 2, 30, 40], "landmarks": null, "ignore": false, "blur": 0, "wider_level": "medium"},
               {"box": [5, 5, 9, 9], "ignore": true, "wider_level": null}]},
             {"image": "b.png", "width": 10, "height": 10, "faces": []}]
            """;

        var images = AnnotationReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(json)), "test.json");

        Assert.Equal(2, images.Count);
        Assert.Equal("images/e/a.jpg", images[0].Image);
        Assert.Equal(new AnnotatedFace(new(1, 2, 30, 40), false, WiderLevel.Medium), images[0].Faces[0]);
        Assert.Equal(new AnnotatedFace(new(5, 5, 9, 9), true, null), images[0].Faces[1]);
        Assert.Empty(images[1].Faces);
    }

    [Theory]
    [InlineData("{\"image\": \"a.jpg\"}")]
    [InlineData("[{\"faces\": []}]")]
    [InlineData("[{\"image\": \"a.jpg\", \"faces\": [{\"box\": [1, 2, 3]}]}]")]
    [InlineData("[{\"image\": \"a.jpg\", \"faces\": [{\"box\": [1, 2, 3, 4], \"wider_level\": \"extreme\"}]}]")]
    [InlineData("null")]
    [InlineData("[{")]
    public void Malformed_annotations_get_an_error_naming_the_file(string json)
    {
        var error = Assert.Throws<InvalidDataException>(() => AnnotationReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(json)), "bad.json"));
        Assert.Contains("bad.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Detection_lines_may_be_peer_lines_or_detection_documents()
    {
        var path = System.IO.Path.GetTempFileName();
        try
        {
            File.WriteAllLines(path, [
                """{"image": "../data/images/e/a.jpg", "width": 9, "height": 8, "time_ms": 1, "faces": [{"box": [1, 2, 3, 4], "score": 0.9, "landmarks": [[1, 1], [2, 2], [3, 3], [4, 4], [5, 5]]}]}""",
                "",
                """{"schemaVersion": 1, "source": {"name": "/x/images/e/b.jpg"}, "faces": [{"box": [5, 6, 7, 8], "score": 0.5, "landmarks": {"leftEye": [1, 1], "rightEye": [2, 2], "nose": [3, 3], "mouthLeft": [4, 4], "mouthRight": [5, 5]}}]}""",
            ]);

            var documents = DetectionsReader.ReadJsonl(path);

            Assert.Equal(2, documents.Count);
            Assert.Equal("../data/images/e/a.jpg", documents[0].Source.Name);
            Assert.Equal([1f, 2f, 3f, 4f], documents[0].Faces![0].Box);
            Assert.Equal([5f, 5f], documents[0].Faces![0].Landmarks.MouthRight);
            Assert.Equal(0.5f, documents[1].Faces![0].Score);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_malformed_detection_line_is_reported_with_its_number()
    {
        var path = System.IO.Path.GetTempFileName();
        try
        {
            File.WriteAllLines(path, ["""{"image": "a.jpg", "faces": []}""", """{"image": "b.jpg", "faces": [{"box": [1, 2], "score": 1}]}"""]);

            var error = Assert.Throws<InvalidDataException>(() => DetectionsReader.ReadJsonl(path));
            Assert.Contains(":2:", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Documents_pair_with_the_annotated_image_their_name_ends_with()
    {
        AnnotatedImage[] truth = [Docs.Image("images/e/a.jpg"), Docs.Image("b.jpg")];

        var byImage = ImageKeys.ByAnnotatedImage(truth, [
            Docs.Document("../shared/data/wider-dev/images/e/a.jpg"),
            Docs.Document("C:\\photos\\b.jpg"),
            Docs.Document("/elsewhere/xb.jpg"),
            Docs.Document("images/e/other.jpg"),
        ]);

        Assert.Equal(["b.jpg", "images/e/a.jpg"], byImage.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("C:\\photos\\b.jpg", byImage["b.jpg"].Source.Name);
    }
}
