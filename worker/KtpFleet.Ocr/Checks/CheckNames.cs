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
}
