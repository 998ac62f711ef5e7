using KtpFleet.Ocr.Recognition;
using KtpFleet.Ocr.Results;
using KtpFleet.Ocr.Verdicts;

namespace KtpFleet.Ocr.Tests.Recognition;

public sealed class DigitVoteTests
{
    [Theory]
    [InlineData("008/910", "008/010", "008/010", "008/010")]     // the other two agree on the third digit
    [InlineData("000/021", "002/001", "002/001", "002/001")]
    [InlineData("14-11-2021", "11-11-2021", "11-11-2027", "11-11-2021")] // each digit by its own majority
    [InlineData("003/906", "003/806", "003/006", null)]          // all three differ: the first reading stands
    [InlineData("029/009", "029/009", "079/009", null)]          // the first has the majority
    [InlineData("029/009", "29/009", "029/009", null)]           // another length: not the same format
    [InlineData("02-12-2020", "02/12/2020", "02/12/2020", null)] // separators differ: not the same format
    public void Each_digit_is_taken_by_majority(string first, string second, string third, string? voted) =>
        Assert.Equal(voted, DigitVote.Vote(first, second, third));

    [Fact]
    public void Only_readings_that_differ_are_disputed_and_a_voted_value_is_never_confident()
    {
        Dictionary<string, RawField> Card(string rtRw, string date, string validity = "SEUMUR HIDUP") => new(StringComparer.Ordinal)
        {
            [KtpField.RtRw] = new(rtRw, 96),
            [KtpField.TanggalTerbit] = new(date, 96),
            [KtpField.BerlakuHingga] = new(validity, 96),
        };
        var first = Card("008/910", "14-11-2021");
        var guesses = Card("008/010", "11-11-2021");
        // Validity read alike by both: no third reading for it.
        Assert.Equal([KtpField.RtRw, KtpField.TanggalTerbit], DigitVote.Disputed(first, guesses));

        var voted = DigitVote.Apply(first, Card("008/010", "11-11-20XY"), guesses, DigitVote.Disputed(first, guesses));
        Assert.Equal("008/010", voted[KtpField.RtRw].Text);
        Assert.Equal(FieldRecognizer.ShapeGuessConfidence, voted[KtpField.RtRw].MeanWordConfidence);
        Assert.True(KtpVerifier.Shared.Verify(voted).Fields[KtpField.RtRw].Confidence < VerdictPolicy.Default.AutoAcceptConfidence);
        // The third reading of the date did not parse (letters no digit is read for): two readings are no majority.
        Assert.Same(first[KtpField.TanggalTerbit], voted[KtpField.TanggalTerbit]);
    }

    [Fact]
    public void The_date_of_birth_is_voted_from_the_end_of_the_birthplace_line_and_the_place_keeps_its_name()
    {
        var first = new Dictionary<string, RawField>(StringComparer.Ordinal) { [KtpField.TempatLahir] = new("BANDUNG, 17-08-1975", 97) };
        var guesses = new Dictionary<string, RawField>(StringComparer.Ordinal) { [KtpField.TanggalLahir] = new("17-06-1975", FieldRecognizer.ShapeGuessConfidence) };
        var disputed = DigitVote.Disputed(first, guesses);
        Assert.Equal([KtpField.TanggalLahir], disputed);

        var reread = new Dictionary<string, RawField>(StringComparer.Ordinal) { [KtpField.TempatLahir] = new("BANDUNG. 17-06-1975", 90) };
        var voted = DigitVote.Apply(first, reread, guesses, disputed);
        var parsed = KtpVerifier.Shared.Verify(voted);
        Assert.Equal("17-06-1975", parsed.Fields[KtpField.TanggalLahir].Value);
        Assert.Equal("BANDUNG", parsed.Fields[KtpField.TempatLahir].Value);
    }

    [Fact]
    public void A_firm_cell_reading_outweighs_two_tesseract_readings_that_share_an_error()
    {
        var first = new Dictionary<string, RawField>(StringComparer.Ordinal) { [KtpField.RtRw] = new("902/915", 89) };
        var reread = new Dictionary<string, RawField>(StringComparer.Ordinal) { [KtpField.RtRw] = new("902/015", 85) };
        var guesses = new Dictionary<string, RawField>(StringComparer.Ordinal) { [KtpField.RtRw] = new("002/015", FieldRecognizer.ShapeGuessConfidence) };
        var disputed = DigitVote.Disputed(first, guesses);

        // By majority the shared '9' stays; a firm guess is taken whole, at the guess's confidence.
        Assert.Equal("902/015", DigitVote.Apply(first, reread, guesses, disputed)[KtpField.RtRw].Text);
        var firm = DigitVote.Apply(first, reread, guesses, disputed, new HashSet<string> { KtpField.RtRw })[KtpField.RtRw];
        Assert.Equal("002/015", firm.Text);
        Assert.Equal(FieldRecognizer.ShapeGuessConfidence, firm.MeanWordConfidence);
    }
}
