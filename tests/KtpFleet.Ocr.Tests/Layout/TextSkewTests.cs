using KtpFleet.Ocr.Engine;
using KtpFleet.Ocr.Layout;
using KtpFleet.Ocr.Native;
using KtpFleet.Ocr.Pipeline;
using KtpFleet.Ocr.Tests.Recognition;

namespace KtpFleet.Ocr.Tests.Layout;

public sealed class TextSkewTests
{
    [Fact]
    public void A_level_card_does_not_lean()
    {
        var lean = CanonicalSpecimen.Load("setiawan").With(TextSkew.OfCard);
        Assert.InRange(lean, -0.3, 0.3);
    }

    [Theory]
    [InlineData(2.0)]
    [InlineData(-3.0)]
    public void A_card_turned_in_its_frame_leans_by_the_turn(double degrees)
    {
        // ImageMagick turns clockwise for positive angles: rows then run down to the right.
        var lean = Leaning("abdurrahman-hadin", degrees).With(TextSkew.OfCard);
        Assert.InRange(lean, degrees - 0.4, degrees + 0.4);
    }

    [Fact]
    public void A_page_of_specks_tells_no_lean()
    {
        var rng = new Random(5);
        var args = Enumerable.Range(0, 300).SelectMany(_ => new[] { "-draw", $"point {rng.Next(1000)},{rng.Next(630)}" }).ToArray();
        var lean = RenderedGray.Convert(1000, 630, "white", ["-fill", "black", .. args]).With(TextSkew.OfCard);
        Assert.Equal(0, lean);
    }

    [Fact]
    public void A_levelled_card_has_its_rows_back()
    {
        var leaning = Leaning("setiawan", 3.5);
        var before = leaning.With(v => new FieldLocator().Locate(v));
        Assert.True(before.Evidence.LabelRows < FieldLocator.LabelRows.Count, "the lean no longer merges rows: the test does not test levelling");

        using var image = ImageHandle.FromPixels(leaning.Pixels, leaning.Width, leaning.Height, 1);
        using var card = CardPixels.From(image);
        using var levelled = card.Levelled(TextSkew.OfCard(card.View));
        Assert.InRange(TextSkew.OfCard(levelled.View), -0.3, 0.3);
        var after = new FieldLocator().Locate(levelled.View);
        Assert.Equal(FieldLocator.LabelRows.Count, after.Evidence.LabelRows);
        Assert.True(after.Evidence.NikLineFound);
    }

    /// <summary>The specimen turned in its frame, cut back to the canonical size (white where the turn brings paper in).</summary>
    private static RenderedGray Leaning(string specimen, double degrees) =>
        CanonicalSpecimen.Load(specimen, "-background", "white", "-rotate", degrees.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-gravity", "center", "-extent", $"{CanonicalCard.Width}x{CanonicalCard.Height}");
}
