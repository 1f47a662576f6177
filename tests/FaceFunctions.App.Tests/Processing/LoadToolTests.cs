using System.Diagnostics;
using FaceFunctions.Benchmarks.Load;

namespace FaceFunctions.App.Tests.Processing;

/// <summary>
/// The load run of docs/reliability.md ("Load", tests/FaceFunctions.Benchmarks/Load) on a few small photos, so the
/// tool keeps working. Its figures (rate, memory, growth) belong to the benchmark: nothing here asserts them.
/// </summary>
public sealed class LoadToolTests
{
    [Fact]
    public async Task A_small_load_run_finds_every_photos_result_and_stops_its_Azurite()
    {
        var options = new LoadOptions { Photos = 20, PixelLimitPhotos = 0, BlockSize = 10, Sizes = [(320, 240), (640, 480), (480, 640)] };
        var photos = LoadMix.Create(options);
        var folder = Directory.CreateTempSubdirectory("ff-load-test-");
        try
        {
            using (var writer = new LoadPhotoWriter(scenesFolder: null))
            {
                writer.WriteAll(photos, folder.FullName);
            }

            var output = new StringWriter();
            var report = await LoadRun.RunAsync(options, photos, folder.FullName, output, CancellationToken.None);
            report.Write(output);

            Assert.True(report.ExitCode == 0, output.ToString());
            Assert.Equal(photos.Count, report.Runs.Count);
            Assert.Equal(photos.Count(p => p.ExpectsError), report.Checks.ErrorDocuments);
            Assert.True(report.Checks.PhotosWithFaces > 0, output.ToString());
            Assert.Equal(2, report.Blocks.Count);
            Assert.True(report.PeakRssBytes > 0 && report.Blocks.All(b => b.MaxRssBytes > 0), "memory was sampled");
            Assert.Throws<ArgumentException>(() => Process.GetProcessById(report.AzuriteProcessId!.Value));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_default_mix_has_every_kind_and_keeps_the_pixel_limit_photos_out_of_the_first_and_last_blocks()
    {
        var options = new LoadOptions();
        var photos = LoadMix.Create(options);

        Assert.Equal(options.Photos, photos.Count);
        Assert.Equal(options.PixelLimitPhotos, photos.Count(p => p.Kind == LoadPhotoKind.PixelLimit));
        Assert.All(Enum.GetValues<LoadPhotoKind>(), kind => Assert.Contains(photos, p => p.Kind == kind));
        Assert.All(photos.Where(p => p.Kind == LoadPhotoKind.PixelLimit), p =>
        {
            Assert.InRange(p.Index, options.BlockSize, options.Photos - options.BlockSize - 1);
            Assert.InRange(p.Width * (long)p.Height, 99_000_000, 100_000_000);
        });
        Assert.All(photos.Where(p => p.Kind == LoadPhotoKind.Jpeg), p => Assert.InRange(p.Megapixels, 0.3, 12));
        Assert.Equal(photos, LoadMix.Create(options));
    }
}
