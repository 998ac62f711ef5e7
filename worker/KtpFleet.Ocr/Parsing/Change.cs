namespace KtpFleet.Ocr.Parsing;

/// <summary>Tags for <see cref="ParsedField.Changes"/>. Corrections are the tags that alter characters of the value.</summary>
public static class Change
{
    public const string LabelRemoved = "label_removed";
    public const string StrayCharsRemoved = "stray_chars_removed";
    public const string UpperCased = "upper_cased";
    public const string SpacesCollapsed = "spaces_collapsed";
    public const string LettersToDigits = "letters_to_digits";
    public const string DigitsToLetters = "digits_to_letters";
    public const string Snapped = "snapped";
    public const string ZeroPadded = "zero_padded";
    public const string SeparatorsNormalised = "separators_normalised";
    public const string OutOfVocabulary = "out_of_vocabulary";
    public const string Split = "split";
    /// <summary>An address abbreviation's period that OCR dropped or read as a comma, restored (see <see cref="FreeTextParser.Address"/>).</summary>
    public const string PeriodRestored = "period_restored";
    /// <summary>A house number's or block's B that OCR read as 8, restored from the glyph's shape (see <see cref="FreeTextParser.RestoredB"/>).</summary>
    public const string LetterRestored = "letter_restored";

    public const string WrongLength = "wrong_length";
    /// <summary>RT and RW read with different numbers of digits, which no card prints.</summary>
    public const string UnevenParts = "uneven_parts";
    public const string NotADate = "not_a_date";
    public const string Unrecognised = "unrecognised";
}
