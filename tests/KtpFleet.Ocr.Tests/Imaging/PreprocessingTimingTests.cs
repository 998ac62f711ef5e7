using KtpFleet.Ocr.Imaging;
using KtpFleet.Ocr.Tests.TestSupport;
using Xunit.Abstractions;

namespace KtpFleet.Ocr.Tests.Imaging;

/// <summary>
/// Per-stage timings of the preprocessor on a 1000-px-wide phone photo. Prints medians of 21 runs (the figures
/// recorded in Imaging/README.md); asserts what the pipeline reports, never how fast a shared CI machine is.
/// </summary>
public sealed class PreprocessingTimingTests(SyntheticCardScenes scenes, ITestOutputHelper output) : IClassFixture<SyntheticCardScenes>
{
    [Fact]
    public void Reports_decode_locate_rectify_and_orient_timings()
    {
        var corners = CardLocationTests.Points([260, 210, 1110, 160, 1180, 700, 300, 790]);
        var photo = scenes.Derive("timing-1000.jpg", scenes.Photo("for-timing", corners, quality: 95), "-resize", "1000x", "-quality", "85");
        var bytes = File.ReadAllBytes(photo);
        var preprocessor = new ImagePreprocessor();
        using (preprocessor.Prepare(bytes)) { } // warm-up

        var runs = new List<IReadOnlyDictionary<string, double>>();
        for (var i = 0; i < 21; i++)
        {
            using var card = preprocessor.Prepare(bytes);
            runs.Add(card.TimingsMs);
            CardLocationTests.AssertCorners(corners.Select(p => new System.Drawing.PointF(p.X * 1000 / 1400f, p.Y * 1000 / 1400f)).ToArray(), card.Quad, 3);
        }

        string[] stages = ["decode", "locate_card", "rectify", "orient"];
        Assert.All(runs, r => Assert.Equal(stages.Order(), r.Keys.Order()));
        Assert.All(runs, r => Assert.All(r.Values, v => Assert.True(v > 0)));
        foreach (var stage in stages)
            output.WriteLine($"{stage,-12} median {Median(runs.Select(r => r[stage])):0.0} ms");
        output.WriteLine($"{"total",-12} median {Median(runs.Select(r => r.Values.Sum())):0.0} ms");
    }

    [Fact]
    public void Reports_timings_for_a_12_megapixel_phone_photo()
    {
        var corners = CardLocationTests.Points([260, 210, 1110, 160, 1180, 700, 300, 790]);
        var photo = scenes.Derive("timing-12mp.jpg", scenes.Photo("for-timing-12mp", corners, quality: 95), "-resize", "4000x3000!", "-quality", "90");
        var bytes = File.ReadAllBytes(photo);
        var preprocessor = new ImagePreprocessor();
        using (preprocessor.Prepare(bytes)) { }

        var runs = new List<IReadOnlyDictionary<string, double>>();
        for (var i = 0; i < 5; i++)
        {
            using var card = preprocessor.Prepare(bytes);
            runs.Add(card.TimingsMs);
            var scale = 4000 / 1400f;
            CardLocationTests.AssertCorners(corners.Select(p => new System.Drawing.PointF(p.X * scale, p.Y * 3000 / 1000f)).ToArray(), card.Quad, 8);
        }
        foreach (var stage in runs[0].Keys)
            output.WriteLine($"12 MP {stage,-12} median {Median(runs.Select(r => r[stage])):0.0} ms");
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
