using KtpFleet.Corpus.Data;

namespace KtpFleet.Corpus.Generation;

/// <summary>The cross-checks a card's deliberate inconsistency is expected to fail (names as the extractor reports them).</summary>
public static class CheckNames
{
    public const string BirthDate = "nik_birth_date_matches";
    public const string Regency = "nik_regency_matches";
    public const string Province = "nik_province_matches";
    public const string District = "nik_district_matches";
    public const string Sex = "nik_sex_matches";

    public static readonly IReadOnlyList<string> Labelled = [BirthDate, Regency, Province, District, Sex];
}

/// <summary>What is deliberately wrong on a card: the NIK encodes something other than what is printed.</summary>
public enum Inconsistency { None, BirthDate, District, Regency, Province, Sex }

/// <summary>
/// One synthetic card's data. <see cref="Fields"/> holds the printed values, normalised as the result document
/// normalises them (keys of <c>KtpField</c>); the printed values are the ground truth even where the NIK disagrees.
/// </summary>
public sealed record CardData
{
    public required string Id { get; init; }
    public required IReadOnlyDictionary<string, string> Fields { get; init; }
    /// <summary>The district whose code the NIK carries (differs from the printed one for region inconsistencies).</summary>
    public required District NikDistrict { get; init; }
    /// <summary>The district printed on the card (Kecamatan, regency and province headers).</summary>
    public required District PrintedDistrict { get; init; }
    public required DateOnly BirthDate { get; init; }
    public required bool IsFemale { get; init; }
    public required bool IsForeigner { get; init; }
    public required Inconsistency Inconsistency { get; init; }
    public required IReadOnlyList<string> ExpectedFailedChecks { get; init; }
}
