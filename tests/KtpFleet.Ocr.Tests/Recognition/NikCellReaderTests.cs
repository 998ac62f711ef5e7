using System.Globalization;
using KtpFleet.Ocr.Engine;
using KtpFleet.Ocr.Recognition;

namespace KtpFleet.Ocr.Tests.Recognition;

public sealed class NikCellReaderTests
{
    private const string OcrA = RenderedGray.OcrA;
    private const string Sans = RenderedGray.Sans;
    private static readonly PixelRect Whole = new(0, 0, 760, 60);

    /// <summary>
    /// A line as a small, noisy capture leaves it after rectification: rendered, shrunk to 40 %, given sensor noise
    /// and JPEG compression at the small size, and enlarged back.
    /// </summary>
    private static RenderedGray NoisyCapture(string label, string value, string font, int seed, double noise) =>
        RenderedGray.Convert(760, 60, "#d4e6f2",
            "-font", Sans, "-pointsize", "26", "-fill", "#161616", "-annotate", "+8+44", label,
            "-font", font, "-pointsize", "30", "-annotate", "+150+46", value,
            "-resize", "40%", "-seed", seed.ToString(CultureInfo.InvariantCulture),
            "-attenuate", noise.ToString(CultureInfo.InvariantCulture), "+noise", "Gaussian",
            "-quality", "55", "-resize", "760x60!");

    [Theory]
    [InlineData("3519141301760007", 1)]
    [InlineData("7202235801760003", 2)]
    [InlineData("1308050301550062", 3)]
    [InlineData("9876543210012345", 4)]
    public void Reads_a_line_too_noisy_to_segment(string nik, int seed)
    {
        var image = NoisyCapture("NIK   :", nik, OcrA, seed, 3.5);
        var segmented = image.With(v => new NikGlyphReader().Read(v, Whole));
        var cells = image.With(v => new NikGlyphReader().ReadCells(v, Whole));

        Assert.NotEqual(nik, segmented?.Digits);
        Assert.NotNull(cells);
        Assert.Equal(nik, cells.Digits);
        Assert.True(cells.FromCells);
        Assert.True(NikCellReader.HoldsNik(cells), $"average {cells.Scores.Average():F2}");
        // The grid starts at the first digit, not at the label's colon.
        Assert.InRange(cells.Box.X, 140, 160);
    }

    [Fact]
    public void Reads_a_clean_sans_line()
    {
        var image = RenderedGray.Convert(760, 60, "#d4e6f2",
            "-font", Sans, "-pointsize", "30", "-fill", "#161616", "-annotate", "+150+46", "3121003009870001");
        var cells = image.With(v => new NikGlyphReader().ReadCells(v, Whole));
        Assert.Equal("3121003009870001", cells?.Digits);
    }

    [Theory]
    [InlineData("JAKARTA TIMUR, 12-05-1990", 1)]
    [InlineData("JL. KEBON JERUK RAYA NO. 21", 2)]
    [InlineData("PEGAWAI NEGERI SIPIL", 3)]
    public void A_line_of_words_does_not_hold_a_nik(string words, int seed)
    {
        var image = NoisyCapture("Nama   :", words, Sans, seed, 3.5);
        var cells = image.With(v => new NikGlyphReader().ReadCells(v, Whole));
        Assert.False(cells is not null && NikCellReader.HoldsNik(cells), $"average {cells?.Scores.Average():F2}");
    }

    [Fact]
    public void Gives_up_on_a_region_too_short_for_sixteen_digits()
    {
        var image = RenderedGray.Convert(120, 60, "#d4e6f2",
            "-font", OcrA, "-pointsize", "30", "-fill", "#161616", "-annotate", "+4+46", "3519");
        Assert.Null(image.With(v => new NikGlyphReader().ReadCells(v, new PixelRect(0, 0, 120, 60))));
    }

    [Fact]
    public void A_cell_reading_is_never_certain()
    {
        PixelRect box = new(0, 0, 300, 30);
        var scores = Enumerable.Repeat(0.95, 16).ToList();
        var margins = Enumerable.Repeat(0.3, 16).ToList();
        var segmented = new NikGlyphReading("3519141301760007", scores, margins, "ocra", box);
        var cells = segmented with { FromCells = true };

        Assert.True(segmented.Decisive);
        Assert.False(cells.Decisive);
        Assert.Equal(100, FieldRecognizer.GlyphConfidence(segmented));
        Assert.Equal(FieldRecognizer.CellReadingConfidence, FieldRecognizer.GlyphConfidence(cells));
    }
}
