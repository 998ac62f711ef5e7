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

    [Theory]
    [InlineData("MATARAM, 7504-2000", "MATARAM", "7504-2000")]
    [InlineData("PROBOLINGGO, YEL 1967", "PROBOLINGGO", "YEL 1967")]
    [InlineData("KOMAWE. 1964-1072", "KOMAWE", "1964-1072")]
    [InlineData("MALANG 31", "MALANG", "31")]
    [InlineData("P. SIANTAR 3104", "P. SIANTAR", "3104")]
    public void A_date_that_does_not_parse_still_ends_the_place(string raw, string place, string date)
    {
        var (p, d) = BirthPlaceDateParser.Parse(raw);
        Assert.Equal(place, p.Value);
        Assert.Equal(ParseStatus.Invalid, d.Status);
        Assert.Equal(date, d.Value);
    }

    [Theory]
    [InlineData("KALISONO. 12 091970", "KALISONO", "12-09-1970")]
    [InlineData("KUBU RAYA. 31 081939", "KUBU RAYA", "31-08-1939")]
    public void A_date_with_a_lost_separator_is_read(string raw, string place, string date)
    {
        var (p, d) = BirthPlaceDateParser.Parse(raw);
        Assert.Equal(place, p.Value);
        Assert.Equal(date, d.Value);
    }

    [Theory]
    [InlineData("HULU SUNGAI 54 LATAN", "HULU SUNGAI SA LATAN")]
    [InlineData("SUNGAI PENUH", "SUNGAI PENUH")]
    public void Digits_inside_a_place_are_its_letters(string raw, string place)
    {
        var (p, d) = BirthPlaceDateParser.Parse(raw);
        Assert.Equal(place, p.Value);
        Assert.Equal(ParseStatus.Missing, d.Status);
    }

    [Theory]
    [InlineData("MAGELANG,")]
    [InlineData("MAGELANG.")]
    public void A_line_without_a_date_is_a_place_only(string raw)
    {
        var (p, d) = BirthPlaceDateParser.Parse(raw);
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
