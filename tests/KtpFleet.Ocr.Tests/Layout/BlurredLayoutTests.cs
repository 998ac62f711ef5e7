using KtpFleet.Ocr.Engine;
using KtpFleet.Ocr.Layout;
using KtpFleet.Ocr.Tests.Recognition;

namespace KtpFleet.Ocr.Tests.Layout;

/// <summary>
/// Layout cues that must survive the blur of a small card in a photo: words fused into one blob, a lost colon dot,
/// a blurred "-" as small and square as a dot.
/// </summary>
public sealed class BlurredLayoutTests
{
    private const string Sans = RenderedGray.Sans;

    [Fact]
    public void A_word_fused_by_blur_in_a_narrow_region_stays_on_its_line()
    {
        // The region under the photo is ~270 px wide; a blurred "LAMPUNG" fuses into one blob wider than a third of it.
        var strip = RenderedGray.Convert(270, 60, "white", "-font", Sans, "-pointsize", "22", "-fill", "black",
            "-kerning", "-2", "-stroke", "black", "-strokewidth", "2", "-annotate", "+20+38", "LAMPUNG TIMUR", "-blur", "0x1");
        var lines = strip.With(v => TextLineFinder.Find(v, new PixelRect(0, 0, 270, 60), maxGlyphHeight: 40));
        var line = Assert.Single(lines);
        Assert.True(line.Glyphs.Any(g => g.Width > 90), "the test needs a fused word wider than a third of the region");
        Assert.InRange(line.Box.X, 15, 25);
        Assert.InRange(line.Box.Right, 180, 250);
        Assert.True(FieldLocator.IsLetterRow(line));
    }

    [Fact]
    public void A_speckled_edge_is_not_a_row_of_letters_but_a_fused_short_word_is()
    {
        // 20 px row: a few letter-tall blobs among many specks (the photo's bottom edge under noise) ...
        var specks = Enumerable.Range(0, 24).Select(i => new PixelRect(10 + i * 7, 12, 3, 3))
            .Concat(Enumerable.Range(0, 5).Select(i => new PixelRect(20 + i * 30, 2, 6, 16))).OrderBy(g => g.X).ToList();
        Assert.False(FieldLocator.IsLetterRow(new TextLine(new PixelRect(10, 2, 170, 18), specks)));
        // ... and "PALU" blurred into one blob of letter height.
        Assert.True(FieldLocator.IsLetterRow(new TextLine(new PixelRect(790, 440, 60, 16), [new PixelRect(790, 440, 60, 16)])));
        // A lone mark is not a row.
        Assert.False(FieldLocator.IsLetterRow(new TextLine(new PixelRect(0, 0, 12, 16), [new PixelRect(0, 0, 12, 16)])));
    }

    [Fact]
    public void The_blood_type_follows_the_colon_whose_dots_stand_one_above_the_other()
    {
        // "Gol." "Dar" "ah", colon (two dots), a blurred "-" as small and square as a dot.
        PixelRect[] glyphs = [new(504, 237, 36, 17), new(553, 238, 34, 16), new(590, 237, 24, 17),
            new(628, 242, 3, 3), new(628, 250, 2, 2), new(641, 245, 5, 4)];
        var value = FieldLocator.BloodTypeGlyphs(glyphs, new PixelRect(504, 237, 150, 17));
        Assert.Equal([new PixelRect(641, 245, 5, 4)], value);
    }

    [Theory]
    [InlineData(618, 20)] // "O" after "Darah", the colon lost in the blur
    [InlineData(642, 6)]  // "-" alone
    public void Without_a_colon_the_blood_type_is_what_follows_the_last_word_gap(int x, int width)
    {
        PixelRect[] glyphs = [new(488, 235, 34, 17), new(534, 234, 36, 18), new(571, 234, 24, 18), new(x, 240, width, width < 10 ? 4 : 18)];
        var value = FieldLocator.BloodTypeGlyphs(glyphs, new PixelRect(488, 234, 170, 22));
        Assert.Equal(x, Assert.Single(value).X);
    }

    [Fact]
    public void A_lone_square_blob_at_a_hyphens_height_is_the_value_not_the_colon()
    {
        // Row 234..256: a colon's dots are centred at ~0.35 and ~0.9 of it, a hyphen at ~0.62.
        var row = new PixelRect(488, 234, 170, 22);
        PixelRect[] label = [new(488, 235, 34, 17), new(534, 234, 36, 18), new(571, 234, 24, 18)];
        Assert.Equal(642, Assert.Single(FieldLocator.BloodTypeGlyphs([.. label, new(642, 246, 4, 4)], row)).X);
        Assert.Empty(FieldLocator.BloodTypeGlyphs([.. label, new(642, 240, 4, 4)], row));
        Assert.Empty(FieldLocator.BloodTypeGlyphs([.. label, new(642, 252, 4, 4)], row));
    }

    [Fact]
    public void No_value_is_made_up_when_only_a_colon_dot_follows_the_label()
    {
        PixelRect[] glyphs = [new(488, 235, 34, 17), new(534, 234, 36, 18), new(571, 234, 24, 18), new(612, 240, 4, 4)];
        Assert.Empty(FieldLocator.BloodTypeGlyphs(glyphs, new PixelRect(488, 234, 170, 22)));
        // Nor when the label's own letters are all there is.
        Assert.Empty(FieldLocator.BloodTypeGlyphs(glyphs[..3], new PixelRect(488, 234, 170, 22)));
    }
}
