using KtpFleet.Ocr.Parsing;

namespace KtpFleet.Ocr.Verdicts;

/// <summary>What parsing said about a value, the calibration's second axis next to OCR confidence.</summary>
public enum ConfidenceClass
{
    /// <summary>Valid format/vocabulary entry as read.</summary>
    Verified,
    /// <summary>Valid after a small correction (letter→digit fixes, a snap of distance ≤ <see cref="ConfidenceClasses.NearSnap"/>).</summary>
    CorrectedNear,
    /// <summary>Valid after a larger snap.</summary>
    CorrectedFar,
    /// <summary>Free text or a value outside the vocabulary: nothing to validate against.</summary>
    Unverified,
    /// <summary>Read but not a valid value.</summary>
    Invalid,
    /// <summary>
    /// An address whose abbreviations lost their dots (<c>JL KALIURANG</c>, <c>GG, MERDEKA</c>, <c>NO 46</c>): KTPs print
    /// them as <c>JL.</c>, <c>GG.</c>, <c>NO.</c>, and a dot that blurred away or turned into a comma means the small print
    /// of this line was not read reliably, whatever Tesseract's confidence (held-out photo corpus, 2026-12-01: 6 of the 8
    /// confident wrong fields were such addresses). The value is kept as read; only its confidence is doubted. A
    /// period restored by the parser (<see cref="Change.PeriodRestored"/>) leaves the address as doubtful as before, and
    /// so does a B restored from its shape (<see cref="Change.LetterRestored"/>): Tesseract read an 8 there, confidently.
    /// </summary>
    DoubtfulAddress,
}

public static class ConfidenceClasses
{
    private static readonly System.Text.RegularExpressions.Regex DotlessAbbreviation =
        new(@"\b(JL|GG|NO|KP|BLK|KOMP|DSN)(?=[\s,:;]|$)", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>
    /// An address abbreviation (<c>JL</c>, <c>GG</c>, <c>NO</c>, <c>KP</c>, <c>BLK</c>, <c>KOMP</c>, <c>DSN</c>) not followed
    /// by its dot: followed by a space, the end, or a comma or colon (a dot read with a speck beside it; held-out photo
    /// corpus 2026-12-01: <c>NO: 12</c> auto-accepted twice).
    /// </summary>
    public static bool HasDotlessAbbreviation(string? address) => address is not null && DotlessAbbreviation.IsMatch(address);

    /// <summary>What the parser restored in an address: a period, a B, a digit read as a letter (the small print was not read reliably).</summary>
    private static bool DoubtsAnAddress(string change) => change is Change.PeriodRestored or Change.LetterRestored or Change.LettersToDigits;

    /// <summary>Up to two OCR confusions (0.4 each) or one multi-glyph/spacing edit.</summary>
    public const double NearSnap = 0.8;

    /// <summary>The class of a parsed field (<paramref name="fieldName"/>: its <see cref="Results.KtpField"/> name, when known); null when it is missing (confidence 0).</summary>
    public static ConfidenceClass? Of(ParsedField field, string? fieldName = null) => field.Status switch
    {
        ParseStatus.Missing => null,
        ParseStatus.Invalid => ConfidenceClass.Invalid,
        ParseStatus.Unverified when fieldName == Results.KtpField.Alamat
            && (HasDotlessAbbreviation(field.Value) || field.Changes.Any(DoubtsAnAddress))
            => ConfidenceClass.DoubtfulAddress,
        ParseStatus.Unverified => ConfidenceClass.Unverified,
        ParseStatus.Corrected => field.SnapDistance <= NearSnap ? ConfidenceClass.CorrectedNear : ConfidenceClass.CorrectedFar,
        _ => ConfidenceClass.Verified,
    };
}
