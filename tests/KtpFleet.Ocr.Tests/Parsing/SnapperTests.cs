using FsCheck;
using FsCheck.Fluent;
using KtpFleet.Ocr.Parsing;
using KtpFleet.Ocr.Reference;

namespace KtpFleet.Ocr.Tests.Parsing;

public class SnapperTests
{
    private static readonly IReadOnlyList<string> Occupations = Vocabulary.Shared.Occupations;

    [Theory]
    [InlineData("WIRASWASTA", "WIRASWASTA")]
    [InlineData("WlRASWASTA", "WIRASWASTA")]
    [InlineData("WIRASWAST", "WIRASWASTA")]
    [InlineData("PELAJAR/MAHASlSWA", "PELAJAR/MAHASISWA")]
    [InlineData("KARYAWAN SWASTA", "KARYAWAN SWASTA")]
    [InlineData("KARYAWAN SVVASTA", "KARYAWAN SWASTA")]
    [InlineData("PEGAWAI NEGERI SIPIL", "PEGAWAI NEGERI SIPIL")]
    public void Snaps_close_readings(string read, string expected)
    {
        var match = Snapper.Best(read, Occupations);
        Assert.NotNull(match);
        Assert.Equal(expected, match.Name);
        Assert.InRange(match.Similarity, 0.8, 1.0);
    }

    [Theory]
    [InlineData("KARYAWAN")]
    [InlineData("PROGRAMMER")]
    [InlineData("ANGSANA RAYA")]
    public void Keeps_far_values_unsnapped(string read) =>
        Assert.Null(Snapper.Best(read, [.. Occupations, "ANGSANA", "ANGSANAH"]));

    [Fact]
    public void Equally_near_different_names_are_ambiguous() =>
        Assert.Null(Snapper.Best("KAXIN", ["KAWIN", "KAYIN"]));

    [Fact]
    public void Reports_distance_and_similarity()
    {
        var match = Snapper.Best("1SLAM", ["ISLAM", "HINDU"])!;
        Assert.Equal(0.4, match.Distance, 6);
        Assert.Equal(1 - 0.4 / 5, match.Similarity, 6);
    }

    private static readonly Gen<string> Word =
        Gen.Elements("ABDEIKLMNOSTUW015 ".ToCharArray()).ArrayOf().Select(cs => new string(cs).Trim());

    [Fact]
    public void Never_snaps_farther_than_its_threshold() =>
        PropertyCheck.Holds(Gen.Zip(Word, Word.ListOf().Select(l => l.ToArray())), p =>
        {
            var (read, vocabulary) = p;
            var match = Snapper.Best(read, vocabulary);
            if (match is null) return true;
            var d = OcrEditDistance.Distance(read, match.Name);
            return vocabulary.Contains(match.Name)
                && Math.Abs(d - match.Distance) < 1e-9
                && d <= Snapper.Threshold(read.Length, match.Name.Length)
                && vocabulary.All(v => OcrEditDistance.Distance(read, v) >= d - 1e-9);
        }, 500);

    [Fact]
    public void A_vocabulary_entry_always_snaps_to_itself() =>
        PropertyCheck.Holds(Word.NonEmptyListOf().Select(l => l.Where(w => w.Length > 0).Distinct().ToArray()).Where(a => a.Length > 0), vocabulary =>
            vocabulary.All(v => Snapper.Best(v, vocabulary) is { Distance: 0 } m && m.Name == v));
}
