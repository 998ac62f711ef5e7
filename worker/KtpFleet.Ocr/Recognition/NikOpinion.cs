using KtpFleet.Ocr.Checks;
using KtpFleet.Ocr.Engine;
using KtpFleet.Ocr.Verdicts;

namespace KtpFleet.Ocr.Recognition;

/// <summary>
/// How the nik model's reading of the NIK (<see cref="FieldRecognizer.ReadNikDigits"/>) and the glyph matcher's
/// settle the NIK. The nik model (<c>tessdata/nik-1.0</c>) is an LSTM trained here on NIK digits cut from generated
/// captures and drawn (<c>scripts/ocr-model/</c>): it reads the digits as one line without segmenting them, so it
/// reads digits in noise the glyph matcher cannot cut into sixteen glyphs. It reads only NIKs the glyph matcher
/// doubted (<see cref="AskBelow"/>).
/// </summary>
public static class NikOpinion
{
    /// <summary>Under this glyph confidence (Tesseract's 0..100 scale) the nik model reads the row.</summary>
    public const double AskBelow = 90;

    /// <summary>Whether the NIK as read needs the nik model's reading.</summary>
    public static bool Asks(RawField? nik) => nik?.MeanWordConfidence is not >= AskBelow;

    /// <summary>
    /// Where the NIK's digits lie on its row: from <see cref="DigitsBeforeColumn"/> of the card's width before the
    /// value column (the digits start ~0.02 before it, within ±0.03 on blurred captures; the row's colon lies ~0.04
    /// before the digits, and the model has seen it), <see cref="DigitsWidth"/> wide, the row's height.
    /// </summary>
    public static PixelRect DigitsSpan(PixelRect row, int valueColumnX, int cardWidth)
    {
        var left = Math.Max(row.X, valueColumnX - (int)(cardWidth * DigitsBeforeColumn));
        var right = Math.Min(row.Right, left + (int)(cardWidth * DigitsWidth));
        return right <= left ? default : new PixelRect(left, row.Y, right - left, row.Height);
    }

    public const double DigitsBeforeColumn = 0.05;
    /// <summary>Sixteen digits span 0.28–0.35 of the card's width in the faces NIKs are printed in.</summary>
    public const double DigitsWidth = 0.43;

    /// <summary>The digits after the row's label: every digit after its first colon, or of the whole row without one.</summary>
    public static string DigitsOf(string text)
    {
        var colon = text.IndexOf(':');
        return new string([.. text[(colon + 1)..].Where(char.IsAsciiDigit)]);
    }

    /// <summary>
    /// The NIK kept. Where the two agree, the glyph matcher's reading (its digits' own confidences). A model reading
    /// that is not sixteen digits leaves the glyph matcher's. Otherwise the one that could be a NIK
    /// (<see cref="CouldBeNik"/>) where only one could, else the model's only when <see cref="ModelLead"/> more
    /// confident; the model's reading at a confidence never auto-accepted (<see cref="AloneConfidence"/>). On 200
    /// generated hard captures (seed 8005) the glyph matcher read 53 of the 123 NIKs the model was asked about, the
    /// model 55, either of them 71; the more confident of the two 67; the date part first, then a lead of 0, 20, 30 or
    /// 40: 67, 67, 68, 69. On 200 photo cards (seed 5005) 149 of 152 by the glyph matcher, 150 with a lead from 10 on.
    /// </summary>
    /// <remarks>
    /// Whether a reading could be a NIK is its own format, a day and a month, not whether its region code is in our
    /// tables (that read 69–71 of the 123 above): a real card can carry a code no edition lists (a specimen does), and preferring a
    /// listed one would hide that failed check. Never the card's printed values either: the cross-checks compare
    /// those with the NIK kept, and must still see a mismatch.
    /// </remarks>
    public static RawField Settle(RawField? glyphs, RawField model)
    {
        if (glyphs?.Text == model.Text) return glyphs!;
        if (model.Text is not { Length: Nik.Length } || !model.Text.All(char.IsAsciiDigit)) return glyphs ?? model;
        var alone = model with { MeanWordConfidence = Math.Min(model.MeanWordConfidence ?? 0, AloneConfidence) };
        if (glyphs?.Text is not { } read) return alone;
        var (glyphsCould, modelCould) = (CouldBeNik(read), CouldBeNik(model.Text));
        if (glyphsCould != modelCould) return modelCould ? alone : glyphs;
        return (model.MeanWordConfidence ?? 0) >= (glyphs.MeanWordConfidence ?? 0) + ModelLead ? alone : glyphs;
    }

    /// <summary>
    /// How much more confident (Tesseract's word confidence against the glyph confidence, both 0..100) the model's
    /// reading must be to replace the glyph matcher's: the middle of the 25–40 that read the most on the cards above.
    /// </summary>
    public const double ModelLead = 30;

    /// <summary>Sixteen digits whose date part is a day (plus 40 for women) and a month.</summary>
    public static bool CouldBeNik(string digits) => Nik.TryCreate(digits, out var nik) && nik.HasValidDatePart;

    /// <summary>The most a NIK only the model read is given: a cell reading's, under every auto-accept bucket.</summary>
    public const double AloneConfidence = FieldRecognizer.CellReadingConfidence;
}
