using KtpFleet.Corpus.Capture;
using KtpFleet.Corpus.Generation;
using KtpFleet.Corpus.Rendering;
using KtpFleet.Ocr.Imaging;
using KtpFleet.Ocr.Layout;
using KtpFleet.Ocr.Results;

namespace KtpFleet.Corpus.Tests;

[Collection(RenderedCorpusCollection.Name)]
public sealed class RenderedCorpusTests(RenderedCorpusFixture corpus)
{
    [Fact]
    public void Every_profile_renders_a_decodable_image_of_the_planned_size()
    {
        Assert.Equal(RenderedCorpusFixture.Count, corpus.Manifest.Cards.Count);
        Assert.Equal(["clean", "hard", "photo", "scan"], corpus.Manifest.Cards.Select(c => c.Profile).Distinct().Order());
        var decoder = new ImageDecoder();
        for (var i = 0; i < corpus.Manifest.Cards.Count; i++)
        {
            var truth = corpus.Truth(i);
            var bytes = File.ReadAllBytes(Path.Combine(corpus.Directory, truth.Image));
            using var image = decoder.Decode(bytes);
            Assert.Equal((truth.Capture.Width, truth.Capture.Height), (image.Image.Width, image.Image.Height));
            Assert.Equal(truth.Profile == "clean" ? ImageFormat.Png : ImageFormat.Jpeg, image.Header.Format);
            Assert.All(truth.Corners, p => Assert.True(p.X >= 0 && p.Y >= 0 && p.X <= truth.Capture.Width && p.Y <= truth.Capture.Height, $"{truth.Id}: corner {p} outside"));
            if (truth.Profile != "clean") Assert.True(bytes.Length < 1_000_000, $"{truth.Id} is {bytes.Length} bytes");
        }
    }

    [Fact]
    public void Manifest_and_ground_truth_agree()
    {
        foreach (var entry in corpus.Manifest.Cards)
        {
            var truth = CorpusJson.ReadGroundTruth(corpus.Directory, entry);
            Assert.Equal(entry.Id, truth.Id);
            Assert.Equal(entry.Image, truth.Image);
            Assert.Equal(entry.Profile, truth.Profile);
            Assert.Equal(entry.ExpectedFailedChecks, truth.ExpectedFailedChecks);
            Assert.Equal(KtpField.All.Order(), truth.Fields.Keys.Order());
            Assert.Equal(KtpField.All.Order(), truth.FieldBoxes.Keys.Order());
            Assert.Contains(truth.Rotation, new[] { 0, 90, 180, 270 });
        }
    }

    [Fact]
    public void The_same_cards_are_drawn_whatever_the_profile()
    {
        for (var i = 0; i < corpus.Manifest.Cards.Count; i++)
        {
            var twin = CorpusJson.ReadGroundTruth(corpus.CleanTwinDirectory, corpus.CleanTwin.Cards[i]);
            Assert.Equal(corpus.Truth(i).Fields, twin.Fields);
        }
    }

    /// <summary>
    /// Warping each captured image back to the canonical card through its ground-truth corners must reproduce the
    /// clean render of the same card (high correlation); warping through the corners turned by one place (a wrong rotation) must not.
    /// </summary>
    [Fact]
    public void Ground_truth_corners_map_the_image_back_onto_the_card()
    {
        var work = Directory.CreateTempSubdirectory("ktp-corners-").FullName;
        var report = new List<string>();
        var failures = new List<string>();
        try
        {
            for (var i = 0; i < corpus.Manifest.Cards.Count; i++)
            {
                var truth = corpus.Truth(i);
                if (truth.Profile == "clean") continue;
                var clean = Gray(Path.Combine(corpus.CleanTwinDirectory, corpus.CleanTwin.Cards[i].Image), work, "clean");
                var right = Gray(Rectify(truth, truth.Corners, work, "right"), work, "right");
                var turned = truth.Corners.Skip(1).Append(truth.Corners[0]).ToList();
                var wrong = Gray(Rectify(truth, turned, work, "wrong"), work, "wrong");

                var rightMatch = Correlation(clean, right);
                var wrongMatch = Correlation(clean, wrong);
                report.Add($"{truth.Id} {truth.Profile} rot {truth.Rotation}: GT corners r={rightMatch:F2}, turned r={wrongMatch:F2}");
                if (rightMatch < MinimumCorrelation || wrongMatch > rightMatch - 0.25) failures.Add(report[^1]);
            }
            Assert.True(failures.Count == 0, string.Join("\n", failures) + "\n--- all:\n" + string.Join("\n", report));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private string Rectify(GroundTruth truth, IReadOnlyList<Point> corners, string work, string name)
    {
        var output = Path.Combine(work, name + ".png");
        var points = string.Join("  ", corners.Zip(new[] { (0, 0), (CanonicalCard.Width, 0), (CanonicalCard.Width, CanonicalCard.Height), (0, CanonicalCard.Height) })
            .Select(p => FormattableString.Invariant($"{p.First.X},{p.First.Y} {p.Second.Item1},{p.Second.Item2}")));
        ExternalTool.Run("convert", [Path.Combine(corpus.Directory, truth.Image), "-define", $"distort:viewport={CanonicalCard.Width}x{CanonicalCard.Height}+0+0",
            "-distort", "Perspective", points, "+repage", output]);
        return output;
    }

    /// <summary>Gray, blurred and shrunk to 250×158 so noise, JPEG and blur do not dominate the comparison.</summary>
    private static byte[] Gray(string image, string work, string name)
    {
        var raw = Path.Combine(work, name + ".gray");
        ExternalTool.Run("convert", [image, "-colorspace", "gray", "-blur", "0x2", "-resize", "250x158!", "-depth", "8", "gray:" + raw]);
        return File.ReadAllBytes(raw);
    }

    private const double MinimumCorrelation = 0.35;

    /// <summary>Pearson correlation of two gray images: insensitive to the capture's lighting level and contrast.</summary>
    private static double Correlation(byte[] a, byte[] b)
    {
        Assert.Equal(a.Length, b.Length);
        double meanA = a.Average(v => (double)v), meanB = b.Average(v => (double)v);
        double cov = 0, varA = 0, varB = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var (da, db) = (a[i] - meanA, b[i] - meanB);
            cov += da * db;
            varA += da * da;
            varB += db * db;
        }
        return cov / Math.Sqrt(varA * varB);
    }
}
