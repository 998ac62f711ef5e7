namespace KtpFleet.Ocr.Reference;

/// <summary>
/// One administrative region. <see cref="PrintedNames"/> are the upper-case forms a card may print, the usual one
/// first (e.g. <c>KABUPATEN CILACAP</c>; DKI cities print <c>JAKARTA SELATAN</c> without <c>KOTA</c>).
/// </summary>
public sealed record Region(string Code, RegionLevel Level, string Name, IReadOnlyList<string> PrintedNames, IReadOnlyList<int> Editions)
{
    public string PrintedName => PrintedNames[0];

    /// <summary>Code of the enclosing region; null for a province.</summary>
    public string? ParentCode => Level switch
    {
        RegionLevel.Province => null,
        RegionLevel.Village => Code[..6],
        _ => Code[..(RegionCode.Length(Level) - 2)],
    };

    public bool InEdition(int year) => Editions.Contains(year);
}
