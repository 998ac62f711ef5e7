using System.Globalization;

namespace KtpFleet.Corpus.Bench;

/// <summary>String comparison as the benchmark scores it: exact match after normalisation, and edit distance for CER.</summary>
public static class TextMetrics
{
    /// <summary>Upper case, trimmed, runs of whitespace folded to one space; null stays null.</summary>
    public static string? Normalise(string? value)
    {
        if (value is null) return null;
        var folded = string.Join(' ', value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return folded.ToUpper(CultureInfo.InvariantCulture);
    }

    public static bool ExactMatch(string? predicted, string truth) =>
        Normalise(predicted) is { } p && p == Normalise(truth);

    /// <summary>Levenshtein distance (insert, delete, substitute all cost 1) between normalised strings; null reads as empty.</summary>
    public static int EditDistance(string? predicted, string truth)
    {
        var a = Normalise(predicted) ?? "";
        var b = Normalise(truth) ?? "";
        if (a.Length == 0) return b.Length;
        if (b.Length == 0) return a.Length;
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    /// <summary>The value at quantile q (0..1) of a sample, by linear interpolation; NaN when empty.</summary>
    public static double Quantile(IReadOnlyList<double> values, double q)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        var position = q * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = (int)Math.Ceiling(position);
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
    }
}
