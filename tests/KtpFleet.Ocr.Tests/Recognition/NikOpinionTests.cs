using KtpFleet.Ocr.Engine;
using KtpFleet.Ocr.Recognition;
using KtpFleet.Ocr.Verdicts;

namespace KtpFleet.Ocr.Tests.Recognition;

public sealed class NikOpinionTests
{
    // District 317301 (Cengkareng), 12 May 1985, a man; the same with a day no month has, and with a region code
    // no edition lists (a real card can carry one: a specimen does).
    private const string Nik = "3173011205850003";
    private const string NoDate = "3173013405850003";
    private const string NoRegion = "9973011205850003";

    [Theory]
    [InlineData("NIK : 3171234567890123", "3171234567890123")]
    [InlineData("NIK 3171 2345 6789 0123", "3171234567890123")]   // colon lost: every digit of the row
    [InlineData("N1K : 3171234567890123", "3171234567890123")]     // a label letter read as a digit
    [InlineData("K NIK : 31712345 67890123 :", "3171234567890123")] // a colon read in the noise after the digits
    [InlineData("NIK :", "")]
    [InlineData("", "")]
    public void The_digits_are_what_follows_the_label(string row, string digits) =>
        Assert.Equal(digits, NikOpinion.DigitsOf(row));

    [Fact]
    public void Agreeing_readings_keep_the_glyph_matchers_with_its_digits_confidences()
    {
        var glyphs = new RawField(Nik, 40) { CharConfidences = [.. Enumerable.Repeat(40.0, 16)] };
        Assert.Same(glyphs, NikOpinion.Settle(glyphs, new RawField(Nik, 95)));
    }

    [Theory]
    [InlineData(NoDate, 30, Nik, 20, Nik)]          // only the model's could be a NIK: taken though less confident
    [InlineData(Nik, 20, NoDate, 95, Nik)]          // only the glyph matcher's could be: kept though less confident
    [InlineData(NoRegion, 50, Nik, 20, NoRegion)]   // an unlisted region code is no reason to prefer the other reading
    [InlineData(Nik, 20, "3173011205850008", 50, "3173011205850008")] // both could: the model's when clearly more confident
    [InlineData(Nik, 30, "3173011205850008", 50, Nik)]
    [InlineData(Nik, 50, "3173011205850008", 20, Nik)]
    [InlineData(Nik, 20, "31730112058500031", 95, Nik)] // the model read seventeen digits: no NIK
    public void Differing_readings_settle_by_what_could_be_a_nik_then_by_confidence(string glyphs, double glyphConfidence, string model, double modelConfidence, string kept) =>
        Assert.Equal(kept, NikOpinion.Settle(new RawField(glyphs, glyphConfidence), new RawField(model, modelConfidence)).Text);

    [Fact]
    public void A_nik_only_the_model_read_is_never_auto_accepted()
    {
        var alone = NikOpinion.Settle(null, new RawField(Nik, 99));
        Assert.Equal(Nik, alone.Text);
        Assert.Equal(NikOpinion.AloneConfidence, alone.MeanWordConfidence);
        var replacing = NikOpinion.Settle(new RawField(NoDate, 10), new RawField(Nik, 99));
        Assert.Equal(NikOpinion.AloneConfidence, replacing.MeanWordConfidence);
        Assert.True(ConfidenceCalibration.Default.Probability(ConfidenceClass.Verified, NikOpinion.AloneConfidence)
            < VerdictPolicy.Default.ThresholdFor(Results.KtpField.Nik));
    }

    [Fact]
    public void The_digits_are_read_from_just_before_the_value_column_not_from_the_label()
    {
        var row = new PixelRect(46, 120, 674, 34);
        var span = NikOpinion.DigitsSpan(row, 276, 1000);
        Assert.Equal(new PixelRect(226, 120, 430, 34), span);
        Assert.True(NikOpinion.DigitsSpan(row with { Width = 100 }, 276, 1000).IsEmpty); // a row ending before the column
    }
}
