using KtpFleet.Ocr.Parsing;

namespace KtpFleet.Ocr.Tests.Parsing;

public class TextCleanupTests
{
    [Theory]
    [InlineData(": KAWIN", "KAWIN", Change.LabelRemoved)]
    [InlineData("Status Perkawinan: KAWIN", "KAWIN", Change.LabelRemoved)]
    [InlineData("Status Perkawinan KAWIN", "KAWIN", Change.LabelRemoved)]
    [InlineData("| KAWIN !", "KAWIN", Change.StrayCharsRemoved)]
    [InlineData("KAWIN  \n", "KAWIN", null)]
    [InlineData("belum   kawin", "BELUM KAWIN", Change.UpperCased)]
    public void Cleans(string raw, string expected, string? change)
    {
        var changes = new List<string>();
        Assert.Equal(expected, TextCleanup.Clean(raw, ["STATUS PERKAWINAN"], changes));
        if (change is not null) Assert.Contains(change, changes);
    }

    [Theory]
    [InlineData("amat : JL. MERDEKA", "JL. MERDEKA")]
    [InlineData("Alamat: JL. MERDEKA", "JL. MERDEKA")]
    [InlineData("JL. MERDEKA: NO 5", "JL. MERDEKA: NO 5")]
    public void Only_labels_or_their_tails_before_a_colon_are_removed(string raw, string expected) =>
        Assert.Equal(expected, TextCleanup.Clean(raw, ["ALAMAT"], []));

    [Fact]
    public void Digits_before_a_colon_are_not_a_label()
    {
        var changes = new List<string>();
        Assert.Equal("12:30", TextCleanup.Clean("12:30", [], changes));
    }
}
