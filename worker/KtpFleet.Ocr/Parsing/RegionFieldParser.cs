using KtpFleet.Ocr.Reference;

namespace KtpFleet.Ocr.Parsing;

/// <summary>A region field's parse and the region it resolved to (null when not found in the table).</summary>
public sealed record RegionParse(ParsedField Field, Region? Region);

/// <summary>
/// Province, regency/city, district, village and issue place. Values snap to the region table's printed names,
/// looked up first inside the enclosing region the card itself prints (its header), then wider (kecamatan: exact
/// names only nationwide; kel/desa: never nationwide); a name that is close to nothing is kept as read
/// (unverified) — a printed value always wins over the table.
/// </summary>
public sealed class RegionFieldParser(RegionTable table)
{
    private static readonly string[] ProvinceWords = ["PROVINSI", "PROPINSI"];

    /// <summary><c>PROVINSI JAWA TENGAH</c> → <c>JAWA TENGAH</c>.</summary>
    public RegionParse Province(string? raw)
    {
        var changes = new List<string>();
        var text = TextCleanup.Clean(raw, [], changes);
        if (text.Length == 0) return new(ParsedField.Missing, null);
        var tokens = text.Split(' ');
        if (tokens.Length > 1 && ProvinceWords.Any(w => OcrEditDistance.Distance(tokens[0], w) <= 1.6))
        {
            text = string.Join(' ', tokens[1..]);
            changes.Add(Change.LabelRemoved);
        }
        return Snap(RegionLevel.Province, text, changes, [null]);
    }

    /// <summary><c>KABUPATEN CILACAP</c>, <c>KOTA BANDUNG</c>, <c>JAKARTA SELATAN</c>: the prefix is kept as printed.</summary>
    public RegionParse Regency(string? raw, string? provinceCode)
    {
        var changes = new List<string>();
        var text = TextCleanup.Clean(raw, [], changes);
        if (text.Length == 0) return new(ParsedField.Missing, null);
        text = ExpandKabAbbreviation(text, changes);
        return Snap(RegionLevel.Regency, text, changes, Scopes(provinceCode));
    }

    /// <param name="misread">the reading is doubted (see <see cref="LocalSnapDistance"/>): a far reading may snap to a clear nearest name of the card's regency</param>
    public RegionParse District(string? raw, string? regencyCode, string? provinceCode, bool misread = false) =>
        Snap(RegionLevel.District, raw, Results.KtpField.Kecamatan, Scopes(regencyCode, provinceCode), misread);

    /// <summary>Kel/desa: only inside the card's kecamatan or regency; 83k names nationwide are too many to snap among safely.</summary>
    public RegionParse Village(string? raw, string? districtCode, string? regencyCode, bool misread = false) =>
        Snap(RegionLevel.Village, raw, Results.KtpField.KelDesa, [.. new[] { districtCode, regencyCode }.OfType<string>()], misread);

    /// <summary>
    /// The issuing regency/city under the photo, usually printed without its prefix (<c>CILACAP</c>): a reading
    /// without prefix is matched against the bare names (see <see cref="Regency"/>).
    /// </summary>
    public RegionParse IssuePlace(string? raw, string? provinceCode) => Regency(raw, provinceCode);

    /// <summary>
    /// The place of birth: mostly a regency or city, printed bare (<c>CILACAP</c>), though a village or a foreign city
    /// may be printed too. A bare regency/city name as read is verified; a reading close to one snaps to it (photos'
    /// ~10-px misreads: <c>SINJAL</c> → <c>SINJAI</c>), unless it is itself a district's or village's name, a real
    /// place as printed (<c>BARU</c> is a village, not <c>BARRU</c>); anything else is kept as read, unverified.
    /// </summary>
    public ParsedField BirthPlace(ParsedField place)
    {
        if (place.Status != ParseStatus.Unverified || place.Value is not { } text) return place;
        var regency = Snap(RegionLevel.Regency, text, [.. place.Changes], [null]).Field;
        return regency.Status switch
        {
            ParseStatus.Verified => regency,
            ParseStatus.Corrected when !table.IsLocalPlaceName(text) => regency,
            _ => place,
        };
    }

