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

    [Theory]
    [InlineData("PERUM MELATI INDAH BLOK FS NO. 133A", "PERUM MELATI INDAH BLOK F5 NO. 133A")]
    [InlineData("PERUM PASAR MINGGU INDAH BLOK HIS NO. 117B", "PERUM PASAR MINGGU INDAH BLOK H15 NO. 117B")]
    [InlineData("JL. PANGERAN ANTASARI NO. S7", "JL. PANGERAN ANTASARI NO. 57")]
    [InlineData("PERUM TERATAI BLOK Z1O NO. O2", "PERUM TERATAI BLOK Z10 NO. 02")]
    public void A_digit_read_as_its_look_alike_letter_in_a_block_code_or_house_number_is_a_digit_and_doubted(string raw, string value)
    {
        var address = FreeTextParser.Address(raw);
        Assert.Equal(value, address.Value);
        Assert.Contains(Change.LettersToDigits, address.Changes);
        Assert.Equal(ConfidenceClass.DoubtfulAddress, ConfidenceClasses.Of(address, KtpField.Alamat));
    }

    [Theory]
    [InlineData("PERUM MELATI INDAH BLOK F5 NO. 133A")]
    [InlineData("BLOK SIMPANG RAYA NO. 12")]           // a word after BLOK, not a code
    [InlineData("PERUM INDAH BLOK AB12 NO. 21B")]      // letters that are no digit's look-alike stay
    [InlineData("JL. KALIURANG NO. 1S")]               // only a house number's leading letters are digits
    [InlineData("DUSUN SOZO")]
    public void Codes_and_numbers_that_read_as_printed_are_left_alone(string raw)
    {
        var address = FreeTextParser.Address(raw);
        Assert.Equal(raw, address.Value);
        Assert.DoesNotContain(Change.LettersToDigits, address.Changes);
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
