namespace KtpFleet.Ocr.Recognition;

/// <summary>
/// The alphabets Tesseract is restricted to. The stacked value crops are read with <see cref="Text"/>, which includes
/// ':' because value crops start at the colon (see FieldLocator) and the parsers drop it; the digit and blood-type
/// alphabets serve the fallbacks when glyph matching cannot segment the NIK or the blood type.
/// </summary>
public static class FieldReadingProfile
{
    public const string Text = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-/:'()";
    public const string BloodType = "ABO+-:";
    public const string NikDigits = "0123456789";
}
