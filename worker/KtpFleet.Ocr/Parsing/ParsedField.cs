namespace KtpFleet.Ocr.Parsing;

/// <summary>How a parsed value relates to what the field may hold; feeds the confidence calibration.</summary>
public enum ParseStatus
{
    /// <summary>Nothing readable.</summary>
    Missing,
    /// <summary>Read, but not a valid value for the field (wrong length, impossible date...). Value keeps the cleaned text.</summary>
    Invalid,
    /// <summary>Free text (names, addresses) or a value outside the vocabulary kept as read.</summary>
    Unverified,
    /// <summary>Valid only after fixing OCR confusions or snapping to a vocabulary entry.</summary>
    Corrected,
    /// <summary>Valid as read (after whitespace/label cleanup).</summary>
    Verified,
}

/// <summary>
/// One field after parsing: the normalised value (null when missing), its status, the OCR-aware distance to the
/// vocabulary entry it snapped to (0 when none), and short tags saying what was changed (e.g. <c>label_removed</c>,
/// <c>letters_to_digits</c>, <c>snapped</c>) — never the value itself, so they are safe to log.
/// </summary>
public sealed record ParsedField(string? Value, ParseStatus Status, double SnapDistance, IReadOnlyList<string> Changes)
{
    public bool IsValid => Status is ParseStatus.Verified or ParseStatus.Corrected or ParseStatus.Unverified;

    public static ParsedField Missing { get; } = new(null, ParseStatus.Missing, 0, []);

    public static ParsedField Valid(string value, IReadOnlyList<string> changes, bool corrected, double snapDistance = 0) =>
        new(value, corrected ? ParseStatus.Corrected : ParseStatus.Verified, snapDistance, changes);

    public static ParsedField Invalid(string? value, IReadOnlyList<string> changes, string why) =>
        new(value, ParseStatus.Invalid, 0, [.. changes, why]);
}
