using KtpFleet.Ocr.Engine;
using KtpFleet.Ocr.Recognition;

namespace KtpFleet.Ocr.Tests.Recognition;

public sealed class BloodTypeReaderTests
{
    private static readonly BloodTypeReader Reader = new();

    /// <summary>
    /// The value after "Gol. Darah" at a photo card's size (cap height ~12 px on the 1000-px card), from the colon
    /// on; the row box is the cap height of the label, as the locator measures it.
    /// </summary>
    private static BloodTypeReading? Read(string value, double blur, string ink = "#151515")
    {
        var line = RenderedGray.Convert(80, 30, "white", "-font", RenderedGray.Sans, "-pointsize", "17", "-fill", ink,
            "-annotate", "+4+21", ":", "-annotate", "+16+21", value, "-blur", $"0x{blur}");
        var row = new PixelRect(0, 9, 80, 12);
        return line.With(v => Reader.Read(v, new PixelRect(12, 4, 60, 22), row));
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(1.2)]
    public void A_hyphen_is_read_sharp_or_blurred_square(double blur)
    {
        Assert.Equal("-", Read("-", blur)?.Text);
        // Light print: the same, thresholded in its own region.
        Assert.Equal("-", Read("-", blur, ink: "#9a9a9a")?.Text);
    }

    [Fact]
    public void A_dash_is_certain_only_as_the_one_mark_there()
    {
        Assert.Equal(1, Read("-", 0.5)?.MinScore);
        var dash = new InkComponent(10, 8, 7, 2, 14);
        // Specks of background texture beside it do not matter; the fragments of a letter broken up by noise do.
        Assert.True(BloodTypeReader.IsLoneMark(dash, [dash, new InkComponent(30, 2, 2, 2, 4)]));
        Assert.False(BloodTypeReader.IsLoneMark(dash, [new InkComponent(12, 1, 3, 3, 8), dash, new InkComponent(13, 12, 3, 3, 9)]));
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(1.2)]
    public void A_lone_mark_at_a_dashs_height_is_a_certain_dash_only_when_dark(double blur)
    {
        // Blurred, the dash is square rather than flat; its height still tells it from a colon's dot.
        Assert.Equal(1, Read("-", blur)?.MinScore);
        // As faint as what is left of a faded letter's core: still a dash, but not a certain one.
        var faint = Read("-", blur, ink: "#dedede");
        Assert.Equal("-", faint?.Text);
        Assert.True(faint!.MinScore < 1, $"a faint mark read at {faint.MinScore}");
    }

    [Theory]
    [InlineData("A", 1.2)]
    [InlineData("B", 1.0)]
    [InlineData("O", 1.2)]
    public void A_rhesus_dash_printed_lighter_than_its_letter_is_read(string letter, double blur)
    {
        // The dash a few pixels after the letter, as on a 1000-px card, and printed lighter: too light for the
        // letter's dark core once blurred.
        var line = RenderedGray.Convert(80, 30, "white", "-font", RenderedGray.Sans, "-pointsize", "17",
            "-fill", "#151515", "-annotate", "+4+21", ":", "-annotate", "+16+21", letter,
            "-fill", "#505050", "-annotate", "+32+21", "-", "-blur", $"0x{blur}");
        var reading = line.With(v => Reader.Read(v, new PixelRect(12, 4, 60, 22), new PixelRect(0, 9, 80, 12)));
        Assert.Equal(letter + "-", reading?.Text);
    }

    [Fact]
    public void Specks_after_a_letter_are_no_rhesus_dash()
    {
        var line = RenderedGray.Convert(80, 30, "white", "-font", RenderedGray.Sans, "-pointsize", "17",
            "-fill", "#151515", "-annotate", "+4+21", ":", "-annotate", "+16+21", "A",
            "-fill", "#b4b4b4", "-draw", "rectangle 31,15 33,16", "-draw", "rectangle 37,13 38,15", "-blur", "0x1.2");
        var reading = line.With(v => Reader.Read(v, new PixelRect(12, 4, 60, 22), new PixelRect(0, 9, 80, 12)));
        Assert.Equal("A", reading?.Text);
    }

