namespace KtpFleet.Ocr.Reference;

/// <summary>
/// The 83k villages (Kel/Desa) of the 2025 edition, stored as two sorted arrays (code, name) rather than 83k
/// records: a district's villages are one binary-searched range, and <see cref="Region"/>s are made on demand.
/// </summary>
internal sealed class VillageTable
{
    private const string VillageFile = "kode_wilayah_desa_2025.csv";
    private static readonly int[] Edition2025 = [2025];

    private readonly string[] _codes;
    private readonly string[] _names;

    private readonly Lazy<HashSet<string>> _nameSet;

    private VillageTable(string[] codes, string[] names)
    {
        _codes = codes;
        _names = names;
        _nameSet = new Lazy<HashSet<string>>(() => new HashSet<string>(_names, StringComparer.Ordinal), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public static VillageTable Load()
    {
        var rows = new List<(string Code, string Name)>(84_000);
        foreach (var row in EmbeddedData.CsvRows(VillageFile))
            rows.Add((row[0], PrintedRegionNames.Fold(row[2])));
        rows.Sort((a, b) => string.CompareOrdinal(a.Code, b.Code));
        return new VillageTable(rows.Select(r => r.Code).ToArray(), rows.Select(r => r.Name).ToArray());
    }

    public int Count => _codes.Length;

    /// <summary>Whether some village's folded name is <paramref name="folded"/>.</summary>
    public bool HasName(string folded) => _nameSet.Value.Contains(folded);

    public Region? Find(string code)
    {
        var i = Array.BinarySearch(_codes, code, StringComparer.Ordinal);
        return i >= 0 ? At(i) : null;
    }

    public IReadOnlyList<Region> InDistrict(string districtCode) => Within(districtCode).ToList();

    public IEnumerable<Region> Within(string? prefix)
    {
        var (start, end) = Range(prefix ?? "");
        for (var i = start; i < end; i++) yield return At(i);
    }

    private Region At(int i) => new(_codes[i], RegionLevel.Village, _names[i], [_names[i]], Edition2025);

    private (int Start, int End) Range(string prefix)
    {
        if (prefix.Length == 0) return (0, _codes.Length);
        return (LowerBound(prefix), LowerBound(prefix + "\uffff"));
    }

    private int LowerBound(string key)
    {
        int lo = 0, hi = _codes.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (string.CompareOrdinal(_codes[mid], key) < 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
