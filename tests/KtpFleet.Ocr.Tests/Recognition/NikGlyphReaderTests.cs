using KtpFleet.Ocr.Engine;
using KtpFleet.Ocr.Recognition;

namespace KtpFleet.Ocr.Tests.Recognition;

public sealed class NikGlyphReaderTests
{
    private const string OcrA = RenderedGray.OcrA;
    private const string Sans = RenderedGray.Sans;
    private const string SansBold = "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf";

    private static RenderedGray RenderNik(string nik, string font, int pointSize, params string[] effects) =>
        RenderedGray.Convert(620, 60, "#d4e6f2",
            ["-font", font, "-pointsize", pointSize.ToString(), "-fill", "#161616", "-annotate", "+12+44", nik, .. effects]);

    [Theory]
    [InlineData("9876543210012345", OcrA, 30)]
    [InlineData("6112032206820000", OcrA, 26)]
    [InlineData("3174062508900013", OcrA, 22)]
    [InlineData("1203455110950007", Sans, 30)]
    [InlineData("3121003009870001", Sans, 26)]
    [InlineData("5271014107880003", SansBold, 28)]
    public void Reads_every_digit_of_a_clean_line(string nik, string font, int size)
    {
        var image = RenderNik(nik, font, size);
        var reading = image.With(v => new NikGlyphReader().Read(v, new PixelRect(0, 0, v.Width, v.Height)));
        Assert.NotNull(reading);
        Assert.Equal(nik, reading.Digits);
        Assert.True(reading.MinMargin > 0, $"margin {reading.MinMargin}");
    }

    [Theory]
    [InlineData("9876543210012345", "-blur", "0x1.2")]
    [InlineData("6112032206820000", "-attenuate", "0.6", "+noise", "Gaussian")]
    [InlineData("8800664422119977", "-resize", "60%", "-resize", "166.7%")]
    public void Reads_a_degraded_ocr_a_line(string nik, params string[] effects)
    {
        var image = RenderNik(nik, OcrA, 28, ["-seed", "7", .. effects]);
        var reading = image.With(v => new NikGlyphReader().Read(v, new PixelRect(0, 0, v.Width, v.Height)));
        Assert.NotNull(reading);
        Assert.Equal(nik, reading.Digits);
    }

    [Fact]
    public void Ignores_the_label_and_colon_before_the_digits()
    {
        var image = RenderedGray.Convert(820, 60, "#d4e6f2",
            "-font", Sans, "-pointsize", "28", "-fill", "#161616", "-annotate", "+8+44", "NIK   :",
            "-font", OcrA, "-pointsize", "28", "-annotate", "+180+44", "3273012309910002");
        var reading = image.With(v => new NikGlyphReader().Read(v, new PixelRect(0, 0, v.Width, v.Height)));
        Assert.NotNull(reading);
        Assert.Equal("3273012309910002", reading.Digits);
        Assert.InRange(reading.Box.X, 170, 190);
    }

    [Fact]
    public void Gives_up_on_a_line_without_sixteen_glyphs()
    {
        var image = RenderNik("12345", OcrA, 28);
        var reading = image.With(v => new NikGlyphReader().Read(v, new PixelRect(0, 0, v.Width, v.Height)));
        Assert.Null(reading);
    }
}
