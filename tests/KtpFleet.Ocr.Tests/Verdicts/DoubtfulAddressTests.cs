using KtpFleet.Ocr.Parsing;
using KtpFleet.Ocr.Results;
using KtpFleet.Ocr.Verdicts;

namespace KtpFleet.Ocr.Tests.Verdicts;

/// <summary>An address whose abbreviations lost their dots is doubted; the value itself is kept as read.</summary>
public sealed class DoubtfulAddressTests
{
    [Theory]
    [InlineData("JL KALIURANG GG. HASANUDDIN NO. 248", true)]
    [InlineData("JALAN SURAPATI GG, AHMAD YANI NO. 99", true)]
    [InlineData("PERUM TERATAI INDAH BLOK F22 NO 103", true)]
    [InlineData("JALAN ANGGREK GG. KARTINI NO", true)]
    [InlineData("LORONG AHMAD YANI NO: 12", true)]   // the dot read as a colon
    [InlineData("JL. KALIURANG GG. HASANUDDIN NO. 248", false)]
    [InlineData("DUSUN TANJUNG HARAPAN", false)]
    [InlineData("KP. BABAKAN NO. 35", false)]
    [InlineData("JALAN NOGOSARI", false)] // NO inside a word is no abbreviation
    public void Abbreviations_without_their_dot_are_found(string address, bool dotless) =>
        Assert.Equal(dotless, ConfidenceClasses.HasDotlessAbbreviation(address));

    [Theory]
    [InlineData("JL\u2024 KALIURANG NO\u2024 25")]   // periods the recogniser found in the image, not OCR
    [InlineData("JL. KALIURANG NO, 25")]             // a period read as a comma
    public void A_restored_period_completes_the_value_and_leaves_it_doubted(string raw)
    {
        var address = FreeTextParser.Address(raw);
        Assert.Equal("JL. KALIURANG NO. 25", address.Value);
        Assert.Contains(Change.PeriodRestored, address.Changes);
        Assert.Equal(ConfidenceClass.DoubtfulAddress, ConfidenceClasses.Of(address, KtpField.Alamat));
    }

    [Fact]
    public void A_b_restored_from_its_shape_completes_the_value_and_leaves_it_doubted()
    {
        var address = FreeTextParser.Address($"PERUM MAWAR INDAH BLOK {FreeTextParser.RestoredB}17 NO. 176{FreeTextParser.RestoredB}");
        Assert.Equal("PERUM MAWAR INDAH BLOK B17 NO. 176B", address.Value);
        Assert.Contains(Change.LetterRestored, address.Changes);
        Assert.Equal(ConfidenceClass.DoubtfulAddress, ConfidenceClasses.Of(address, KtpField.Alamat));
        Assert.Equal(ConfidenceClass.Unverified, ConfidenceClasses.Of(FreeTextParser.Address("PERUM MAWAR INDAH BLOK B17 NO. 176B"), KtpField.Alamat));
    }

    [Fact]
    public void Only_the_address_gets_the_doubtful_class_and_it_scores_below_a_clean_one()
    {
        var dotless = FreeTextParser.Address("JL KALIURANG NO 25");
        var dotted = FreeTextParser.Address("JL. KALIURANG NO. 25");
        Assert.Equal("JL KALIURANG NO 25", dotless.Value); // kept as read, never repaired
        Assert.Equal(ConfidenceClass.DoubtfulAddress, ConfidenceClasses.Of(dotless, KtpField.Alamat));
        Assert.Equal(ConfidenceClass.Unverified, ConfidenceClasses.Of(dotted, KtpField.Alamat));
        // A name is never an address, whatever it holds.
        Assert.Equal(ConfidenceClass.Unverified, ConfidenceClasses.Of(FreeTextParser.Name("NO GG"), KtpField.Nama));
        Assert.True(FieldConfidence.Score(dotless, 97, fieldName: KtpField.Alamat) < FieldConfidence.Score(dotted, 97, fieldName: KtpField.Alamat));
        Assert.True(FieldConfidence.Score(dotless, 97, fieldName: KtpField.Alamat) < VerdictPolicy.Default.AutoAcceptConfidence);
    }

    [Fact]
    public void A_table_fitted_before_the_class_existed_still_loads_with_the_hand_set_row()
    {
        var old = ConfidenceCalibration.HandSet with
        {
            Accuracy = ConfidenceCalibration.HandSet.Accuracy.Where(kv => kv.Key != ConfidenceClass.DoubtfulAddress).ToDictionary(kv => kv.Key, kv => kv.Value),
        };
        var loaded = ConfidenceCalibration.FromJson(old.ToJson());
        Assert.Equal(ConfidenceCalibration.HandSet.Accuracy[ConfidenceClass.DoubtfulAddress], loaded.Accuracy[ConfidenceClass.DoubtfulAddress]);
    }
}