    [Fact]
    public void A_colon_dot_alone_is_no_blood_type()
    {
        // The region starts left of the colon: its two dots are level with neither hyphen nor letter.
        var line = RenderedGray.Convert(80, 30, "white", "-font", RenderedGray.Sans, "-pointsize", "17", "-fill", "#151515",
            "-annotate", "+4+21", ":", "-blur", "0x1.2");
        Assert.Null(line.With(v => Reader.Read(v, new PixelRect(0, 4, 40, 22), new PixelRect(0, 9, 80, 12))));
    }

    [Fact]
    public void A_faint_dash_is_read_with_the_colon_in_its_region()
    {
        // The row lost both: the region after the label holds the colon's two dots and the dash.
        var line = RenderedGray.Convert(80, 30, "white", "-font", RenderedGray.Sans, "-pointsize", "17", "-fill", "#9a9a9a",
            "-annotate", "+4+21", ":", "-annotate", "+16+21", "-", "-blur", "0x1.0");
        Assert.Equal("-", line.With(v => Reader.Read(v, new PixelRect(0, 4, 60, 22), new PixelRect(0, 9, 80, 12)))?.Text);
    }

    [Fact]
    public void A_letter_tall_blob_that_fits_no_glyph_is_no_letter_and_leaves_no_dash_certain()
    {
        // A stain as tall as a letter (a ring, no letter of the alphabet) beside a dash: the dash is read, never
        // certain; alone, the stain reads as nothing (it was read "+").
        var withDash = RenderedGray.Convert(80, 30, "white", "-fill", "none", "-stroke", "#151515", "-strokewidth", "1",
            "-draw", "line 14,9 26,21 line 14,21 20,15 line 22,9 26,13", "-stroke", "none", "-fill", "#151515",
            "-draw", "rectangle 34,15 40,17");
        var dash = withDash.With(v => Reader.Read(v, new PixelRect(10, 4, 60, 22), new PixelRect(0, 9, 80, 12)));
        Assert.Equal("-", dash?.Text);
        Assert.True(dash!.MinScore < 1, $"the dash read at {dash.MinScore}");
        var alone = RenderedGray.Convert(80, 30, "white", "-fill", "none", "-stroke", "#151515", "-strokewidth", "1",
            "-draw", "line 14,9 26,21 line 14,21 20,15 line 22,9 26,13");
        Assert.Null(alone.With(v => Reader.Read(v, new PixelRect(10, 4, 40, 22), new PixelRect(0, 9, 80, 12))));
    }

    [Theory]
    [InlineData("O")]
    [InlineData("AB")]
    public void Letters_are_read_by_their_shapes(string value) => Assert.Equal(value, Read(value, 0.6)?.Text);

    [Theory]
    [InlineData("AB", 1.2)]
    [InlineData("AB", 1.4)]
    public void A_value_the_glyphs_cannot_part_is_read_by_its_whole_shape(string value, double blur)
    {
        var line = RenderedGray.Convert(80, 30, "white", "-font", RenderedGray.Sans, "-pointsize", "17", "-fill", "#151515",
            "-annotate", "+4+21", ":", "-annotate", "+16+21", value, "-blur", $"0x{blur}");
        var glyphs = line.With(v => Reader.Read(v, new PixelRect(12, 4, 60, 22), new PixelRect(0, 9, 80, 12)));
        var glyphConfidence = glyphs is null ? 0 : FieldRecognizer.GlyphConfidence(glyphs.MinScore, glyphs.MinMargin);
        using var engine = TesseractEngine.Create(TessdataSet.Load());
        var field = line.With(v => new FieldRecognizer().ReadBloodType(engine, v, new PixelRect(16, 9, 50, 12)));
        Assert.True(glyphs?.Text != value || glyphConfidence < 50, $"glyphs read {glyphs?.Text} at {glyphConfidence}");
        Assert.Equal(value, field.Text);
        Assert.Equal(FieldRecognizer.ShapeGuessConfidence, field.MeanWordConfidence);
    }
}
