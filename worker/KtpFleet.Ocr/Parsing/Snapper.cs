namespace KtpFleet.Ocr.Parsing;

/// <summary>A vocabulary entry a read value snapped to.</summary>
public sealed record SnapMatch<T>(T Item, string Name, double Distance, double Similarity);

/// <summary>
/// Snaps a read value to the nearest vocabulary entry under <see cref="OcrEditDistance"/>, but only when the
/// distance is at most <see cref="MaxRelativeDistance"/> of the longer string's length: an unknown printed value
/// (an occupation not on the list, a new kecamatan) must be kept as read, not "corrected" into something else.
/// Two different names at the same best distance are ambiguous and snap to nothing.
/// </summary>
public static class Snapper
{
    public const double MaxRelativeDistance = 0.2;

    public static double Threshold(int readLength, int candidateLength) =>
        MaxRelativeDistance * Math.Max(readLength, candidateLength);

    public static double Similarity(string a, string b, double distance) =>
        1 - distance / Math.Max(1, Math.Max(a.Length, b.Length));

    public static SnapMatch<string>? Best(string read, IEnumerable<string> names) => Best(read, names, n => [n]);

    public static SnapMatch<T>? Best<T>(string read, IEnumerable<T> items, Func<T, IEnumerable<string>> namesOf)
    {
        if (read.Length == 0) return null;
        SnapMatch<T>? best = null;
        var ambiguous = false;
        foreach (var item in items)
        {
            foreach (var name in namesOf(item))
            {
                var threshold = Threshold(read.Length, name.Length);
                // Each character of length difference costs at least half an edit (multi-glyph or spacing).
                if (Math.Abs(read.Length - name.Length) * 0.5 > threshold) continue;
                var limit = best is null ? threshold : Math.Min(threshold, best.Distance);
                var d = OcrEditDistance.Distance(read, name, limit);
                if (double.IsPositiveInfinity(d)) continue;
                if (best is not null && d == best.Distance)
                {
                    if (!string.Equals(name, best.Name, StringComparison.OrdinalIgnoreCase)) ambiguous = true;
                    continue;
                }
                if (best is null || d < best.Distance)
                {
                    best = new SnapMatch<T>(item, name, d, Similarity(read, name, d));
                    ambiguous = false;
                    // Distance 0 means equal (ignoring case): nothing can beat it or tie with a different name.
                    if (d == 0) return best;
                }
            }
        }
        return ambiguous ? null : best;
    }

    /// <summary>
    /// The nearest name within <paramref name="maxRelative"/> of the longer length, only when every other name is
    /// at least <paramref name="relativeLead"/> of that length farther: among a few candidates a far reading can
    /// still point at one of them clearly. Null when nothing is that near, or two names are about as near.
    /// </summary>
    public static SnapMatch<T>? Clearest<T>(string read, IEnumerable<T> items, Func<T, IEnumerable<string>> namesOf, double maxRelative, double relativeLead)
    {
        if (read.Length == 0) return null;
        SnapMatch<T>? best = null;
        var runnerUp = double.PositiveInfinity;
        foreach (var item in items)
            foreach (var name in namesOf(item))
            {
                // The same name again (another region printed alike) is no rival.
                if (best is not null && string.Equals(name, best.Name, StringComparison.OrdinalIgnoreCase)) continue;
                var d = OcrEditDistance.Distance(read, name);
                if (best is null || d < best.Distance)
                {
                    if (best is not null) runnerUp = Math.Min(runnerUp, best.Distance);
                    best = new SnapMatch<T>(item, name, d, Similarity(read, name, d));
                }
                else runnerUp = Math.Min(runnerUp, d);
            }
        if (best is null) return null;
        var length = Math.Max(read.Length, best.Name.Length);
        return best.Distance <= maxRelative * length && runnerUp - best.Distance >= relativeLead * length ? best : null;
    }
}