    /// <summary>
    /// How far a doubted kecamatan or kel/desa reading (OCR confidence under <see cref="KtpFieldParser.DoubtedOcrConfidence"/>)
    /// may be from a name of the card's own regency or kecamatan (relative to the longer length), and how much nearer
    /// than every other name there it must be, to snap to it.
    /// </summary>
    internal const double LocalSnapDistance = 0.5;
    internal const double LocalSnapLead = 0.2;

    /// <summary>The given enclosing codes, narrowest first, then the whole country (null).</summary>
    private static string?[] Scopes(params string?[] codes) => [.. codes.OfType<string>(), null];

    private RegionParse Snap(RegionLevel level, string? raw, string field, string?[] scopes, bool misread = false)
    {
        var changes = new List<string>();
        var text = TextCleanup.Clean(raw, FieldLabels.For(field), changes);
        if (text.Length == 0) return new(ParsedField.Missing, null);
        return Snap(level, text, changes, scopes, misread);
    }

    private RegionParse Snap(RegionLevel level, string text, List<string> changes, string?[] scopes, bool misread = false)
    {
        // A region name is letters (a digit or two are OCR confusions, C1LACAP); mostly digits is another field's
        // text, e.g. the issue date read as the issue place after a layout slip.
        if (text.Count(char.IsDigit) >= text.Count(char.IsLetter))
            return new(ParsedField.Invalid(text, changes, "a region name is letters, not digits"), null);
        // Regencies compare bare names under the prefix as read (none read: any bare name, kept bare).
        var (prefix, bare) = level == RegionLevel.Regency ? PrintedRegionNames.SplitPrefix(text) : ("", text);
        foreach (var scope in scopes.Distinct())
        {
            if (scope is null && level == RegionLevel.District)
            {
                // Across 7,000 kecamatan many names are a few edits apart: outside the card's own regency and
                // province only an exact name counts (it still resolves the region, e.g. for the village lookup).
                var exact = table.FindExact(level, text);
                if (exact.Count > 0) return new(ParsedField.Valid(text, changes, corrected: false), exact.Count == 1 ? exact[0] : null);
                continue;
            }
            var candidates = table.Within(level, scope);
            var match = level == RegionLevel.Regency
                ? Snapper.Best(bare, candidates, r => PrintedRegionNames.BareNamesWithPrefix(r, prefix))
                : Snapper.Best(text, candidates, r => r.PrintedNames);
            if (match is null) continue;
            var value = prefix + match.Name;
            var field = match.Distance == 0 && value == text
                ? ParsedField.Valid(text, changes, corrected: false)
                : ParsedField.Valid(value, [.. changes, Change.Snapped], corrected: true, match.Distance);
            return new(field, match.Item);
        }
        // Inside the card's own regency (a kecamatan) or kecamatan (a kel/desa) there are a few dozen names at most:
        // a reading too far from all for the strict snap, and doubted by the OCR itself, can still point clearly at
        // one of them (photos' ~10-px misreads: ME LAGU → MELAGI, PGONAME → DOGONAME). A name read with confidence
        // is a real name the table lacks (a specimen prints ANGSANA, a few edits from JANGRANA), and stays as read.
        if (misread && level is RegionLevel.District or RegionLevel.Village && scopes.FirstOrDefault() is { } narrowest
            && Snapper.Clearest(text, table.Within(level, narrowest), r => r.PrintedNames, LocalSnapDistance, LocalSnapLead) is { } clear)
            return new(ParsedField.Valid(clear.Name, [.. changes, Change.Snapped], corrected: true, clear.Distance), clear.Item);
        return new(new ParsedField(text, ParseStatus.Unverified, 0, [.. changes, Change.OutOfVocabulary]), null);
    }

    private static string ExpandKabAbbreviation(string text, List<string> changes)
    {
        foreach (var abbreviation in (string[])["KAB. ", "KAB "])
            if (text.StartsWith(abbreviation, StringComparison.Ordinal))
            {
                changes.Add(Change.SeparatorsNormalised);
                return PrintedRegionNames.KabupatenPrefix + text[abbreviation.Length..];
            }
        return text;
    }
}
