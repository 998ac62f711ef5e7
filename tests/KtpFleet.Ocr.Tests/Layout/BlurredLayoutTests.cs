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
        // A colon's dot blurred wider than tall is still a dot there, not a hyphen.
        Assert.Empty(FieldLocator.BloodTypeGlyphs([.. label, new(642, 240, 5, 3)], row));
    }

    [Fact]
    public void Two_stacked_specks_inside_the_label_are_no_colon()
    {
        // "Gol." "Dar", the end of "ah" broken by blur into stacked specks, then the value "A" after a wide gap
        // (seen on a training photo: the specks taken for the colon gave "A+A").
        PixelRect[] glyphs = [new(502, 233, 10, 18), new(512, 234, 25, 16), new(551, 233, 15, 18), new(568, 243, 6, 6),
            new(581, 239, 3, 4), new(581, 244, 2, 4), new(589, 244, 3, 4), new(643, 237, 12, 10)];
        Assert.Equal(643, Assert.Single(FieldLocator.BloodTypeGlyphs(glyphs, new PixelRect(47, 233, 608, 18))).X);
    }

    [Fact]
    public void A_blurred_colons_dots_may_be_wider_than_tall_and_a_speck_past_the_value_is_not_it()
    {
        // Bold "Gol." "Dar" "ah", a colon whose lower dot blur made 5 x 3, "O".
        PixelRect[] bold = [new(489, 231, 46, 18), new(539, 232, 37, 18), new(576, 233, 26, 17), new(614, 238, 4, 3),
            new(614, 246, 5, 3), new(626, 231, 18, 19)];
        Assert.Equal(626, Assert.Single(FieldLocator.BloodTypeGlyphs(bold, new PixelRect(35, 233, 609, 18))).X);
        // No colon, "O", and a speck of texture beyond it, level with no hyphen.
        PixelRect[] speck = [new(500, 232, 14, 12), new(508, 233, 27, 17), new(548, 231, 33, 18), new(584, 232, 25, 15),
            new(626, 234, 2, 3), new(637, 231, 20, 17), new(697, 234, 2, 3)];
        Assert.Equal(637, Assert.Single(FieldLocator.BloodTypeGlyphs(speck, new PixelRect(35, 231, 660, 19))).X);
    }

    [Fact]
    public void A_full_label_and_nothing_after_it_points_the_reader_past_the_label()
    {
        // Bold "Gol" "Dar" "ah": the faint ": -" did not survive the row's threshold.
        PixelRect[] label = [new(511, 235, 35, 16), new(553, 235, 35, 16), new(589, 236, 24, 15)];
        Assert.Empty(FieldLocator.BloodTypeGlyphs(label, new PixelRect(58, 235, 555, 16), out var placeStart));
        Assert.Equal(613, placeStart);
        // Half a label is not one: nothing to point at.
        Assert.Empty(FieldLocator.BloodTypeGlyphs(label[..1], new PixelRect(58, 235, 555, 16), out placeStart));
        Assert.Equal(-1, placeStart);
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
