using FaceFunctions.Detection.Imaging;

namespace FaceFunctions.Detection.Tests.Imaging;

/// <summary>
/// The hostile-input suite (<see cref="HostileCorpus"/>): each generated input gets exactly its expected outcome,
/// and every rejection speaks of the photo, never of the exception behind it. What each input costs at the default
/// limits is measured by the benchmark (tests/FaceFunctions.Benchmarks, HostileInputBenchmarks), not here.
/// </summary>
public sealed class HostileInputTests
{
    public static TheoryData<string> Names => [.. HostileCorpus.All.Select(i => i.Name)];

    [Fact]
    public void The_suite_has_at_least_60_inputs_with_unique_names()
    {
        Assert.True(HostileCorpus.All.Count >= 60, $"{HostileCorpus.All.Count} inputs");
        Assert.Equal(HostileCorpus.All.Count, HostileCorpus.All.Select(i => i.Name).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Each_input_gets_its_outcome(string name)
    {
        HostileInput input = HostileCorpus.Named(name);
        var loader = new SafeImageLoader(input.Limits);
        byte[] file = input.Build();

        ImageErrorCode? outcome;
        string message = "";
        try
        {
            using LoadedImage loaded = loader.Load(new MemoryStream(file));
            Assert.True(loaded.Width > 0 && loaded.Height > 0);
            outcome = null;
        }
        catch (ImageRejectedException error)
        {
            outcome = error.Code;
            message = error.Message;
            AssertSpeaksOfThePhoto(error);
        }

        Assert.True(input.Expected == outcome, $"{name} ({file.Length:N0} bytes): expected {input.Expected?.ToString() ?? "to load"}, got {outcome?.ToString() ?? "an image"}. {message}");
    }

    /// <summary>Item 9 of the hostile-upload review: no .NET exception text reaches the photo's owner.</summary>
    internal static void AssertSpeaksOfThePhoto(ImageRejectedException error)
    {
        if (error.InnerException is { } inner && error.Code != ImageErrorCode.UnsupportedFormat)
        {
            Assert.DoesNotContain(inner.Message, error.Message, StringComparison.Ordinal);
        }

        foreach (string internals in new[] { "Object reference", "outside the bounds", "divide by zero", "Exception", "Parameter" })
        {
            Assert.DoesNotContain(internals, error.Message, StringComparison.OrdinalIgnoreCase);
        }
    }
}
