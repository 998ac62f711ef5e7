using System.Drawing;
using KtpFleet.Ocr.Imaging;
using KtpFleet.Ocr.Native;
using KtpFleet.Ocr.Tests.TestSupport;
using Xunit.Abstractions;

namespace KtpFleet.Ocr.Tests.Imaging;

/// <summary>The operations recognition calls on the canonical card: background removal, thresholds, lines, crops.</summary>
public sealed class ImageUtilityTests(SyntheticCardScenes scenes, ITestOutputHelper output) : IClassFixture<SyntheticCardScenes>
{
    private static PreparedCard PrepareSpecimen(string name) => new ImagePreprocessor().Prepare(File.ReadAllBytes(RepoPaths.Specimen(name)));

    [Fact]
    public void Background_normalisation_flattens_the_guilloche_and_keeps_text_black()
    {
        using var card = PrepareSpecimen("setiawan.jpg");
        using var plain = card.Card.ToGray();
        using var normalized = card.Card.NormalizeBackground();
        // Globe and guilloche, no text: above the photo. Text: the NIK digits.
        var background = new Rectangle(760, 30, 180, 100);
        var nik = new Rectangle(250, 110, 300, 45);

        var (plainMean, plainStd) = Stats(plain, background);
        var (bgMean, bgStd) = Stats(normalized, background);
        var (_, _, nikMin) = MinOf(normalized, nik);
        output.WriteLine($"background gray {plainMean:0}±{plainStd:0.0}, normalised {bgMean:0}±{bgStd:0.0}; darkest NIK pixel {nikMin}");

        Assert.Equal(1, normalized.Channels);
        Assert.True(bgMean > 235, $"background mean {bgMean:0}");
        Assert.True(bgStd < plainStd / 2, $"background spread {bgStd:0.0} vs {plainStd:0.0} before");
        Assert.True(nikMin < 60, $"darkest NIK pixel {nikMin}");
    }

    [Fact]
    public void Finds_the_twelve_label_lines_of_the_generated_card_top_to_bottom()
    {
        using var decoded = new ImageDecoder().Decode(File.ReadAllBytes(scenes.CardPng));
        using var normalized = decoded.Image.NormalizeBackground();

        var lines = normalized.FindTextLines(new Rectangle(15, 185, 230, 375));

        output.WriteLine(string.Join("\n", lines));
        Assert.Equal(12, lines.Count); // Nama ... Berlaku Hingga
        Assert.All(lines, l => Assert.InRange(l.Height, 10, 30));
        Assert.Equal(lines.OrderBy(l => l.Y), lines);
        Assert.All(lines.Zip(lines.Skip(1)), pair => Assert.InRange(pair.Second.Y - pair.First.Y, 22, 40));
    }

    [Fact]
    public void Finds_the_value_lines_of_a_specimen_including_a_wrapped_address()
    {
        using var card = PrepareSpecimen("setiawan.jpg");
        using var normalized = card.Card.NormalizeBackground();

        var lines = normalized.FindTextLines(new Rectangle(265, 160, 420, 410));

        output.WriteLine(string.Join("\n", lines));
        // SETIAWAN, JUNGKAT..., LAKI-LAKI (+ Gol Darah), DUSUN..., HULU NO. 19, 001/004, PASAK PIANG, SUNGAI AMBAWANG,
        // KATHOLIK, KAWIN, WIRASWASTA, WNI, 21-11-2024
        Assert.Equal(13, lines.Count);
        Assert.Equal(lines.OrderBy(l => l.Y), lines);
        Assert.All(lines, l => Assert.InRange(l.Height, 15, 30));
        Assert.True(lines[2].Width > 380, $"{lines[2]}"); // LAKI-LAKI and Gol Darah : B share one row
    }

    [Fact]
    public void An_empty_region_has_no_lines()
    {
        var white = new byte[400 * 200];
        Array.Fill(white, (byte)250);
        using var image = ImageHandle.FromPixels(white, 400, 200, 1);
        Assert.Empty(image.FindTextLines(new Rectangle(0, 0, 400, 200)));
    }

    [Fact]
    public void Thresholds_give_pure_black_and_white_and_clahe_keeps_the_size()
    {
        using var card = PrepareSpecimen("abdurrahman-hadin.jpg");
        foreach (var method in new[] { ThresholdMethod.Otsu, ThresholdMethod.Adaptive })
        {
            using var binary = card.Card.Threshold(method);
            using var pixels = binary.UsePixels();
            var values = Enumerable.Range(0, pixels.Height).SelectMany(y => pixels.Row(y).ToArray()).Distinct().Order().ToArray();
            Assert.Equal([(byte)0, (byte)255], values);
        }
        using var equalised = card.Card.Clahe();
        Assert.Equal((1000, 630, 1), (equalised.Width, equalised.Height, equalised.Channels));
    }

    [Fact]
    public void Crop_png_round_trip_and_gray_keep_the_pixels()
    {
        using var card = PrepareSpecimen("abdurrahman-hadin.jpg");
        var region = new Rectangle(37, 211, 301, 77);
        using var crop = card.Card.Crop(region);
        using var decoded = ImageHandle.Decode(crop.EncodePng());

        Assert.Equal((301, 77, 3), (decoded.Width, decoded.Height, decoded.Channels));
        using (var a = crop.UsePixels())
        using (var b = decoded.UsePixels())
        using (var source = card.Card.UsePixels())
        {
            for (var y = 0; y < a.Height; y++)
            {
                Assert.True(a.Row(y).SequenceEqual(b.Row(y)), $"row {y} differs after PNG round trip");
                Assert.True(a.Row(y).SequenceEqual(source.Row(region.Y + y).Slice(region.X * 3, region.Width * 3)), $"row {y} is not the source");
            }
        }
        using var gray = crop.ToGray();
        using var grayPng = ImageHandle.Decode(gray.EncodePng());
        Assert.Equal(1, grayPng.Channels);
        Assert.Equal(0, OrientationTests.MeanAbsoluteDifference(gray, grayPng));
    }

    private static (double Mean, double Std) Stats(ImageHandle gray, Rectangle r)
    {
        using var p = gray.UsePixels();
        var values = Enumerable.Range(r.Y, r.Height).SelectMany(y => p.Row(y).Slice(r.X, r.Width).ToArray()).Select(v => (double)v).ToArray();
        var mean = values.Average();
        return (mean, Math.Sqrt(values.Average(v => (v - mean) * (v - mean))));
    }

    private static (int X, int Y, byte Min) MinOf(ImageHandle gray, Rectangle r)
    {
        using var p = gray.UsePixels();
        (int, int, byte) best = (0, 0, 255);
        for (var y = r.Y; y < r.Bottom; y++)
        for (var x = r.X; x < r.Right; x++)
            if (p.Row(y)[x] < best.Item3) best = (x, y, p.Row(y)[x]);
        return best;
    }
}
