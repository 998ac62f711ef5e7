using KtpFleet.Ocr.Engine;
using KtpFleet.Ocr.Recognition;

namespace KtpFleet.Ocr.Tests.Recognition;

public sealed class FormattedDigitReaderTests
{
    private const string Nimbus = "/usr/share/fonts/opentype/urw-base35/NimbusSans-Regular.otf";
    private static readonly FormattedDigitReader Reader = new();

    /// <summary>
    /// ": TEXT" at the size values have on the rectified 1000-px card (cap height ~14 px), blurred as a photo's
    /// print is after rectification (σ 1 px fuses neighbouring digits).
    /// </summary>
    private static RenderedGray Render(string text, string font = RenderedGray.Sans, double blur = 1.0) =>
        RenderedGray.Convert(460, 34, "white", "-font", font, "-pointsize", "20", "-fill", "#151515",
            "-annotate", "+4+23", ":", "-annotate", "+24+23", text, "-blur", $"0x{blur}");

    private static FormattedDigitReading? Read(RenderedGray line, string format, bool atLineEnd = false) =>
        line.With(v => Reader.Read(v, new PixelRect(0, 0, v.Width, v.Height), 22, format, atLineEnd));

    [Theory]
    [InlineData("12-08-1990")]
    [InlineData("31-01-2017")]
    [InlineData("07-11-1966")]
    [InlineData("29-02-2004")]
    public void Dates_are_read_digit_by_digit_in_both_fonts(string date)
    {
        foreach (var font in new[] { RenderedGray.Sans, Nimbus })
        {
            // A sharp render: read right, and in Liberation Sans sure enough to skip Tesseract (in Nimbus Sans a digit
            // may lead its runner-up by less than the decisive 0.07, and such a date goes to Tesseract).
            var reading = Read(Render(date, font, blur: 0), FormattedDigitReader.DateFormat);
            Assert.NotNull(reading);
            Assert.Equal(date, reading.Text);
            if (font == RenderedGray.Sans)
                Assert.True(reading.IsDecisive, $"{date}: weakest {reading.MinScore:F3}, lead {reading.MinMargin:F3}");
            // Soft print and photo blur (digits fused): still read right where the font puts them, decisive or not.
            foreach (var blur in new[] { 0.6, 1.0 })
                Assert.Equal(date, Read(Render(date, font, blur: blur), FormattedDigitReader.DateFormat)?.Text);
        }
    }

    [Theory]
    [InlineData("003/012")]
    [InlineData("018/001")]
    [InlineData("110/047")]
    public void Rt_rw_values_are_read_digit_by_digit(string rtRw)
    {
        // Read right sharp, soft and photo-blurred. Whether a reading is decisive is measured on rendered cards by the
        // benchmark: a footed Liberation '1' fits its template at ~0.6 in these 20-pt renders, under the decisive 0.65.
        foreach (var blur in new[] { 0, 0.6, 1.0 })
            Assert.Equal(rtRw, Read(Render(rtRw, blur: blur), FormattedDigitReader.RtRwFormat)?.Text);
    }

    [Fact]
    public void The_date_after_the_birthplace_is_found_at_the_end_of_the_line()
    {
        var line = Render("PANGKALAN BUN, 17-08-1975");
        var reading = Read(line, FormattedDigitReader.DateFormat, atLineEnd: true);
        Assert.NotNull(reading);
        Assert.Equal("17-08-1975", reading.Text);
        // The birthplace ends where its last letter does: before the comma, left of the date.
        Assert.NotNull(reading.TextBeforeRight);
        Assert.True(reading.TextBeforeRight < reading.Box.X - 4, $"text before ends at {reading.TextBeforeRight}, date starts at {reading.Box.X}");
        Assert.True(reading.TextBeforeRight > reading.Box.X - 30);
    }

    [Theory]
    [InlineData("SEUMUR HIDUP", FormattedDigitReader.DateFormat)]
    [InlineData("1234567890", FormattedDigitReader.DateFormat)]
    [InlineData("12-08-1990", FormattedDigitReader.RtRwFormat)]
    [InlineData("003 012", FormattedDigitReader.RtRwFormat)]
    public void Text_not_in_the_format_is_not_read(string text, string format)
    {
        var reading = Read(Render(text), format);
        Assert.False(reading is { IsDecisive: true }, $"'{text}' read as {reading?.Text}");
    }
}
