using KtpFleet.Ocr.Engine;

namespace KtpFleet.Ocr.Layout;

/// <summary>Where each field's value is printed on the canonical card: one rectangle per printed line.</summary>
public sealed record CardLayout(IReadOnlyDictionary<string, IReadOnlyList<PixelRect>> Fields, LayoutEvidence Evidence)
{
    /// <summary>The glyph matcher's reading of the NIK line, taken while finding it (recognition reuses it).</summary>
    public Recognition.NikGlyphReading? Nik { get; init; }

    public IReadOnlyList<PixelRect> LinesOf(string field) => Fields.TryGetValue(field, out var lines) ? lines : [];
}

/// <summary>What the locator saw: enough label rows and a NIK-shaped line are what make an image a KTP.</summary>
public sealed record LayoutEvidence(int LabelRows, bool NikLineFound, int ValueColumnX)
{
    public bool LooksLikeKtp => NikLineFound && LabelRows >= 8;
}
