using System.Globalization;
using KtpFleet.Ocr.Engine;
using KtpFleet.Ocr.Recognition;

namespace KtpFleet.Ocr.Tests.Recognition;

public sealed class FormattedCellReaderTests
{
    private static readonly FormattedCellReader Reader = new();

    /// <summary>
    /// ": TEXT" as a phone photo of a card ~600 px wide leaves a value after rectification to 1000 px: rendered at the
    /// canonical size, shrunk to 60 %, blurred (σ 0.6 px there), given sensor noise and JPEG compression, and enlarged back.
    /// </summary>
    private static RenderedGray SmallCapture(string text, double blur, int seed) =>
        RenderedGray.Convert(460, 34, "white", "-font", RenderedGray.Sans, "-pointsize", "20", "-fill", "#151515",
            "-annotate", "+4+23", ":", "-annotate", "+24+23", text,
            "-resize", "60%", "-blur", $"0x{blur.ToString(CultureInfo.InvariantCulture)}",
            "-seed", seed.ToString(CultureInfo.InvariantCulture), "-attenuate", "0.6", "+noise", "Gaussian",
            "-quality", "60", "-resize", "460x34!");

    private static FormattedDigitReading? Read(RenderedGray line, string format) =>
        line.With(v => Reader.Read(v, new PixelRect(0, 0, v.Width, v.Height), format));

    [Theory]
    [InlineData("13-01-1976", 1)]
    [InlineData("22-12-2013", 2)]
    [InlineData("30-05-2023", 3)]
    [InlineData("09-08-1988", 4)]
    public void Blurred_dates_are_read_where_the_format_puts_each_digit(string date, int seed)
    {
        var line = SmallCapture(date, 0.6, seed);
        var cells = Read(line, FormattedDigitReader.DateFormat);
        Assert.NotNull(cells);
        Assert.Equal(date, cells.Text);
        // The blob reader is not sure of these (the case the cells are read for).
        var blobs = line.With(v => new FormattedDigitReader().Read(v, new PixelRect(0, 0, v.Width, v.Height), 22, FormattedDigitReader.DateFormat));
        Assert.False(blobs is { IsDecisive: true }, $"blob reader decisive: {blobs?.Text}");
        // The grid starts at the first digit, not at the colon (20 px left of it in the render).
        Assert.InRange(cells.Box.X, 20, 28);
    }

    [Theory]
    [InlineData("003/010", 1)]
    [InlineData("029/009", 2)]
    [InlineData("001/003", 3)]
    [InlineData("018/007", 4)]
    public void Blurred_rt_rw_values_are_read(string rtRw, int seed) =>
        Assert.Equal(rtRw, Read(SmallCapture(rtRw, 0.6, seed), FormattedDigitReader.RtRwFormat)?.Text);

    [Fact]
    public void The_date_after_a_birthplace_is_found_in_the_line()
    {
        var reading = Read(SmallCapture("PANGKALAN BUN, 17-08-1975", 0.6, 5), FormattedDigitReader.DateFormat);
        Assert.Equal("17-08-1975", reading?.Text);
    }

    [Fact]
    public void Sharp_print_reads_firm_and_words_do_not()
    {
        var sharp = RenderedGray.Convert(460, 34, "white", "-font", RenderedGray.Sans, "-pointsize", "20", "-fill", "#151515",
            "-annotate", "+24+23", "27-07-2020");
        var date = Read(sharp, FormattedDigitReader.DateFormat);
        Assert.NotNull(date);
        Assert.Equal("27-07-2020", date.Text);
        Assert.True(FormattedCellReader.IsFirm(date), $"weakest {date.MinScore:F2}, lead {date.MinMargin:F3}");

        var words = Read(SmallCapture("SEUMUR HIDUP", 0.6, 6), FormattedDigitReader.DateFormat);
        Assert.False(words is not null && FormattedCellReader.IsFirm(words), $"words read as {words?.Text} ({words?.MinScore:F2}/{words?.MinMargin:F3})");
    }

    [Fact]
    public void Digits_sit_at_arial_advances()
    {
        // A hyphen is 0.333 em and a digit 0.556 em: the third digit of a date starts 2.6 digit advances in.
        var date = FormattedCellReader.DigitOffsets(FormattedDigitReader.DateFormat);
        Assert.Equal(8, date.Length);
        Assert.Equal(2 + 0.333 / 0.556, date[2], 6);
        Assert.Equal(7 + 2 * 0.333 / 0.556, date[^1], 6);
        var rtRw = FormattedCellReader.DigitOffsets(FormattedDigitReader.RtRwFormat);
        Assert.Equal(3 + 0.278 / 0.556, rtRw[3], 6);
        Assert.Throws<ArgumentException>(() => FormattedCellReader.DigitOffsets("00.00"));
    }

    [Theory]
    [InlineData(FormattedDigitReader.DateFormat)]
    [InlineData(FormattedDigitReader.RtRwFormat)]
    public void Too_few_digits_for_the_format_read_nothing(string format)
    {
        // Two digits and blank paper: some cells of any grid lie over paper with no ink at all.
        var sharp = RenderedGray.Convert(460, 34, "white", "-font", RenderedGray.Sans, "-pointsize", "20", "-fill", "#151515",
            "-annotate", "+24+23", "12");
        Assert.Null(Read(sharp, format));
        Assert.Null(Read(RenderedGray.Convert(460, 34, "white"), format));
    }
}
