using System.Text.RegularExpressions;
using KtpFleet.Ocr.Reference;
using KtpFleet.Ocr.Results;

namespace KtpFleet.Ocr.Parsing;

/// <summary>The regions the card's printed header and address resolve to (null where not found in the table).</summary>
public sealed record ResolvedRegions(Region? Province, Region? Regency, Region? District, Region? Village);

/// <summary>Every field of one card after parsing, keyed by <see cref="KtpField"/> names.</summary>
public sealed record ParsedCard(IReadOnlyDictionary<string, ParsedField> Fields, ResolvedRegions Regions)
{
    /// <summary>Normalised values (null when missing), the input of the cross-checks.</summary>
    public IReadOnlyDictionary<string, string?> Values => Fields.ToDictionary(kv => kv.Key, kv => kv.Value.Value);
}

/// <summary>
/// Parses the raw OCR text of every field of one card. Input keys are <see cref="KtpField"/> names. Two lines hold
/// two fields, and either form is accepted: <c>tempat_lahir</c> may carry the whole <c>Tempat/Tgl Lahir</c> line
/// (it is split when <c>tanggal_lahir</c> is absent), and <c>jenis_kelamin</c> may carry <c>Gol. Darah</c> at its
/// end (split when <c>golongan_darah</c> is absent). Region fields resolve top-down: province → regency (within the
/// province) → kecamatan (within the regency, or the NIK's when the header is unreadable) → kel/desa (within the
/// kecamatan). Thread-safe.
/// </summary>
public sealed partial class KtpFieldParser(RegionTable regions, Vocabulary vocabulary)
{
    private static readonly Lazy<KtpFieldParser> SharedParser = new(() => new KtpFieldParser(RegionTable.Shared, Vocabulary.Shared));

    public static KtpFieldParser Shared => SharedParser.Value;

    private readonly RegionFieldParser _regions = new(regions);
    private readonly VocabularyParser _sex = new([.. vocabulary.Sexes, .. vocabulary.SexesEnglish], FieldLabels.For(KtpField.JenisKelamin), closed: true);
    private readonly VocabularyParser _religion = new([.. vocabulary.Religions, .. vocabulary.ReligionsEnglish], FieldLabels.For(KtpField.Agama), closed: true);
    private readonly VocabularyParser _marital = new([.. vocabulary.MaritalStatuses, .. vocabulary.MaritalStatusesEnglish], FieldLabels.For(KtpField.StatusPerkawinan), closed: true);
    private readonly VocabularyParser _occupation = new(vocabulary.Occupations, FieldLabels.For(KtpField.Pekerjaan), closed: false);

