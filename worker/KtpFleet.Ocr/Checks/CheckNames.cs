namespace KtpFleet.Ocr.Checks;

/// <summary>Stable names of the cross-checks in the result document (see docs/result-document.md).</summary>
public static class CheckNames
{
    public const string NikFormat = "nik_format";
    public const string NikRegionExists = "nik_region_exists";
    public const string NikBirthDateMatches = "nik_birth_date_matches";
    public const string NikSexMatches = "nik_sex_matches";
    public const string NikProvinceMatches = "nik_province_matches";
    public const string NikRegencyMatches = "nik_regency_matches";
    public const string NikDistrictMatches = "nik_district_matches";
    public const string BirthDatePlausible = "birth_date_plausible";
    public const string IssueDatePlausible = "issue_date_plausible";
    public const string ValidityPlausible = "validity_plausible";

    public static readonly IReadOnlyList<string> All =
    [
        NikFormat, NikRegionExists, NikBirthDateMatches, NikSexMatches, NikProvinceMatches, NikRegencyMatches,
        NikDistrictMatches, BirthDatePlausible, IssueDatePlausible, ValidityPlausible,
    ];

    /// <summary>The fields each check compares: when it fails, one of them is wrong or the card is inconsistent.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Fields = new Dictionary<string, IReadOnlyList<string>>
    {
        [NikFormat] = [Results.KtpField.Nik],
        [NikRegionExists] = [Results.KtpField.Nik],
        [NikBirthDateMatches] = [Results.KtpField.Nik, Results.KtpField.TanggalLahir],
        [NikSexMatches] = [Results.KtpField.Nik, Results.KtpField.JenisKelamin],
        [NikProvinceMatches] = [Results.KtpField.Nik, Results.KtpField.Provinsi],
        [NikRegencyMatches] = [Results.KtpField.Nik, Results.KtpField.KabupatenKota],
        [NikDistrictMatches] = [Results.KtpField.Nik, Results.KtpField.Kecamatan],
        [BirthDatePlausible] = [Results.KtpField.TanggalLahir],
        [IssueDatePlausible] = [Results.KtpField.TanggalTerbit],
        [ValidityPlausible] = [Results.KtpField.BerlakuHingga],
    };
}
