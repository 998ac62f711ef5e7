using FsCheck;
using FsCheck.Fluent;
using KtpFleet.Ocr.Parsing;

namespace KtpFleet.Ocr.Tests.Parsing;

public class OcrEditDistanceTests
{
    [Theory]
    [InlineData("ISLAM", "ISLAM", 0)]
    [InlineData("ISLAM", "islam", 0)]
    [InlineData("1SLAM", "ISLAM", 0.4)]
    [InlineData("KAWlN", "KAWIN", 0.4)]
    [InlineData("B0G0R", "BOGOR", 0.8)]
    [InlineData("SEMARANG", "SEMARANG", 0)]
    [InlineData("SEIVIARANG", "SEMARANG", 3.0)]
    [InlineData("KARNPUNG", "KAMPUNG", 0.5)]
    [InlineData("LAKI LAKI", "LAKI-LAKI", 0.5)]
    [InlineData("KAWIN", "KAWAN", 1)]
    [InlineData("", "ABC", 3)]
    [InlineData("JAWA TENGAH", "JAWATENGAH", 0.5)]
    public void Known_distances(string a, string b, double expected) =>
        Assert.Equal(expected, OcrEditDistance.Distance(a, b), 6);

    [Fact]
    public void Confusions_are_cheaper_than_other_substitutions()
    {
        Assert.True(OcrEditDistance.Distance("5ETIAWAN", "SETIAWAN") < OcrEditDistance.Distance("XETIAWAN", "SETIAWAN"));
        Assert.True(OcrEditDistance.Distance("8UDI", "BUDI") < OcrEditDistance.Distance("RUDI", "BUDI"));
    }

    [Fact]
    public void Limit_cuts_off_only_distances_above_it()
    {
        Assert.Equal(double.PositiveInfinity, OcrEditDistance.Distance("KEBUMEN", "BANYUWANGI", 2));
        Assert.Equal(0.4, OcrEditDistance.Distance("KEBUMEN", "KE8UMEN", 2), 6);
    }

    private static readonly Gen<string> Words =
        Gen.Elements("O0DQI1L|SBZ8G6A4TRNMVWCE- .".ToCharArray()).ArrayOf().Select(cs => new string(cs));

    [Fact]
    public void Is_symmetric_zero_on_self_and_never_above_plain_levenshtein() =>
        PropertyCheck.Holds(Gen.Two(Words), p =>
        {
            var (a, b) = p;
            var d = OcrEditDistance.Distance(a, b);
            return Math.Abs(d - OcrEditDistance.Distance(b, a)) < 1e-9
                && OcrEditDistance.Distance(a, a) == 0
                && d <= Levenshtein(a, b) + 1e-9
                && (d == 0) == string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
        }, 500);

    [Fact]
    public void Bounded_distance_agrees_with_unbounded_within_the_limit() =>
        PropertyCheck.Holds(Gen.Zip(Gen.Two(Words), Gen.Choose(0, 8)), p =>
        {
            var ((a, b), limit) = p;
            var full = OcrEditDistance.Distance(a, b);
            var bounded = OcrEditDistance.Distance(a, b, limit);
            return full <= limit ? Math.Abs(full - bounded) < 1e-9 : double.IsPositiveInfinity(bounded);
        }, 500);

    private static int Levenshtein(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
            for (var j = 1; j <= b.Length; j++)
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1),
                    d[i - 1, j - 1] + (char.ToUpperInvariant(a[i - 1]) == char.ToUpperInvariant(b[j - 1]) ? 0 : 1));
        return d[a.Length, b.Length];
    }
}
