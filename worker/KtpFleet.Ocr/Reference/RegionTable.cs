using KtpFleet.Ocr.Parsing;

namespace KtpFleet.Ocr.Reference;

/// <summary>
/// Kemendagri region codes: provinces, regencies/cities and districts of every edition 2016–2025 (with the years each
/// code existed; names of the 2025 edition where the code still exists) and the villages of the 2025 edition.
/// Immutable after load; <see cref="Shared"/> loads once, lazily, thread-safe. Villages load on first use.
/// </summary>
public sealed class RegionTable
{
    private const string UnionFile = "kode_wilayah_prov_kab_kec_union_2016_2025.csv";
    private const string Edition2025File = "kode_wilayah_prov_kab_kec_2025.csv";

    private static readonly Lazy<RegionTable> SharedTable = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    public static RegionTable Shared => SharedTable.Value;

    private readonly Dictionary<string, Region> _byCode;
    private readonly Dictionary<string, List<Region>> _children;
    private readonly Region[] _provinces;
    private readonly Region[][] _byLevel;
    private readonly Lazy<VillageTable> _villages;
    private readonly Dictionary<(RegionLevel, string), Region[]> _byPrintedName;

    private RegionTable(IReadOnlyList<Region> regions, Func<VillageTable> villages)
    {
        _byCode = regions.ToDictionary(r => r.Code, StringComparer.Ordinal);
        _children = regions.Where(r => r.ParentCode is not null)
            .GroupBy(r => r.ParentCode!)
            .ToDictionary(g => g.Key, g => g.OrderBy(r => r.Code, StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        _byLevel = new Region[4][];
        for (var level = RegionLevel.Province; level <= RegionLevel.District; level++)
            _byLevel[(int)level] = regions.Where(r => r.Level == level).OrderBy(r => r.Code, StringComparer.Ordinal).ToArray();
        _provinces = _byLevel[(int)RegionLevel.Province];
        _byPrintedName = regions
            .SelectMany(r => r.PrintedNames.Distinct().Select(n => (Key: (r.Level, n), Region: r)))
            .GroupBy(x => x.Key)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Region).ToArray());
        _villages = new Lazy<VillageTable>(villages, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Loads from the embedded reference files. Prefer <see cref="Shared"/>.</summary>
    public static RegionTable Load()
    {
        var names2025 = EmbeddedData.CsvRows(Edition2025File).ToDictionary(r => r[0], r => r[3], StringComparer.Ordinal);
        var regions = new List<Region>(8500);
        foreach (var row in EmbeddedData.CsvRows(UnionFile))
        {
            var code = row[0];
            var level = (RegionLevel)int.Parse(row[2], System.Globalization.CultureInfo.InvariantCulture);
            var name = (names2025.TryGetValue(code, out var current) ? current : row[3]).Trim();
            var years = row[4].Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(y => int.Parse(y, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            regions.Add(new Region(code, level, name, PrintedRegionNames.For(level, name), years));
        }
        return new RegionTable(regions, VillageTable.Load);
    }

    public IReadOnlyList<Region> Provinces => _provinces;

    public int Count(RegionLevel level) =>
        level == RegionLevel.Village ? _villages.Value.Count : _byLevel[(int)level].Length;

    /// <summary>A region of any level by its undotted code (2, 4, 6 or 10 digits); null when no edition has it.</summary>
    public Region? Find(string code)
    {
        if (code.Length == 10) return _villages.Value.Find(code);
        return _byCode.GetValueOrDefault(code);
    }

    /// <summary>Whether the code exists in at least one edition 2016–2025 (villages: the 2025 edition).</summary>
    public bool Exists(string code) => Find(code) is not null;

    public IReadOnlyList<Region> RegenciesOf(string provinceCode) => ChildrenOf(provinceCode);

    public IReadOnlyList<Region> DistrictsOf(string regencyCode) => ChildrenOf(regencyCode);

    public IReadOnlyList<Region> VillagesOf(string districtCode) => _villages.Value.InDistrict(districtCode);

    private IReadOnlyList<Region> ChildrenOf(string code) =>
        _children.TryGetValue(code, out var list) ? list : [];

    /// <summary>
    /// All regions of <paramref name="level"/> whose code starts with <paramref name="withinCode"/> (e.g. districts
    /// of regency 3301, villages of province 33); every region of the level when it is null.
    /// </summary>
    public IEnumerable<Region> Within(RegionLevel level, string? withinCode)
    {
        if (level == RegionLevel.Village) return _villages.Value.Within(withinCode);
        var all = _byLevel[(int)level];
        if (string.IsNullOrEmpty(withinCode)) return all;
        // Sorted by code, so the regions under a prefix are one contiguous range.
        var start = LowerBound(all, withinCode);
        var end = LowerBound(all, withinCode + "\uffff");
        return new ArraySegment<Region>(all, start, end - start);
    }

    private static int LowerBound(Region[] sorted, string code)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (string.CompareOrdinal(sorted[mid].Code, code) < 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /// <summary>Provinces, regencies or districts printed exactly as <paramref name="name"/> (folded to upper case); several when the name recurs.</summary>
    public IReadOnlyList<Region> FindExact(RegionLevel level, string name) =>
        _byPrintedName.TryGetValue((level, PrintedRegionNames.Fold(name)), out var found) ? found : [];

    /// <summary>Whether some district or village is printed exactly as <paramref name="name"/> (folded to upper case).</summary>
    public bool IsLocalPlaceName(string name)
    {
        var folded = PrintedRegionNames.Fold(name);
        return _byPrintedName.ContainsKey((RegionLevel.District, folded)) || _villages.Value.HasName(folded);
    }

    /// <summary>
    /// The region of <paramref name="level"/> whose printed name is nearest to <paramref name="name"/> (upper-cased,
    /// OCR-aware), looked up inside <paramref name="withinCode"/> when given; null when nothing is close enough
    /// (see <see cref="Snapper"/>) or the nearest names are ambiguous.
    /// </summary>
    public SnapMatch<Region>? FindByName(RegionLevel level, string name, string? withinCode = null) =>
        Snapper.Best(PrintedRegionNames.Fold(name), Within(level, withinCode), r => r.PrintedNames);
}
