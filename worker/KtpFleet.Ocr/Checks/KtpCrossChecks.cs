using KtpFleet.Ocr.Parsing;
using KtpFleet.Ocr.Reference;
using KtpFleet.Ocr.Results;

namespace KtpFleet.Ocr.Checks;

/// <summary>
/// Cross-checks of one card's normalised fields (values as produced by <see cref="KtpFieldParser"/>). Printed values
/// win: a disagreement is reported as a failed check, never repaired. A check whose inputs are missing is skipped
/// with the reason. Details never contain a full NIK, a name or an address. Thread-safe.
/// </summary>
public sealed class KtpCrossChecks(RegionTable regions)
{
    private static readonly HashSet<string> Female = ["PEREMPUAN", "FEMALE"];
    private static readonly HashSet<string> Male = ["LAKI-LAKI", "MALE"];
    private static readonly HashSet<string> EverMarried = ["KAWIN", "CERAI HIDUP", "CERAI MATI", "MARRIED", "DIVORCED", "WIDOWED"];

    /// <summary>KTPs are issued from 17, or earlier to someone who is or was married.</summary>
    public const int MinimumAge = 17;
    public const int MaximumAge = 120;
    /// <summary>The e-KTP (the layout this library reads) was first issued in 2011.</summary>
    public static readonly DateOnly FirstIssue = new(2011, 1, 1);
    /// <summary>Fixed-term (pre-lifetime) KTPs ran five years, to the holder's birthday: at most six years after issue.</summary>
    public const int MaximumValidityYears = 6;

    public static KtpCrossChecks Shared { get; } = new(RegionTable.Shared);

    /// <summary>Whether an e-KTP can carry this issue date: not after today, not before the first e-KTP.</summary>
    public static bool CouldBeIssued(DateOnly issued, DateOnly today) => issued >= FirstIssue && issued <= today;

    public IReadOnlyList<CheckResult> Run(IReadOnlyDictionary<string, string?> values, DateOnly today)
    {
        string? Value(string key) => values.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v : null;
        var nikText = Value(KtpField.Nik);
        var hasNik = Nik.TryCreate(nikText, out var nik);
        var birth = ParseDate(Value(KtpField.TanggalLahir));
        var issue = ParseDate(Value(KtpField.TanggalTerbit));

        return
        [
            NikFormat(nikText, hasNik, nik),
            NikRegionExists(hasNik, nik),
            NikBirthDate(hasNik, nik, birth),
            NikSex(hasNik, nik, Value(KtpField.JenisKelamin)),
            NikRegionName(CheckNames.NikProvinceMatches, "province", hasNik ? nik.ProvinceCode : null, Value(KtpField.Provinsi), isRegency: false),
            NikRegionName(CheckNames.NikRegencyMatches, "regency/city", hasNik ? nik.RegencyCode : null, Value(KtpField.KabupatenKota), isRegency: true),
            NikRegionName(CheckNames.NikDistrictMatches, "district", hasNik ? nik.DistrictCode : null, Value(KtpField.Kecamatan), isRegency: false),
            BirthDatePlausible(birth, issue, Value(KtpField.StatusPerkawinan), today),
            IssueDatePlausible(issue, birth, today),
            ValidityPlausible(Value(KtpField.BerlakuHingga), issue, birth),
        ];
    }

    private static (bool Present, DateOnly? Date) ParseDate(string? value) =>
        value is null ? (false, null) : (true, DateParser.TryParseNormalised(value, out var d) ? d : null);

    private static CheckResult Passed(string name) => new(name, CheckStatus.Passed);
    private static CheckResult Failed(string name, string detail) => new(name, CheckStatus.Failed, detail);
    private static CheckResult Skipped(string name, string detail) => new(name, CheckStatus.Skipped, detail);

    private static CheckResult NikFormat(string? text, bool hasNik, Nik nik)
    {
        const string name = CheckNames.NikFormat;
        if (text is null) return Skipped(name, "NIK not read");
        if (!hasNik) return Failed(name, $"NIK is not 16 digits (read {text.Length} characters)");
        if (!nik.HasValidDatePart) return Failed(name, "NIK date part is not a valid day/month");
        return Passed(name);
    }

    private CheckResult NikRegionExists(bool hasNik, Nik nik)
    {
        const string name = CheckNames.NikRegionExists;
        if (!hasNik) return Skipped(name, "no valid NIK");
        foreach (var code in (string[])[nik.ProvinceCode, nik.RegencyCode, nik.DistrictCode])
            if (!regions.Exists(code))
                return Failed(name, $"NIK {LevelName(code)} code {code} is in no region-code edition 2016-2025");
        return Passed(name);
    }

