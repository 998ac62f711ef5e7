using System.Text.RegularExpressions;
using KtpFleet.Ocr.Results;

namespace KtpFleet.Corpus.Bench;

/// <summary>
/// The regex parsing public KTP OCR projects put after one whole-image Tesseract pass: find each label at the start
/// of a line, take what follows the colon, strip obvious noise. No layout, no vocabulary snapping, no checks.
/// </summary>
public static partial class BaselineParser
{
    private static readonly (string Field, Regex Label)[] Labels =
    [
        (KtpField.Nama, LabelRegex("nama")),
        (KtpField.Alamat, LabelRegex("alamat")),
        (KtpField.RtRw, LabelRegex(@"rt\s*/?\s*rw")),
        (KtpField.KelDesa, LabelRegex(@"kel\s*/?\s*desa")),
        (KtpField.Kecamatan, LabelRegex("kecamatan")),
        (KtpField.Agama, LabelRegex("agama")),
        (KtpField.StatusPerkawinan, LabelRegex(@"status\s*perkawinan")),
        (KtpField.Pekerjaan, LabelRegex("pekerjaan")),
        (KtpField.Kewarganegaraan, LabelRegex("kewarganegaraan")),
        (KtpField.BerlakuHingga, LabelRegex(@"berlaku\s*hingga")),
    ];

    public static Dictionary<string, string?> Parse(string text)
    {
        var values = KtpField.All.ToDictionary(f => f, _ => (string?)null);
        var lines = text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var line in lines)
        {
            if (ProvinceRegex().Match(line) is { Success: true } p) { values[KtpField.Provinsi] ??= Clean(p.Groups[1].Value); continue; }
            if (RegencyRegex().Match(line) is { Success: true } r) { values[KtpField.KabupatenKota] ??= Clean(r.Value); continue; }
            if (NikRegex().Match(line) is { Success: true } n)
            {
                var digits = new string(n.Groups[1].Value.Where(char.IsDigit).ToArray());
                values[KtpField.Nik] ??= digits.Length > 0 ? digits : null;
                continue;
            }
            if (BirthRegex().Match(line) is { Success: true } b)
            {
                var rest = AfterColon(line, b.Length);
                var date = DateRegex().Match(rest);
                values[KtpField.TanggalLahir] ??= date.Success ? date.Value : null;
                var comma = rest.IndexOf(',');
                values[KtpField.TempatLahir] ??= Clean(comma >= 0 ? rest[..comma] : date.Success ? rest[..date.Index] : rest);
                continue;
            }
            if (SexRegex().Match(line) is { Success: true } s)
            {
                var rest = AfterColon(line, s.Length);
                var sex = SexValueRegex().Match(rest);
                values[KtpField.JenisKelamin] ??= sex.Success ? sex.Value.ToUpperInvariant() : Clean(rest);
                var blood = BloodRegex().Match(rest);
                if (blood.Success) values[KtpField.GolonganDarah] ??= blood.Groups[1].Value.ToUpperInvariant();
                continue;
            }
            foreach (var (field, label) in Labels)
            {
                var m = label.Match(line);
                if (!m.Success) continue;
                var value = Clean(AfterColon(line, m.Length));
                if (field == KtpField.RtRw && RtRwRegex().Match(value ?? "") is { Success: true } rt) value = rt.Value;
                values[field] ??= value;
                break;
            }
        }

        // The issue date is the last date on the card that is not the birth date; the place is the line before it.
        for (var i = lines.Length - 1; i >= 0; i--)
        {
            var date = DateRegex().Matches(lines[i]).LastOrDefault();
            if (date is null || date.Value == values[KtpField.TanggalLahir] || lines[i].Contains("Berlaku", StringComparison.OrdinalIgnoreCase)) continue;
            values[KtpField.TanggalTerbit] = date.Value;
            if (i > 0) values[KtpField.TempatTerbit] = Clean(LastWords(lines[i - 1]));
            break;
        }
        return values;
    }

    private static string AfterColon(string line, int labelEnd)
    {
        var rest = line[labelEnd..];
        var colon = rest.IndexOf(':');
        return colon >= 0 && colon < 4 ? rest[(colon + 1)..] : rest;
    }

    private static string LastWords(string line)
    {
        var colon = line.LastIndexOf(':');
        var tail = colon >= 0 ? line[(colon + 1)..] : line;
        // Right-column text sits after a wide gap Tesseract renders as two or more spaces.
        var gap = tail.LastIndexOf("  ", StringComparison.Ordinal);
        return gap >= 0 ? tail[gap..] : tail;
    }

    private static string? Clean(string value)
    {
        var cleaned = string.Join(' ', value.Trim(' ', ':', '.', ',', '-', '|', '\'', '"').Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return cleaned.Length == 0 ? null : cleaned.ToUpperInvariant();
    }

    private static Regex LabelRegex(string label) => new(@"^\W*" + label + @"\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    [GeneratedRegex(@"^\W*PROVINSI\s+(.+)$", RegexOptions.IgnoreCase)] private static partial Regex ProvinceRegex();
    [GeneratedRegex(@"^\W*(KABUPATEN|KOTA|JAKARTA)\s+.+$", RegexOptions.IgnoreCase)] private static partial Regex RegencyRegex();
    [GeneratedRegex(@"^\W*NIK\W*(.+)$", RegexOptions.IgnoreCase)] private static partial Regex NikRegex();
    [GeneratedRegex(@"^\W*Tempat\s*/?\s*Tgl\s*Lahir", RegexOptions.IgnoreCase)] private static partial Regex BirthRegex();
    [GeneratedRegex(@"^\W*Jenis\s*Kelamin", RegexOptions.IgnoreCase)] private static partial Regex SexRegex();
    [GeneratedRegex(@"LAKI-LAKI|PEREMPUAN|MALE|FEMALE", RegexOptions.IgnoreCase)] private static partial Regex SexValueRegex();
    [GeneratedRegex(@"Darah\W*(AB|A|B|O|-)[+-]?\s*$", RegexOptions.IgnoreCase)] private static partial Regex BloodRegex();
    [GeneratedRegex(@"\d{2}-\d{2}-\d{4}")] private static partial Regex DateRegex();
    [GeneratedRegex(@"\d{3}\s*/\s*\d{3}")] private static partial Regex RtRwRegex();
}
