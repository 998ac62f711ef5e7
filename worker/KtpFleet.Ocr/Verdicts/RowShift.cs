using KtpFleet.Ocr.Reference;
using KtpFleet.Ocr.Results;

namespace KtpFleet.Ocr.Verdicts;

/// <summary>
/// Label rows read shifted: the layout gave rows' values to the wrong fields (a NIK row lost in the header, two rows
/// merged), and values then carry other fields' closed vocabularies — a sex as the name, a religion as the village, a
/// marital status as the district. One such value can be a misreading; two on one card mean the rows cannot be
/// trusted, and every value read from a label row is doubted (the specimen at half size, blurred: four values two
/// rows off were read at 0.98–0.99).
/// </summary>
internal static class RowShift
{
    public const int SuspectFrom = 2;

    /// <summary>The value of a closed vocabulary, and the field it belongs to.</summary>
    private static readonly Dictionary<string, string> OwnerOf = Owners();

    /// <summary>The fields read from label rows (and split off them), which a shift moves.</summary>
    private static readonly string[] RowFields =
        [.. Layout.FieldLocator.LabelRows, KtpField.TanggalLahir, KtpField.GolonganDarah];

    /// <summary>Fields holding another field's vocabulary value.</summary>
    public static int ForeignValues(IReadOnlyDictionary<string, FieldResult> fields) =>
        fields.Count(kv => kv.Value.Value is { } v && OwnerOf.TryGetValue(v, out var owner) && owner != kv.Key);

    /// <summary>Caps the confidence of every label-row value at <paramref name="doubted"/> when the rows look shifted.</summary>
    public static void Doubt(Dictionary<string, FieldResult> fields, double doubted)
    {
        if (ForeignValues(fields) < SuspectFrom) return;
        foreach (var field in RowFields)
            if (fields.TryGetValue(field, out var f) && f.Confidence > doubted)
                fields[field] = f with { Confidence = doubted };
    }

    private static Dictionary<string, string> Owners()
    {
        var v = Vocabulary.Shared;
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string field, IEnumerable<string> values)
        {
            foreach (var value in values) owners.TryAdd(value, field);
        }
        Add(KtpField.JenisKelamin, [.. v.Sexes, .. v.SexesEnglish]);
        Add(KtpField.Agama, [.. v.Religions, .. v.ReligionsEnglish]);
        Add(KtpField.StatusPerkawinan, [.. v.MaritalStatuses, .. v.MaritalStatusesEnglish]);
        Add(KtpField.Kewarganegaraan, [Vocabulary.Citizen, Vocabulary.Foreigner]);
        Add(KtpField.BerlakuHingga, [Vocabulary.Lifetime]);
        return owners;
    }
}
