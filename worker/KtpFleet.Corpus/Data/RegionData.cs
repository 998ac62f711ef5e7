using System.Globalization;
using KtpFleet.Ocr;

namespace KtpFleet.Corpus.Data;

public sealed record Province(string Code, string Name);

/// <summary>A regency (KABUPATEN) or city (KOTA); <see cref="PrintedName"/> is the header line as cards print it.</summary>
public sealed record Regency(string Code, string Name, string PrintedName, string ShortName, Province Province);

public sealed record District(string Code, string Name, Regency Regency, IReadOnlyList<string> Villages);

/// <summary>
/// The 2025 Kemendagri region tables embedded in the OCR library, shaped for drawing realistic cards:
/// every district with its villages, its regency and its province. Upper-cased as cards print them.
/// </summary>
public sealed class RegionData
{
    private static readonly Lazy<RegionData> Shared = new(Load);

    public IReadOnlyList<District> Districts { get; }
    public IReadOnlyDictionary<string, Regency> Regencies { get; }
    public IReadOnlyDictionary<string, Province> Provinces { get; }

    private RegionData(IReadOnlyList<District> districts, IReadOnlyDictionary<string, Regency> regencies,
        IReadOnlyDictionary<string, Province> provinces)
    {
        Districts = districts;
        Regencies = regencies;
        Provinces = provinces;
    }

    public static RegionData Instance => Shared.Value;

    private static RegionData Load()
    {
        var provinces = new Dictionary<string, Province>();
        var regencies = new Dictionary<string, Regency>();
        var districtNames = new List<(string Code, string Name)>();
        foreach (var row in EmbeddedCsv.Rows("kode_wilayah_prov_kab_kec_2025.csv"))
        {
            var code = row[0];
            var name = Clean(row[3]);
            switch (row[2])
            {
                case "1": provinces[code] = new Province(code, PrintedProvince(name)); break;
                case "2": regencies[code] = MakeRegency(code, name, provinces[code[..2]]); break;
                case "3": districtNames.Add((code, name)); break;
            }
        }

        var villages = new Dictionary<string, List<string>>();
        foreach (var row in EmbeddedCsv.Rows("kode_wilayah_desa_2025.csv"))
        {
            var name = Clean(row[2]);
            if (!IsPrintable(name)) continue;
            var district = row[0][..6];
            if (!villages.TryGetValue(district, out var list)) villages[district] = list = [];
            list.Add(name);
        }

        var districts = districtNames
            .Where(d => IsPrintable(d.Name) && villages.ContainsKey(d.Code) && regencies.ContainsKey(d.Code[..4]))
            .Select(d => new District(d.Code, d.Name, regencies[d.Code[..4]], villages[d.Code]))
            .ToList();
        return new RegionData(districts, regencies, provinces);
    }

    private static string Clean(string s) => string.Join(' ', s.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        .ToUpper(CultureInfo.InvariantCulture);

    // The printed header differs from the table name for the two special regions.
    private static string PrintedProvince(string name) => name switch
    {
        "DAERAH KHUSUS IBUKOTA JAKARTA" => "DKI JAKARTA",
        _ => name,
    };

    private static Regency MakeRegency(string code, string name, Province province)
    {
        foreach (var prefix in new[] { "KABUPATEN ADMINISTRASI ", "KOTA ADMINISTRASI " })
        {
            // DKI cards print the administrative city or regency name alone, e.g. "JAKARTA SELATAN".
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                var shortName = name[prefix.Length..];
                return new Regency(code, name, shortName, shortName, province);
            }
        }
        var kind = name.StartsWith("KOTA ", StringComparison.Ordinal) ? "KOTA " : "KABUPATEN ";
        var bare = name.StartsWith(kind, StringComparison.Ordinal) ? name[kind.Length..] : name;
        return new Regency(code, name, kind + bare, bare, province);
    }

    // Names with digits or unusual punctuation are real but rare; keeping to letters keeps the GT unambiguous.
    private static bool IsPrintable(string name) =>
        name.Length is > 1 and <= 26 && name.All(c => c is (>= 'A' and <= 'Z') or ' ' or '.' or '-' or '\'');
}

/// <summary>Reads the CSV tables embedded in KtpFleet.Ocr (quoted fields allowed, header skipped).</summary>
internal static class EmbeddedCsv
{
    public static IEnumerable<string[]> Rows(string fileName)
    {
        using var stream = typeof(IKtpExtractor).Assembly.GetManifestResourceStream("KtpFleet.Ocr.Data." + fileName)
            ?? throw new InvalidOperationException($"embedded resource {fileName} missing from KtpFleet.Ocr");
        using var reader = new StreamReader(stream);
        reader.ReadLine();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0) yield return Split(line);
        }
    }

    public static string Text(string fileName)
    {
        using var stream = typeof(IKtpExtractor).Assembly.GetManifestResourceStream("KtpFleet.Ocr.Data." + fileName)
            ?? throw new InvalidOperationException($"embedded resource {fileName} missing from KtpFleet.Ocr");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static string[] Split(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { current.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else current.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(current.ToString()); current.Clear(); }
            else current.Append(c);
        }
        fields.Add(current.ToString());
        return [.. fields];
    }
}
