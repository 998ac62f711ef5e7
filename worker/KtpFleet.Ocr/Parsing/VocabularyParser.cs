namespace KtpFleet.Ocr.Parsing;

/// <summary>
/// A field whose value comes from a list (religion, marital status, sex, occupation...): exact entries are
/// verified, near ones snapped (<see cref="Snapper"/>), far ones kept as read — invalid for a closed list,
/// unverified for an open one (the occupation list is not exhaustive: <c>KARYAWAN</c> is printed too) unless they
/// hold a digit.
/// </summary>
public sealed class VocabularyParser(IReadOnlyList<string> entries, IReadOnlyList<string> labels, bool closed)
{
    private readonly HashSet<string> _exact = new(entries, StringComparer.Ordinal);

    public ParsedField Parse(string? raw)
    {
        var changes = new List<string>();
        var text = TextCleanup.Clean(raw, labels, changes);
        if (text.Length == 0) return ParsedField.Missing;
        return Match(text, changes);
    }

    internal ParsedField Match(string text, List<string> changes)
    {
        if (_exact.Contains(text)) return ParsedField.Valid(text, changes, corrected: false);
        var snap = Snapper.Best(text, entries);
        if (snap is not null)
            return ParsedField.Valid(snap.Name, [.. changes, Change.Snapped], corrected: true, snap.Distance);
        // An open list is open to other words, not to digits: no occupation or country name has one, and a date
        // there is the next row's value, the rows having shifted (a row lost above).
        return closed || text.Any(char.IsAsciiDigit)
            ? ParsedField.Invalid(text, changes, Change.OutOfVocabulary)
            : new ParsedField(text, ParseStatus.Unverified, 0, [.. changes, Change.OutOfVocabulary]);
    }
}
