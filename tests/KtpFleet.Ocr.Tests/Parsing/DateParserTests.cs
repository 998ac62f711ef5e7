using FsCheck;
using FsCheck.Fluent;
using KtpFleet.Ocr.Parsing;

namespace KtpFleet.Ocr.Tests.Parsing;

public class DateParserTests
{
    [Theory]
    [InlineData("12-06-1974", "12-06-1974", ParseStatus.Verified)]
    [InlineData(": 12-06-1974", "12-06-1974", ParseStatus.Verified)]
    [InlineData("12.06.1974", "12-06-1974", ParseStatus.Verified)]
    [InlineData("12/06/1974", "12-06-1974", ParseStatus.Verified)]
    [InlineData("12 06 1974", "12-06-1974", ParseStatus.Verified)]
    [InlineData("12061974", "12-06-1974", ParseStatus.Verified)]
    [InlineData("1-6-1974", "01-06-1974", ParseStatus.Verified)]
    [InlineData("l2-O6-1974", "12-06-1974", ParseStatus.Corrected)]
    [InlineData("12 - 06 - 197A", "12-06-1974", ParseStatus.Corrected)]
    [InlineData("29-02-2000", "29-02-2000", ParseStatus.Verified)]
    public void Parses_to_dd_mm_yyyy(string raw, string expected, ParseStatus status)
    {
        var date = DateParser.Parse(raw, []);
        Assert.Equal(expected, date.Value);
        Assert.Equal(status, date.Status);
    }

    [Theory]
    [InlineData("31-02-1990")]
    [InlineData("29-02-1900")]
    [InlineData("12-13-1974")]
    [InlineData("00-01-1974")]
    [InlineData("12-06-74")]
    [InlineData("12-06-1874")]
    [InlineData("SEUMUR HIDUP")]
    public void Rejects_impossible_dates(string raw)
    {
        var date = DateParser.Parse(raw, []);
        Assert.Equal(ParseStatus.Invalid, date.Status);
        Assert.Contains(Change.NotADate, date.Changes);
    }

    [Fact]
    public void Any_valid_date_with_random_separators_and_confusions_parses_back()
    {
        var separators = new[] { "-", ".", "/", " ", " - ", ". " };
        var gen =
            from day in Gen.Choose(0, 365 * 200)
            from sep1 in Gen.Elements(separators)
            from sep2 in Gen.Elements(separators)
            from seed in Gen.Choose(0, int.MaxValue)
            select (Date: new DateOnly(1901, 1, 1).AddDays(day), sep1, sep2, seed);
        PropertyCheck.Holds(gen, p =>
        {
            var rng = new Random(p.seed);
            var look = new Dictionary<char, string> { ['0'] = "OD", ['1'] = "Il", ['5'] = "S", ['8'] = "B", ['2'] = "Z" };
            string Confuse(string s) => string.Concat(s.Select(c => look.TryGetValue(c, out var alts) && rng.Next(3) == 0 ? alts[rng.Next(alts.Length)] : c));
            var read = Confuse(p.Date.Day.ToString("00")) + p.sep1 + Confuse(p.Date.Month.ToString("00")) + p.sep2 + Confuse(p.Date.Year.ToString());
            return DateParser.Parse(read, []).Value == p.Date.ToString("dd-MM-yyyy");
        }, 500);
    }
}
