using KtpFleet.Ocr.Parsing;

namespace KtpFleet.Ocr.Tests.Parsing;

public class BirthPlaceDateParserTests
{
    [Theory]
    [InlineData("JUNGKAT, 12-06-1974", "JUNGKAT", "12-06-1974")]
    [InlineData(": JUNGKAT, 12-06-1974", "JUNGKAT", "12-06-1974")]
    [InlineData("Tempat/Tgl Lahir : JUNGKAT, 12-06-1974", "JUNGKAT", "12-06-1974")]
    [InlineData("JUNGKAT 12-06-1974", "JUNGKAT", "12-06-1974")]
    [InlineData("JUNGKAT. 12-06-1974", "JUNGKAT", "12-06-1974")]
    [InlineData("JUNGKAT.12-06-1974", "JUNGKAT", "12-06-1974")]
    [InlineData("KOTA BARU, l2-O6-1974", "KOTA BARU", "12-06-1974")]
    [InlineData("jakarta  ,  01 01 1990", "JAKARTA", "01-01-1990")]
    [InlineData("BOGOR, 01011990", "BOGOR", "01-01-1990")]
    public void Splits_place_and_date(string raw, string place, string date)
    {
        var (p, d) = BirthPlaceDateParser.Parse(raw);
        Assert.Equal(place, p.Value);
        Assert.Equal(date, d.Value);
        Assert.True(d.IsValid);
        Assert.Contains(Change.Split, p.Changes);
    }

    [Fact]
    public void A_line_without_a_date_is_a_place_only()
    {
        var (p, d) = BirthPlaceDateParser.Parse("MAGELANG,");
        Assert.Equal("MAGELANG", p.Value);
        Assert.Equal(ParseStatus.Missing, d.Status);
    }

    [Fact]
    public void An_impossible_date_is_invalid_but_the_place_is_kept()
    {
        var (p, d) = BirthPlaceDateParser.Parse("MAGELANG, 31-02-1987");
        Assert.Equal("MAGELANG", p.Value);
        Assert.Equal(ParseStatus.Invalid, d.Status);
    }
}
