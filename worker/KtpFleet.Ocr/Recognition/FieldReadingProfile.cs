using KtpFleet.Ocr.Results;

namespace KtpFleet.Ocr.Recognition;

/// <summary>
/// What characters a field can hold. Restricting Tesseract's alphabet per field removes whole classes of error
/// (a colon read as "1" in an RT/RW, a "0" read as "O" in a date). Every alphabet includes ':' because value crops
/// start at the colon (see FieldLocator) and the parsers drop it.
/// </summary>
public static class FieldReadingProfile
{
    private const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Digits = "0123456789";

    public const string Text = Upper + Digits + " .,-/:'()";
    public const string Date = Digits + "-:";
    public const string RtRw = Digits + "/:";
    public const string BloodType = "ABO+-:";
    public const string Words = Upper + " -:/.";
    public const string NikDigits = Digits;

    public static string WhitelistFor(string field) => field switch
    {
        KtpField.RtRw => RtRw,
        KtpField.TanggalTerbit => Date,
        KtpField.GolonganDarah => BloodType,
        KtpField.JenisKelamin or KtpField.Agama or KtpField.StatusPerkawinan => Words,
        KtpField.Nik => NikDigits,
        _ => Text,
    };
}
