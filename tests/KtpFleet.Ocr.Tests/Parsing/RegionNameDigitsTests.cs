using KtpFleet.Ocr.Parsing;
using KtpFleet.Ocr.Reference;

namespace KtpFleet.Ocr.Tests.Parsing;

public sealed class RegionNameDigitsTests
{
    private static readonly RegionFieldParser Parser = new(RegionTable.Shared);

    [Theory]
    [InlineData("30-04-2023")]
    [InlineData("21 05 2018")]
    public void A_date_read_as_the_issue_place_is_invalid_not_a_free_text_place(string raw)
    {
        var place = Parser.IssuePlace(raw, "33").Field;
        Assert.Equal(ParseStatus.Invalid, place.Status);
        Assert.Null(Parser.IssuePlace(raw, "33").Region);
    }

    [Fact]
    public void A_digit_confused_for_a_letter_inside_a_name_is_still_snapped()
    {
        var place = Parser.IssuePlace("C1LACAP", "33");
        Assert.Equal("CILACAP", place.Field.Value);
        Assert.Equal("3301", place.Region?.Code);
    }
}
