using KtpFleet.Ocr.Imaging;
using KtpFleet.Ocr.Native;
using KtpFleet.Ocr.Tests.TestSupport;
using Xunit.Abstractions;

namespace KtpFleet.Ocr.Tests.Imaging;

/// <summary>
/// Tight crops (no background) at every quarter turn: the two specimen cards and the generated card. The prepared
/// card must come out upright whatever the input rotation, i.e. the same image as from the upright input.
/// </summary>
public sealed class OrientationTests(SyntheticCardScenes scenes, ITestOutputHelper output) : IClassFixture<SyntheticCardScenes>
{
    private readonly ImagePreprocessor _preprocessor = new();

    public static TheoryData<string, int> Inputs => new()
    {
        { "setiawan.jpg", 0 }, { "setiawan.jpg", 90 }, { "setiawan.jpg", 180 }, { "setiawan.jpg", 270 },
        { "abdurrahman-hadin.jpg", 0 }, { "abdurrahman-hadin.jpg", 90 }, { "abdurrahman-hadin.jpg", 180 }, { "abdurrahman-hadin.jpg", 270 },
        { "generated", 0 }, { "generated", 90 }, { "generated", 180 }, { "generated", 270 },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Tight_crops_come_out_upright_at_any_quarter_turn(string source, int degrees)
    {
        var original = source == "generated" ? scenes.CardPng : RepoPaths.Specimen(source);
        var turned = degrees == 0 ? original
            : scenes.Derive($"{Path.GetFileNameWithoutExtension(original)}-{degrees}.png", original, "-rotate", degrees.ToString());

        using var upright = _preprocessor.Prepare(File.ReadAllBytes(original));
        using var card = _preprocessor.Prepare(File.ReadAllBytes(turned));

        output.WriteLine($"{source} turned {degrees}: {card.Location.Method} {card.Quad}, {card.Orientation}");
        Assert.Equal(degrees, card.CardRotationDegrees);
        Assert.False(upright.Orientation.UpsideDown);
        Assert.True(card.Orientation.Confidence > 0.3, $"confidence {card.Orientation.Confidence:0.00}");
        // The same card either way (up to resampling): a 180° mistake would differ as much as the turned card does.
        using var wrong = upright.Card.Orient(2);
        var difference = MeanAbsoluteDifference(upright.Card, card.Card);
        var wrongDifference = MeanAbsoluteDifference(upright.Card, wrong);
        output.WriteLine($"mean |difference| to the upright result: {difference:0.0} (turned half round: {wrongDifference:0.0})");
        Assert.True(difference < 0.5 * wrongDifference, $"mean |difference| {difference:0.0} vs {wrongDifference:0.0} when wrong");
    }

    [Fact]
    public void An_upside_down_card_is_reported_as_such_by_the_detector_alone()
    {
        using var decoded = new ImageDecoder().Decode(File.ReadAllBytes(RepoPaths.Specimen("setiawan.jpg")));
        using var canonical = decoded.Image.Resize(1000, 630);
        using var flipped = canonical.Orient(2);
        var detector = new OrientationDetector();

        var upright = detector.Detect(canonical);
        var upsideDown = detector.Detect(flipped);

        output.WriteLine($"{upright}\n{upsideDown}");
        Assert.False(upright.UpsideDown);
        Assert.True(upsideDown.UpsideDown);
        // Turning the image is turning the layout: the scores swap (up to the grid's resampling).
        Assert.InRange(upsideDown.UpsideDownScore, upright.UprightScore * 0.9, upright.UprightScore * 1.1);
    }

    [Fact]
    public void A_blank_or_noisy_page_gives_little_confidence()
    {
        var random = new Random(17);
        var noisy = new byte[1000 * 630];
        for (var i = 0; i < noisy.Length; i++) noisy[i] = (byte)random.Next(120, 256);
        var blank = new byte[1000 * 630];
        Array.Fill(blank, (byte)235);

        foreach (var pixels in new[] { blank, noisy })
        {
            using var image = ImageHandle.FromPixels(pixels, 1000, 630, 1);
            var decision = new OrientationDetector().Detect(image);
            output.WriteLine(decision.ToString());
            Assert.True(decision.Confidence < 0.2, decision.ToString());
        }
    }

    internal static double MeanAbsoluteDifference(ImageHandle a, ImageHandle b)
    {
        using var grayA = a.ToGray();
        using var grayB = b.ToGray();
        using var pa = grayA.UsePixels();
        using var pb = grayB.UsePixels();
        Assert.Equal((pa.Width, pa.Height), (pb.Width, pb.Height));
        long sum = 0;
        for (var y = 0; y < pa.Height; y++)
        {
            var ra = pa.Row(y);
            var rb = pb.Row(y);
            for (var x = 0; x < pa.Width; x++) sum += Math.Abs(ra[x] - rb[x]);
        }
        return (double)sum / (pa.Width * pa.Height);
    }
}
