using KtpFleet.Ocr.Reference;

namespace KtpFleet.Ocr.Tests.Reference;

public class CsvTests
{
    [Theory]
    [InlineData("a,b,c", new[] { "a", "b", "c" })]
    [InlineData("1402092010,14.02.09.2010,\"Lambang Sari I, II, III\"", new[] { "1402092010", "14.02.09.2010", "Lambang Sari I, II, III" })]
    [InlineData("x,\"say \"\"hi\"\"\",", new[] { "x", "say \"hi\"", "" })]
    public void Splits_quoted_cells(string line, string[] cells) => Assert.Equal(cells, EmbeddedData.SplitQuoted(line));
}
