using System.Globalization;
using System.Text.Json;

namespace KtpFleet.Corpus.Data;

/// <summary>Enumerated values (enums.json) and occupations (ktp_occupations.csv) from the OCR library's data.</summary>
public sealed class Vocabulary
{
    private static readonly Lazy<Vocabulary> Shared = new(Load);

    public required IReadOnlyList<string> Sexes { get; init; }
    public required IReadOnlyList<string> SexesEnglish { get; init; }
    public required IReadOnlyList<string> BloodTypes { get; init; }
    public required IReadOnlyList<string> Religions { get; init; }
    public required IReadOnlyList<string> ReligionsEnglish { get; init; }
    public required IReadOnlyList<string> MaritalStatuses { get; init; }
    public required IReadOnlyList<string> MaritalStatusesEnglish { get; init; }
    public required IReadOnlyList<string> Occupations { get; init; }

    public static Vocabulary Instance => Shared.Value;

    private static Vocabulary Load()
    {
        using var doc = JsonDocument.Parse(EmbeddedCsv.Text("enums.json"));
        IReadOnlyList<string> List(string name) =>
            [.. doc.RootElement.GetProperty(name).EnumerateArray().Select(e => e.GetString()!)];
        return new Vocabulary
        {
            Sexes = List("jenis_kelamin"),
            SexesEnglish = List("jenis_kelamin_wna_en"),
            BloodTypes = List("golongan_darah"),
            Religions = List("agama"),
            ReligionsEnglish = List("agama_wna_en"),
            MaritalStatuses = List("status_perkawinan"),
            MaritalStatusesEnglish = List("status_perkawinan_wna_en"),
            Occupations = [.. EmbeddedCsv.Rows("ktp_occupations.csv").Select(r => r[1].ToUpper(CultureInfo.InvariantCulture))],
        };
    }
}