    [GeneratedRegex(@"\bG[O0]L\b\.?\s*D?ARAH\s*[:;]?\s*(?<blood>\S*)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex BloodTypeSuffix();

    public ParsedField Sex(string? raw) => _sex.Parse(raw);
    public ParsedField Religion(string? raw) => _religion.Parse(raw);
    public ParsedField MaritalStatus(string? raw) => _marital.Parse(raw);
    public ParsedField Occupation(string? raw) => _occupation.Parse(raw);
    public RegionFieldParser Regions => _regions;

    /// <summary>
    /// Under this OCR confidence (0..100, the calibration's lowest bucket) a reading is doubted by the OCR itself, and
    /// a kecamatan or kel/desa far from every name may snap to a clear nearest one (<see cref="RegionFieldParser.LocalSnapDistance"/>).
    /// </summary>
    public const double DoubtedOcrConfidence = 50;

    /// <param name="doubted">fields whose reading the OCR doubts (see <see cref="DoubtedOcrConfidence"/>)</param>
    public ParsedCard Parse(IReadOnlyDictionary<string, string?> raw, IReadOnlySet<string>? doubted = null)
    {
        string? Raw(string key) => raw.TryGetValue(key, out var v) ? v : null;
        var fields = new Dictionary<string, ParsedField>(StringComparer.Ordinal);

        var nik = NikParser.Parse(Raw(KtpField.Nik));
        var province = _regions.Province(Raw(KtpField.Provinsi));
        var regency = _regions.Regency(Raw(KtpField.KabupatenKota), province.Region?.Code);
        var provinceCode = province.Region?.Code ?? regency.Region?.Code[..2];
        // Without a readable header, the NIK's regency is the card's next best word on where it is from.
        var regencyCode = regency.Region?.Code ?? NikRegency(nik);
        var district = _regions.District(Raw(KtpField.Kecamatan), regencyCode, provinceCode, doubted?.Contains(KtpField.Kecamatan) == true);
        var village = _regions.Village(Raw(KtpField.KelDesa), district.Region?.Code, regencyCode, doubted?.Contains(KtpField.KelDesa) == true);
        fields[KtpField.Provinsi] = province.Field;
        fields[KtpField.KabupatenKota] = regency.Field;
        fields[KtpField.Kecamatan] = district.Field;
        fields[KtpField.KelDesa] = village.Field;
        fields[KtpField.TempatTerbit] = _regions.IssuePlace(Raw(KtpField.TempatTerbit), provinceCode).Field;

        fields[KtpField.Nik] = nik;
        fields[KtpField.Nama] = FreeTextParser.Name(Raw(KtpField.Nama), FieldLabels.For(KtpField.Nama));

        if (string.IsNullOrWhiteSpace(Raw(KtpField.TanggalLahir)))
            (fields[KtpField.TempatLahir], fields[KtpField.TanggalLahir]) = BirthPlaceDateParser.Parse(Raw(KtpField.TempatLahir));
        else
        {
            // The date was read on its own (by its digits, or by a vote over readings): the line's own date, if it
            // holds one, and the comma before it are no part of the place.
            fields[KtpField.TempatLahir] = BirthPlaceDateParser.Parse(Raw(KtpField.TempatLahir)).Place;
            fields[KtpField.TanggalLahir] = DateParser.Parse(Raw(KtpField.TanggalLahir), FieldLabels.For(KtpField.TanggalLahir));
        }
        fields[KtpField.TempatLahir] = _regions.BirthPlace(fields[KtpField.TempatLahir]);

        var sexRaw = Raw(KtpField.JenisKelamin);
        var bloodRaw = Raw(KtpField.GolonganDarah);
        if (string.IsNullOrWhiteSpace(bloodRaw) && sexRaw is not null && BloodTypeSuffix().Match(sexRaw) is { Success: true } m)
        {
            bloodRaw = m.Groups["blood"].Value;
            sexRaw = sexRaw[..m.Index];
        }
        fields[KtpField.JenisKelamin] = _sex.Parse(sexRaw);
        fields[KtpField.GolonganDarah] = BloodTypeParser.Parse(bloodRaw);

        fields[KtpField.Alamat] = FreeTextParser.Address(Raw(KtpField.Alamat), FieldLabels.For(KtpField.Alamat));
        fields[KtpField.RtRw] = RtRwParser.Parse(Raw(KtpField.RtRw));
        fields[KtpField.Agama] = _religion.Parse(Raw(KtpField.Agama));
        fields[KtpField.StatusPerkawinan] = _marital.Parse(Raw(KtpField.StatusPerkawinan));
        fields[KtpField.Pekerjaan] = _occupation.Parse(Raw(KtpField.Pekerjaan));
        fields[KtpField.Kewarganegaraan] = NationalityParser.Parse(Raw(KtpField.Kewarganegaraan));
        fields[KtpField.BerlakuHingga] = ValidityParser.Parse(Raw(KtpField.BerlakuHingga));
        fields[KtpField.TanggalTerbit] = DateParser.Parse(Raw(KtpField.TanggalTerbit), []);

        return new ParsedCard(fields, new ResolvedRegions(province.Region, regency.Region, district.Region, village.Region));
    }

    private string? NikRegency(ParsedField nik) =>
        nik.IsValid && nik.Value is { } v && regions.Exists(v[..4]) ? v[..4] : null;
}
