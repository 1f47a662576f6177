using Azure;
using FaceFunctions.Storage.Results;

namespace FaceFunctions.App.Tests.Storage;

public sealed class OutputNamesTests
{
    private static readonly string Version = OutputNames.VersionOf(new ETag("\"0x8DC0000000001\""));

    [Theory]
    [InlineData("photo.jpg")]
    [InlineData("holiday 2024/day one/IMG 0001.JPG")]
    [InlineData("фото/家族/été 🎉.png")]
    [InlineData("a/b/c/d.jpeg")]
    [InlineData("name with trailing space .jpg")]
    [InlineData("question?hash#percent%20.jpg")]
    public void Names_that_fit_are_kept(string name)
    {
        var names = OutputNames.For(name);

        Assert.False(names.IsHashed);
        Assert.Equal(name + ".json", names.Document);
        Assert.Equal(name + ".jpg", names.Annotated);
        Assert.Equal($"{name}/3_{Version}.jpg", names.Crop(Version, 3));
    }

    [Theory]
    [InlineData("/leading-slash.jpg")]
    [InlineData("trailing-slash/")]
    [InlineData("double//slash.jpg")]
    [InlineData("dot/./segment.jpg")]
    [InlineData("dotdot/../segment.jpg")]
    [InlineData("segment./ends-with-dot.jpg")]
    [InlineData("ends-with-dot.")]
    [InlineData("back\\slash.jpg")]
    [InlineData("control\u0001char.jpg")]
    [InlineData("~reserved.jpg")]
    [InlineData("~hashed/0000000000000000000000000000000000000000000000000000000000000000")]
    public void Names_that_would_be_rewritten_or_collide_are_hashed(string name)
    {
        var names = OutputNames.For(name);

        Assert.True(names.IsHashed);
        Assert.StartsWith(OutputNames.HashedPrefix, names.Stem, StringComparison.Ordinal);
        Assert.Equal(OutputNames.HashedPrefix.Length + 64, names.Stem.Length);
    }

    [Fact]
    public void Long_names_and_deep_names_are_hashed_and_every_output_stays_within_azure_limits()
    {
        var longest = new string('x', OutputNames.MaxBlobNameLength);
        var deepest = string.Join('/', Enumerable.Repeat("d", OutputNames.MaxPathSegments));
        var justFits = new string('y', OutputNames.MaxBlobNameLength - OutputNames.LongestSuffix);
        var justFitsDeep = string.Join('/', Enumerable.Repeat("d", OutputNames.MaxPathSegments - 1));

        Assert.True(OutputNames.For(longest).IsHashed);
        Assert.True(OutputNames.For(deepest).IsHashed);
        Assert.False(OutputNames.For(justFits).IsHashed);
        Assert.False(OutputNames.For(justFitsDeep).IsHashed);
        foreach (var name in new[] { longest, deepest, justFits, justFitsDeep })
        {
            var names = OutputNames.For(name);
            foreach (var output in new[] { names.Document, names.Annotated, names.Crop(Version, 999_999_999) })
            {
                Assert.InRange(output.Length, 1, OutputNames.MaxBlobNameLength);
                Assert.InRange(output.Split('/').Length, 1, OutputNames.MaxPathSegments);
            }
        }
    }

    [Fact]
    public void Different_names_never_share_a_stem()
    {
        string[] names =
        [
            "a", "a/", "a.", "a/b", "/a", "~hashed/a", "A", "a ", "e\u0301", "\u00e9",
            new string('z', 1000), new string('z', 1001),
        ];

        var stems = names.Select(n => OutputNames.For(n).Stem).ToList();

        Assert.Equal(stems.Count, stems.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Crops_of_a_photo_are_told_apart_from_results_of_photos_in_its_folder()
    {
        var parent = OutputNames.For("album");
        var child = OutputNames.For("album/photo.jpg");

        Assert.Equal(new CropName(7, Version), parent.ParseCrop(parent.Crop(Version, 7)));
        Assert.Null(parent.ParseCrop(child.Crop(Version, 0)));
        Assert.Null(parent.ParseCrop("album/notes.txt"));
        Assert.Null(parent.ParseCrop("album/x_short.jpg"));
    }

    [Fact]
    public void Versions_are_stable_and_differ_per_etag()
    {
        Assert.Equal(Version, OutputNames.VersionOf(new ETag("\"0x8DC0000000001\"")));
        Assert.NotEqual(Version, OutputNames.VersionOf(new ETag("\"0x8DC0000000002\"")));
        Assert.Matches("^[0-9a-f]{12}$", Version);
    }
}
