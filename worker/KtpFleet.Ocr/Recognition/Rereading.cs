using KtpFleet.Ocr.Results;
using KtpFleet.Ocr.Verdicts;

namespace KtpFleet.Ocr.Recognition;

/// <summary>
/// Which values get a second reading, and which reading each keeps. A value that does not parse (an RT/RW of
/// letters, an impossible date, <c>V</c> for <c>WNI</c>) was misread, so it is read once more at another scale; the
/// second reading replaces the first only where more of the fields on that line then parse. Values that parsed are
/// never re-read, so a clean card costs nothing more and a good first reading is never traded for a worse one.
/// </summary>
public static class Rereading
{
    /// <summary>Fields read from another field's line: the date of birth shares the line of the birthplace.</summary>
    private static readonly Dictionary<string, string> LineOf = new(StringComparer.Ordinal)
    {
        [KtpField.TanggalLahir] = KtpField.TempatLahir,
    };

    /// <summary>The line (raw field key) a field is read from.</summary>
    public static string Line(string field) => LineOf.GetValueOrDefault(field, field);

    /// <summary>The lines (raw field keys) holding a value that did not parse or was not read.</summary>
    public static IReadOnlyList<string> LinesToReread(VerifiedCard verified) =>
        KtpField.All
            .Where(f => !FieldRecognizer.IsGlyphMatched(f) && !Parsed(verified, f))
            .Select(Line)
            .Distinct()
            .ToList();

    /// <summary>
    /// The first reading with each re-read line swapped in where that makes more of its fields parse.
    /// <paramref name="rereadVerified"/> is the verification of the first reading with every re-read line swapped in.
    /// </summary>
    public static Dictionary<string, RawField> Merge(
        IReadOnlyDictionary<string, RawField> first, VerifiedCard firstVerified,
        IReadOnlyDictionary<string, RawField> reread, VerifiedCard rereadVerified) =>
        Swap(first, reread, Better(firstVerified, reread, rereadVerified));

    /// <summary>
    /// <paramref name="raw"/> with each candidate line swapped in where that makes more of its fields parse (see
    /// <see cref="Merge"/>), and its verification: verified again only when a line was swapped.
    /// </summary>
    public static (Dictionary<string, RawField> Raw, VerifiedCard Verified) KeepBetter(
        IReadOnlyDictionary<string, RawField> raw, VerifiedCard verified,
        IReadOnlyDictionary<string, RawField> candidates, Func<IReadOnlyDictionary<string, RawField>, VerifiedCard> verify)
    {
        if (candidates.Count == 0) return (Swap(raw, candidates, []), verified);
        var better = Better(verified, candidates, verify(Swap(raw, candidates, candidates.Keys)));
        var merged = Swap(raw, candidates, better);
        return (merged, better.Count == 0 ? verified : verify(merged));
    }

    /// <summary>The candidate lines with more of their fields parsed in <paramref name="candidateVerified"/> than in <paramref name="verified"/>.</summary>
    private static List<string> Better(VerifiedCard verified, IReadOnlyDictionary<string, RawField> candidates, VerifiedCard candidateVerified) =>
        candidates.Keys
            .Where(line => FieldsOn(line) is var fields && fields.Count(f => Parsed(candidateVerified, f)) > fields.Count(f => Parsed(verified, f)))
            .ToList();

    private static Dictionary<string, RawField> Swap(IReadOnlyDictionary<string, RawField> raw, IReadOnlyDictionary<string, RawField> candidates, IEnumerable<string> lines)
    {
        var swapped = new Dictionary<string, RawField>(raw, StringComparer.Ordinal);
        foreach (var line in lines) swapped[line] = candidates[line];
        return swapped;
    }

    private static List<string> FieldsOn(string line) =>
        [line, .. LineOf.Where(kv => kv.Value == line).Select(kv => kv.Key)];

    private static bool Parsed(VerifiedCard verified, string field) =>
        verified.Evidence.TryGetValue(field, out var e) && e.Class != ConfidenceClass.Invalid
        && !(e.Class == ConfidenceClass.Unverified && InVocabularyOnly.Contains(field));

    /// <summary>
    /// Fields whose reading outside the reference tables is far likelier a misread than a place the tables lack: the
    /// issue place, the issuing regency's name printed small under the photo. On 200 training photo cards 19 issue
    /// places were read outside the tables, all misread; re-read and then guessed by shape (<see cref="PhraseReader"/>),
    /// 11 of them read right. The headers' large print is read well, and a name there outside the tables stays as read.
    /// </summary>
    private static readonly HashSet<string> InVocabularyOnly = new(StringComparer.Ordinal) { KtpField.TempatTerbit };
}
