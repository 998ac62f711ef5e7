using System.Text.Json;

namespace KtpFleet.Ocr.Recognition;

/// <summary>
/// Digit templates of the fonts NIKs are printed in (OCR-A on most e-KTPs, Arial regular/bold on some runs),
/// rendered from the real fonts by scripts/gen-nik-glyphs.sh and embedded as Data/nik-glyphs.json.
/// </summary>
internal sealed class GlyphTemplates
{
    public IReadOnlyDictionary<string, GlyphBitmap[]> Fonts { get; }

    private GlyphTemplates(IReadOnlyDictionary<string, GlyphBitmap[]> fonts) => Fonts = fonts;

    private static readonly Lazy<GlyphTemplates> Embedded = new(LoadEmbedded);
    public static GlyphTemplates Default => Embedded.Value;

    private static GlyphTemplates LoadEmbedded()
    {
        using var stream = typeof(GlyphTemplates).Assembly.GetManifestResourceStream("KtpFleet.Ocr.Data.nik-glyphs.json")
            ?? throw new InvalidOperationException("embedded resource nik-glyphs.json is missing");
        using var doc = JsonDocument.Parse(stream);
        var fonts = new Dictionary<string, GlyphBitmap[]>();
        foreach (var font in doc.RootElement.GetProperty("fonts").EnumerateObject())
        {
            var digits = new GlyphBitmap[10];
            foreach (var glyph in font.Value.EnumerateArray())
            {
                var width = glyph.GetProperty("width").GetInt32();
                var height = glyph.GetProperty("height").GetInt32();
                var gray = Convert.FromBase64String(glyph.GetProperty("gray").GetString()!);
                var mask = new bool[width * height];
                for (var i = 0; i < mask.Length; i++) mask[i] = gray[i] < 128;
                digits[glyph.GetProperty("digit").GetInt32()] = GlyphBitmap.FromMask(mask, width, height);
            }
            fonts[font.Name] = digits;
        }
        return new GlyphTemplates(fonts);
    }
}