    private static CheckResult NikBirthDate(bool hasNik, Nik nik, (bool Present, DateOnly? Date) birth)
    {
        const string name = CheckNames.NikBirthDateMatches;
        if (!hasNik) return Skipped(name, "no valid NIK");
        if (!birth.Present) return Skipped(name, "birth date not read");
        if (birth.Date is not { } b) return Skipped(name, "printed birth date is not a valid date");
        var differs = new List<string>();
        if (nik.Day != b.Day) differs.Add("day");
        if (nik.Month != b.Month) differs.Add("month");
        if (nik.TwoDigitYear != b.Year % 100) differs.Add("year");
        return differs.Count == 0
            ? Passed(name)
            : Failed(name, $"NIK date part differs from printed birth date ({string.Join(", ", differs)})");
    }

    private static CheckResult NikSex(bool hasNik, Nik nik, string? sex)
    {
        const string name = CheckNames.NikSexMatches;
        if (!hasNik) return Skipped(name, "no valid NIK");
        if (sex is null) return Skipped(name, "sex not read");
        bool printedFemale;
        if (Female.Contains(sex)) printedFemale = true;
        else if (Male.Contains(sex)) printedFemale = false;
        else return Skipped(name, "printed sex is not a known value");
        if (printedFemale == nik.IsFemale) return Passed(name);
        return Failed(name, nik.IsFemale
            ? "NIK day is over 40 (female) but the card prints male"
            : "NIK day is under 41 (male) but the card prints female");
    }

    private CheckResult NikRegionName(string name, string level, string? code, string? printed, bool isRegency)
    {
        if (code is null) return Skipped(name, "no valid NIK");
        if (printed is null) return Skipped(name, $"printed {level} not read");
        if (regions.Find(code) is not { } region) return Skipped(name, $"NIK {level} code {code} is not in the region table");
        var reading = printed;
        var names = region.PrintedNames.AsEnumerable();
        if (isRegency)
        {
            // Bare names under the printed prefix: KABUPATEN PUNCAK JAYA is not KABUPATEN INTAN JAYA.
            (var prefix, reading) = PrintedRegionNames.SplitPrefix(printed);
            names = PrintedRegionNames.BareNamesWithPrefix(region, prefix);
        }
        var close = names.Any(n => OcrEditDistance.Distance(reading, n) <= Snapper.Threshold(reading.Length, n.Length));
        return close
            ? Passed(name)
            : Failed(name, $"printed {level} is not the NIK's {level} ({code} {region.PrintedName})");
    }

    private static CheckResult BirthDatePlausible((bool Present, DateOnly? Date) birth, (bool Present, DateOnly? Date) issue, string? marital, DateOnly today)
    {
        const string name = CheckNames.BirthDatePlausible;
        if (!birth.Present) return Skipped(name, "birth date not read");
        if (birth.Date is not { } b) return Failed(name, "birth date is not a valid date");
        if (b > today) return Failed(name, "birth date is in the future");
        if (b.AddYears(MaximumAge) < today) return Failed(name, $"holder would be over {MaximumAge}");
        var at = issue.Date ?? today;
        var married = marital is not null && EverMarried.Contains(marital);
        if (!married && b.AddYears(MinimumAge) > at)
            return Failed(name, $"holder was under {MinimumAge} and never married on the {(issue.Date is null ? "current" : "issue")} date");
        return Passed(name);
    }

    private static CheckResult IssueDatePlausible((bool Present, DateOnly? Date) issue, (bool Present, DateOnly? Date) birth, DateOnly today)
    {
        const string name = CheckNames.IssueDatePlausible;
        if (!issue.Present) return Skipped(name, "issue date not read");
        if (issue.Date is not { } i) return Failed(name, "issue date is not a valid date");
        if (!CouldBeIssued(i, today)) return Failed(name, i > today ? "issue date is in the future" : $"issue date is before the first e-KTP ({FirstIssue.Year})");
        if (birth.Date is { } b && i <= b) return Failed(name, "issue date is not after the birth date");
        return Passed(name);
    }

    private static CheckResult ValidityPlausible(string? validity, (bool Present, DateOnly? Date) issue, (bool Present, DateOnly? Date) birth)
    {
        const string name = CheckNames.ValidityPlausible;
        if (validity is null) return Skipped(name, "validity not read");
        if (validity == Vocabulary.Lifetime) return Passed(name);
        if (!DateParser.TryParseNormalised(validity, out var until)) return Failed(name, "validity is neither SEUMUR HIDUP nor a date");
        if (issue.Date is { } i)
        {
            if (until <= i) return Failed(name, "validity ends on or before the issue date");
            if (until > i.AddYears(MaximumValidityYears)) return Failed(name, $"validity is more than {MaximumValidityYears} years after the issue date");
        }
        else if (birth.Date is { } b && until <= b.AddYears(MinimumAge))
            return Failed(name, "validity ends before the holder could hold a KTP");
        return Passed(name);
    }

    private static string LevelName(string code) => code.Length switch
    {
        2 => "province",
        4 => "regency/city",
        _ => "district",
    };
}
