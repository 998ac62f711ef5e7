using KtpFleet.Ocr.Parsing;
using KtpFleet.Ocr.Reference;

namespace KtpFleet.Ocr.Tests.Parsing;

public class RegionFieldParserTests
{
    private static readonly RegionFieldParser Parser = new(RegionTable.Shared);

    [Theory]
    [InlineData("PROVINSI JAWA TENGAH", "JAWA TENGAH", "33", ParseStatus.Verified)]
    [InlineData("PROVlNSI JAWA TENGAH", "JAWA TENGAH", "33", ParseStatus.Verified)]
    [InlineData("provinsi jawa tengah", "JAWA TENGAH", "33", ParseStatus.Verified)]
    [InlineData("PROVINSI JAWA TENGAII", "JAWA TENGAH", "33", ParseStatus.Corrected)]
    [InlineData("PROVINSI DKI JAKARTA", "DKI JAKARTA", "31", ParseStatus.Verified)]
    [InlineData("PROVINSI KALIMANTAN BARAT", "KALIMANTAN BARAT", "61", ParseStatus.Verified)]
    [InlineData("PROVINSI ATLANTIS", "ATLANTIS", null, ParseStatus.Unverified)]
    public void Province(string raw, string value, string? code, ParseStatus status) =>
        AssertRegion(Parser.Province(raw), value, code, status);

    [Theory]
    [InlineData("KABUPATEN CILACAP", "33", "KABUPATEN CILACAP", "3301", ParseStatus.Verified)]
    [InlineData("KABUPATEN CILACAP", null, "KABUPATEN CILACAP", "3301", ParseStatus.Verified)]
    [InlineData("KAB. CILACAP", "33", "KABUPATEN CILACAP", "3301", ParseStatus.Verified)]
    [InlineData("KABUPATEN CILACAR", "33", "KABUPATEN CILACAP", "3301", ParseStatus.Corrected)]
    [InlineData("KOTA BANDUNG", "32", "KOTA BANDUNG", "3273", ParseStatus.Verified)]
    [InlineData("JAKARTA SELATAN", "31", "JAKARTA SELATAN", "3174", ParseStatus.Verified)]
    [InlineData("KOTA SEMARANG", "33", "KOTA SEMARANG", "3374", ParseStatus.Verified)]
    [InlineData("KABUPATEN PUNCAK JAYX", "94", "KABUPATEN PUNCAK JAYA", "9402", ParseStatus.Corrected)]
    [InlineData("KABUPATEN C1LACAP", null, "KABUPATEN CILACAP", "3301", ParseStatus.Corrected)]
    public void Regency_keeps_the_printed_prefix(string raw, string? province, string value, string code, ParseStatus status) =>
        AssertRegion(Parser.Regency(raw, province), value, code, status);

    [Fact]
    public void District_prefers_the_cards_own_regency()
    {
        // "KEDUNGREJA" is in Cilacap; a reading one confusion away must resolve inside the printed regency.
        var inCilacap = Parser.District("KEDUNGREJA", "3301", "33");
        Assert.Equal("330101", inCilacap.Region?.Code);
        var misread = Parser.District("KEDUNGRE1A", "3301", "33");
        Assert.Equal("KEDUNGREJA", misread.Field.Value);
    }

    [Fact]
    public void District_outside_the_printed_regency_is_found_nationwide_and_kept_as_printed()
    {
        var r = Parser.District("SUNGAI AMBAWANG", "3301", "33");
        Assert.Equal("SUNGAI AMBAWANG", r.Field.Value);
        Assert.Equal("611203", r.Region?.Code);
    }

    [Theory]
    [InlineData("ANGSANA RAYA")]
    [InlineData(": ANGSANA RAYA")]
    public void Unknown_kecamatan_is_kept_as_read(string raw)
    {
        var r = Parser.District(raw, "3301", "33");
        Assert.Equal("ANGSANA RAYA", r.Field.Value);
        Assert.Equal(ParseStatus.Unverified, r.Field.Status);
        Assert.Null(r.Region);
    }

    [Theory]
    // Too far for the nationwide snap, but nearer to one of Cilacap's 24 kecamatan than to any other by far.
    [InlineData("NUSA WUN", "NUSAWUNGU", "330105")]
    [InlineData("GANDRUNGMA", "GANDRUNGMANGU", "330110")]
    public void A_doubted_far_reading_clearly_nearest_one_name_of_the_cards_regency_snaps_to_it(string raw, string value, string code)
    {
        AssertRegion(Parser.District(raw, "3301", "33", misread: true), value, code, ParseStatus.Corrected);
        // Read with confidence, it is a name the table lacks, and kept.
        Assert.Equal(ParseStatus.Unverified, Parser.District(raw, "3301", "33").Field.Status);
        // Without the card's regency there are thousands of names, and even a doubted reading is kept.
        Assert.Equal(ParseStatus.Unverified, Parser.District(raw, null, null, misread: true).Field.Status);
    }

    [Fact]
    public void A_far_reading_between_two_names_snaps_to_neither()
    {
        // CILACAP SELATAN / CILACAP UTARA / CILACAP TENGAH: "CILACAP" alone is as near to each.
        Assert.Null(Snapper.Clearest("CILACAP", ["CILACAP SELATAN", "CILACAP UTARA", "KROYA"], n => [n], 0.5, 0.2));
        Assert.Equal("CILACAP UTARA", Snapper.Clearest("CILACAP UTR", ["CILACAP SELATAN", "CILACAP UTARA", "KROYA"], n => [n], 0.5, 0.2)?.Name);
        // Nearest by a clear lead, but farther than the limit: nothing.
        Assert.Null(Snapper.Clearest("KRXXXX", ["KROYA", "CILACAP UTARA"], n => [n], 0.5, 0.2));
    }

    [Fact]
    public void Village_snaps_within_its_district()
    {
        var r = Parser.Village("PASAK PlANG", "611203", "6112");
        Assert.Equal("PASAK PIANG", r.Field.Value);
        Assert.Equal("6112032012", r.Region?.Code);
    }

    [Theory]
    [InlineData("CILACAP", "33", "CILACAP", "3301")]
    [InlineData("CILACAR", "33", "CILACAP", "3301")]
    [InlineData("JAKARTA SELATAN", null, "JAKARTA SELATAN", "3174")]
    public void Issue_place_is_the_bare_regency_name(string raw, string? province, string value, string code) =>
        Assert.Equal((value, code), (Parser.IssuePlace(raw, province).Field.Value, Parser.IssuePlace(raw, province).Region?.Code));

    private static void AssertRegion(RegionParse parse, string value, string? code, ParseStatus status)
    {
        Assert.Equal(value, parse.Field.Value);
        Assert.Equal(code, parse.Region?.Code);
        Assert.Equal(status, parse.Field.Status);
    }
}
