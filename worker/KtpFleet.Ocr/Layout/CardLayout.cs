using KtpFleet.Ocr.Engine;

namespace KtpFleet.Ocr.Layout;

/// <summary>Where each field's value is printed on the canonical card: one rectangle per printed line.</summary>
public sealed record CardLayout(IReadOnlyDictionary<string, IReadOnlyList<PixelRect>> Fields, LayoutEvidence Evidence)
{
    /// <summary>The glyph matcher's reading of the NIK line, taken while finding it (recognition reuses it).</summary>
    public Recognition.NikGlyphReading? Nik { get; init; }

    public IReadOnlyList<PixelRect> LinesOf(string field) => Fields.TryGetValue(field, out var lines) ? lines : [];
}

/// <summary>
/// What the locator saw: enough label rows and a NIK-shaped line are what make an image a KTP; without a NIK-shaped
/// line, a full set of rows, most of them a label and a value at the value column, does too (a NIK under glare must
/// not throw away the eighteen fields around it: the card goes to review with its NIK missing).
/// </summary>
public sealed record LayoutEvidence(int LabelRows, bool NikLineFound, int ValueColumnX)
{
    /// <summary>No line read as a NIK; the NIK row was told by its place: above twelve label rows, or set apart from the rows under it.</summary>
    public bool NikRowByPosition { get; init; }
    /// <summary>Rows made of a label, a gap and a value starting at the value column.</summary>
    public int AlignedRows { get; init; }

    public bool LooksLikeKtp => LabelRows >= 8 && (NikLineFound || (LabelRows >= 11 && AlignedRows >= MinAlignedRows));

    /// <summary>
    /// Rows of the KTP shape that make a card of a layout without a NIK line. Prose has none; blur
    /// fuses some values' colons into their first letters, which moves their start off the column: on 60 training
    /// hard cards (seed 100), 2 of the 21 rejected had 12 rows of which 7 and 8 were aligned, and read 8 values more.
    /// </summary>
    public const int MinAlignedRows = 7;

    /// <summary>
    /// A NIK line or a few label–gap–value rows: the shape of a KTP front, even where too little of it shows to read
    /// it. On 60 training hard cards (seed 100) 13 of the 19 rejected showed 3 or more such rows (or a NIK line), the
    /// other 6 at most 2; the tests' letter, page photo and landscape have none.
    /// </summary>
    public bool ShowsKtpRows => NikLineFound || AlignedRows >= MinAlignedRowsOfAnUnreadCard;

    public const int MinAlignedRowsOfAnUnreadCard = 3;
}
