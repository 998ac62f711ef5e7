using FsCheck;
using FsCheck.Fluent;
using KtpFleet.Ocr.Parsing;

namespace KtpFleet.Ocr.Tests.Parsing;

public class NikParserTests
{
    [Theory]
    [InlineData("3171234567890123", "3171234567890123", ParseStatus.Verified)]
    [InlineData(": 3171234567890123", "3171234567890123", ParseStatus.Verified)]
    [InlineData("NIK : 3171234567890123", "3171234567890123", ParseStatus.Verified)]
    [InlineData("NIK 3171234567890123", "3171234567890123", ParseStatus.Verified)]
    [InlineData("3171 2345 6789 0123", "3171234567890123", ParseStatus.Verified)]
    [InlineData("317I23456789Ol23", "3171234567890123", ParseStatus.Corrected)]
    [InlineData("3l7123A5678S0123", "3171234567850123", ParseStatus.Corrected)]
    [InlineData("| 6112032206820000 !", "6112032206820000", ParseStatus.Verified)]
    public void Parses_and_fixes_confusions(string raw, string expected, ParseStatus status)
    {
        var nik = NikParser.Parse(raw);
        Assert.Equal(expected, nik.Value);
        Assert.Equal(status, nik.Status);
        Assert.Equal(status == ParseStatus.Corrected, nik.Changes.Contains(Change.LettersToDigits));
    }

    [Theory]
    [InlineData("317123456789012", Change.WrongLength)]
    [InlineData("31712345678901234", Change.WrongLength)]
    [InlineData("3171234567X90123", Change.Unrecognised)]
    public void Rejects_other_lengths_and_unknown_characters(string raw, string why)
    {
        var nik = NikParser.Parse(raw);
        Assert.Equal(ParseStatus.Invalid, nik.Status);
        Assert.False(nik.IsValid);
        Assert.Contains(why, nik.Changes);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  : ")]
    public void Empty_is_missing(string? raw) => Assert.Equal(ParseStatus.Missing, NikParser.Parse(raw).Status);

    [Fact]
    public void Any_nik_with_digits_read_as_look_alike_letters_parses_back() =>
        PropertyCheck.Holds(
            Gen.Zip(Gen.Choose(0, 9).ArrayOf(16).Select(d => string.Concat(d)), Gen.Choose(0, int.MaxValue)),
            p =>
            {
                var (nik, seed) = p;
                var rng = new Random(seed);
                var look = new Dictionary<char, string> { ['0'] = "OoD", ['1'] = "Il", ['5'] = "Ss", ['8'] = "B", ['2'] = "Z", ['6'] = "Gb" };
                var read = string.Concat(nik.Select(c => look.TryGetValue(c, out var alts) && rng.Next(3) == 0 ? alts[rng.Next(alts.Length)] : c));
                return NikParser.Parse(read).Value == nik;
            });
}
