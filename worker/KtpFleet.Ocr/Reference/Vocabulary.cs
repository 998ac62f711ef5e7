using System.Text.Json;

namespace KtpFleet.Ocr.Reference;

/// <summary>
/// Values of the enumerated KTP fields (enums.json) and the Dukcapil occupation list (ktp_occupations.csv), upper
/// case as printed. English variants (foreigners' cards) are separate lists so a parser can tell which it read.
/// </summary>
public sealed class Vocabulary
{
    private static readonly Lazy<Vocabulary> SharedVocabulary = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    public static Vocabulary Shared => SharedVocabulary.Value;

    public required IReadOnlyList<string> Sexes { get; init; }
    public required IReadOnlyList<string> SexesEnglish { get; init; }
    public required IReadOnlyList<string> BloodTypes { get; init; }
    public required IReadOnlyList<string> Religions { get; init; }
    public required IReadOnlyList<string> ReligionsEnglish { get; init; }
    public required IReadOnlyList<string> MaritalStatuses { get; init; }
    public required IReadOnlyList<string> MaritalStatusesEnglish { get; init; }
    /// <summary>Occupations as printed, plus the short form of entries with a parenthesised acronym (<c>PEGAWAI NEGERI SIPIL</c>).</summary>
    public required IReadOnlyList<string> Occupations { get; init; }
    /// <summary>Country names a foreigner's card may print as nationality (Indonesian, some English; not exhaustive).</summary>
    public required IReadOnlyList<string> Countries { get; init; }

    public const string Lifetime = "SEUMUR HIDUP";
    public const string Citizen = "WNI";
    public const string Foreigner = "WNA";

    public static Vocabulary Load()
    {
        using var doc = JsonDocument.Parse(EmbeddedData.Open("enums.json"));
        var root = doc.RootElement;
        IReadOnlyList<string> List(string key) =>
            root.GetProperty(key).EnumerateArray().Select(e => Parsing.TextCleanup.Fold(e.GetString()!)).ToArray();

        var occupations = new List<string>();
        foreach (var row in EmbeddedData.CsvRows("ktp_occupations.csv"))
        {
            var name = Parsing.TextCleanup.Fold(row.Length > 2 ? string.Join(',', row[1..]) : row[1]);
            occupations.Add(name);
            var paren = name.IndexOf(" (", StringComparison.Ordinal);
            if (paren > 0) occupations.Add(name[..paren]);
        }

        return new Vocabulary
        {
            Sexes = List("jenis_kelamin"),
            SexesEnglish = List("jenis_kelamin_wna_en"),
            BloodTypes = List("golongan_darah"),
            Religions = List("agama"),
            ReligionsEnglish = List("agama_wna_en"),
            MaritalStatuses = List("status_perkawinan"),
            MaritalStatusesEnglish = List("status_perkawinan_wna_en"),
            Occupations = occupations,
            Countries = EmbeddedData.CsvRows("countries.csv").Select(r => Parsing.TextCleanup.Fold(r[0])).ToArray(),
        };
    }
}
