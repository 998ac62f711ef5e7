namespace KtpFleet.Ocr.Reference;

/// <summary>
/// Maps a table name (<c>Kabupaten Aceh Selatan</c>, <c>KAB. MERAUKE</c>, <c>Kota Administrasi Jakarta Pusat</c>)
/// to the upper-case forms printed on cards. The table mixes spellings across editions, so all are folded here.
/// </summary>
public static class PrintedRegionNames
{
    public const string KabupatenPrefix = "KABUPATEN ";
    public const string KotaPrefix = "KOTA ";

    private static readonly Dictionary<string, string[]> ProvinceAliases = new(StringComparer.Ordinal)
    {
        ["DAERAH KHUSUS IBUKOTA JAKARTA"] = ["DKI JAKARTA", "DAERAH KHUSUS IBUKOTA JAKARTA", "DAERAH KHUSUS JAKARTA"],
        ["DAERAH ISTIMEWA YOGYAKARTA"] = ["DAERAH ISTIMEWA YOGYAKARTA", "DI YOGYAKARTA", "D.I. YOGYAKARTA"],
        ["ACEH"] = ["ACEH", "NANGGROE ACEH DARUSSALAM"],
        ["KEPULAUAN BANGKA BELITUNG"] = ["KEPULAUAN BANGKA BELITUNG", "BANGKA BELITUNG"],
    };

    /// <summary>Upper case, single spaces, trimmed.</summary>
    public static string Fold(string name) => Parsing.TextCleanup.Fold(name);

    public static IReadOnlyList<string> For(RegionLevel level, string tableName)
    {
        var name = Fold(tableName);
        return level switch
        {
            RegionLevel.Province => ProvinceAliases.TryGetValue(name, out var aliases) ? aliases : [name],
            RegionLevel.Regency => Regency(name),
            _ => [name],
        };
    }

    private static string[] Regency(string name)
    {
        if (name.StartsWith("KAB. ", StringComparison.Ordinal)) name = KabupatenPrefix + name[5..].TrimStart();
        const string kotaAdm = "KOTA ADMINISTRASI ";
        const string kabAdm = "KABUPATEN ADMINISTRASI ";
        // DKI's administrative cities/regency print their bare name on the card.
        if (name.StartsWith(kotaAdm, StringComparison.Ordinal))
        {
            var bare = name[kotaAdm.Length..];
            return [bare, KotaPrefix + bare, name];
        }
        if (name.StartsWith(kabAdm, StringComparison.Ordinal))
        {
            var bare = name[kabAdm.Length..];
            return [bare, KabupatenPrefix + bare, name];
        }
        return [name];
    }

    /// <summary>The regency/city name without its <c>KABUPATEN</c>/<c>KOTA</c> prefix, as under the photo (issue place).</summary>
    public static string Bare(string printedRegency) => SplitPrefix(printedRegency).Bare;

    public static bool HasRegencyPrefix(string printed) => SplitPrefix(printed).Prefix.Length > 0;

    /// <summary><c>KABUPATEN CILACAP</c> → (<c>KABUPATEN </c>, <c>CILACAP</c>); no prefix → ("", name).</summary>
    public static (string Prefix, string Bare) SplitPrefix(string printedRegency)
    {
        foreach (var prefix in (string[])[KabupatenPrefix, KotaPrefix])
            if (printedRegency.StartsWith(prefix, StringComparison.Ordinal)) return (prefix, printedRegency[prefix.Length..]);
        return ("", printedRegency);
    }

    /// <summary>
    /// The bare names of a regency to compare a reading with <paramref name="prefix"/> against: those printed with the
    /// same prefix, or every bare name when the reading has none. Comparing bare names keeps the shared
    /// <c>KABUPATEN </c> from making two different regencies look close.
    /// </summary>
    public static IEnumerable<string> BareNamesWithPrefix(Region regency, string prefix) =>
        regency.PrintedNames.Select(SplitPrefix)
            .Where(n => prefix.Length == 0 || n.Prefix == prefix)
            .Select(n => n.Bare)
            .Distinct();
}
