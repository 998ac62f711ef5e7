using KtpFleet.Ocr.Recognition;

namespace KtpFleet.Ocr.Tests.Recognition;

public sealed class GlyphTieTests
{
    /// <summary>A glyph drawn from two of a font's templates, mixed: what blur makes of a 5 that looks half like a 6.</summary>
    private static GlyphBitmap Mix(GlyphFont font, char main, char other, float share)
    {
        var a = font.Glyphs[font.Chars.IndexOf(main)].Coverage;
        var b = font.Glyphs[font.Chars.IndexOf(other)].Coverage;
        var mixed = a.Select((v, i) => share * v + (1 - share) * b[i]).ToArray();
        return GlyphBitmap.FromDarkness(mixed, GlyphBitmap.GridWidth, GlyphBitmap.GridHeight);
    }

    [Theory]
    [InlineData('5', '6')]
    [InlineData('3', '8')]
    [InlineData('8', '6')]
    public void A_near_tie_goes_to_the_template_the_glyph_is_nearer_where_the_two_differ(char main, char other)
    {
        foreach (var font in GlyphTemplates.Nik.Fonts)
        {
            var glyph = Mix(font, main, other, 0.6f);
            Assert.True(glyph.CloserWhereTheyDiffer(font.Glyphs[font.Chars.IndexOf(main)], font.Glyphs[font.Chars.IndexOf(other)]), font.Name);
            Assert.False(glyph.CloserWhereTheyDiffer(font.Glyphs[font.Chars.IndexOf(other)], font.Glyphs[font.Chars.IndexOf(main)]), font.Name);
            // Read as a whole, the mix is the main digit, and when it is a near tie the reading stays unsure.
            var match = GlyphTemplates.Classify(glyph, font);
            Assert.Equal(main, match.Char);
            Assert.True(match.Margin >= 0);
        }
    }
}
