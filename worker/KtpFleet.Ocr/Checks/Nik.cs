using System.Globalization;

namespace KtpFleet.Ocr.Checks;

/// <summary>
/// The parts of a 16-digit NIK: district code (6: province 2 + regency 2 + district 2), birth date DDMMYY with
/// 40 added to the day for women, and a 4-digit serial.
/// </summary>
public readonly record struct Nik(string Value)
{
    public const int Length = 16;

    public string ProvinceCode => Value[..2];
    public string RegencyCode => Value[..4];
    public string DistrictCode => Value[..6];
    public int EncodedDay => Int(6);
    public int Month => Int(8);
    public int TwoDigitYear => Int(10);
    public bool IsFemale => EncodedDay > 40;
    public int Day => IsFemale ? EncodedDay - 40 : EncodedDay;

    /// <summary>16 ASCII digits (the date part is not validated here).</summary>
    public static bool TryCreate(string? value, out Nik nik)
    {
        nik = default;
        if (value is not { Length: Length } || !value.All(char.IsAsciiDigit)) return false;
        nik = new Nik(value);
        return true;
    }

    /// <summary>Day 1–31 (41–71 for women) and month 1–12.</summary>
    public bool HasValidDatePart => Month is >= 1 and <= 12 && Day is >= 1 and <= 31 && EncodedDay is not (> 31 and < 41);

    private int Int(int at) => int.Parse(Value.AsSpan(at, 2), NumberStyles.None, CultureInfo.InvariantCulture);

    public override string ToString() => NikMask.Mask(Value);
}

/// <summary>The one way a NIK may appear in logs and messages: region code kept, the rest masked.</summary>
public static class NikMask
{
    public static string Mask(string? nik) =>
        nik is null ? "" : nik.Length <= 6 ? new string('*', nik.Length) : nik[..6] + new string('*', nik.Length - 6);
}
