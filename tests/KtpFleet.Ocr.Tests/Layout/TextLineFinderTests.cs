using KtpFleet.Ocr.Engine;
using KtpFleet.Ocr.Layout;
using KtpFleet.Ocr.Tests.Recognition;

namespace KtpFleet.Ocr.Tests.Layout;

public sealed class TextLineFinderTests
{
    private const string Sans = RenderedGray.Sans;

    [Fact]
    public void Finds_each_row_of_text_top_to_bottom_with_its_glyphs()
    {
        var page = RenderedGray.Convert(600, 200, "white", "-font", Sans, "-pointsize", "24", "-fill", "black",
            "-annotate", "+20+40", "AGAMA", "-annotate", "+20+100", "STATUS", "-annotate", "+20+160", "WNI");
        var lines = page.With(v => TextLineFinder.Find(v, new PixelRect(0, 0, 600, 200)));
        Assert.Equal(3, lines.Count);
        Assert.True(lines[0].Top < lines[1].Top && lines[1].Top < lines[2].Top);
        Assert.Equal([5, 6, 3], lines.Select(l => l.Glyphs.Count(g => g.Height >= 10)));
    }

    [Fact]
    public void Sensor_noise_between_rows_does_not_merge_them()
    {
        var page = RenderedGray.Convert(600, 200, "white", "-font", Sans, "-pointsize", "24", "-fill", "black",
            "-annotate", "+20+40", "KECAMATAN", "-annotate", "+20+100", "KEL DESA",
            "-seed", "5", "-attenuate", "1.2", "+noise", "Gaussian");
        var lines = page.With(v => TextLineFinder.Find(v, new PixelRect(0, 0, 600, 200)));
        Assert.Equal(2, lines.Count);
        Assert.All(lines, l => Assert.InRange(l.Box.Height, 14, 30));
    }

    [Fact]
    public void A_span_stops_at_a_wide_gap_and_keeps_a_touching_period()
    {
        var page = RenderedGray.Convert(700, 60, "white", "-font", Sans, "-pointsize", "24", "-fill", "black",
            "-annotate", "+20+40", "BARU KP.", "-annotate", "+560+40", "X");
        var line = Assert.Single(page.With(v => TextLineFinder.Find(v, new PixelRect(0, 0, 700, 60))));
        var span = line.Span(0, 700, maxGap: 60)!.Value;
        Assert.True(span.Right < 300, $"the span ran on to the far X (right edge {span.Right})");
        var withoutPeriod = RenderedGray.Convert(700, 60, "white", "-font", Sans, "-pointsize", "24", "-fill", "black", "-annotate", "+20+40", "BARU KP");
        var shorter = Assert.Single(withoutPeriod.With(v => TextLineFinder.Find(v, new PixelRect(0, 0, 700, 60)))).Span(0, 700, 60)!.Value;
        Assert.True(span.Right > shorter.Right + 2, "the period extends the span");
    }
}
