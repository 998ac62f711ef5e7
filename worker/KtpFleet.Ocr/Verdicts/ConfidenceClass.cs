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
}

public static class ConfidenceClasses
{
    /// <summary>Up to two OCR confusions (0.4 each) or one multi-glyph/spacing edit.</summary>
    public const double NearSnap = 0.8;

    /// <summary>The class of a parsed field; null when it is missing (confidence 0).</summary>
    public static ConfidenceClass? Of(ParsedField field) => field.Status switch
    {
        ParseStatus.Missing => null,
        ParseStatus.Invalid => ConfidenceClass.Invalid,
        ParseStatus.Unverified => ConfidenceClass.Unverified,
        ParseStatus.Corrected => field.SnapDistance <= NearSnap ? ConfidenceClass.CorrectedNear : ConfidenceClass.CorrectedFar,
        _ => ConfidenceClass.Verified,
    };
}
