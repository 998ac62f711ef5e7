using System.Text.RegularExpressions;

namespace KtpFleet.Deploy.Tests.Infrastructure;

/// <summary>Just enough PromQL and exposition-format reading to compare metric names.</summary>
public static partial class PromQl
{
    private static readonly HashSet<string> Keywords =
    [
        "sum", "avg", "min", "max", "count", "rate", "irate", "increase", "by", "without", "on", "ignoring", "group_left",
        "group_right", "and", "or", "unless", "bool", "offset", "histogram_quantile", "clamp_min", "clamp_max", "topk",
        "bottomk", "label_values", "inf", "nan",
    ];

    /// <summary>The metric names a query selects (label matchers, ranges, grouping clauses, functions removed).</summary>
    public static HashSet<string> MetricNames(string expr)
    {
        var e = StringLiteral().Replace(expr, "\"\"");
        e = Matchers().Replace(e, " ");
        e = Ranges().Replace(e, " ");
        e = Grouping().Replace(e, " ");
        var names = new HashSet<string>();
        foreach (Match m in Identifier().Matches(e))
        {
            var id = m.Groups[1].Value;
            var next = e[(m.Index + m.Length)..].TrimStart();
            if (next.StartsWith('(') || Keywords.Contains(id.ToLowerInvariant())) continue;
            names.Add(id);
        }
        return names;
    }

    /// <summary>Sample names in Prometheus text exposition (what a query can select).</summary>
    public static HashSet<string> ExposedNames(string text) =>
        text.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => SampleName().Match(l).Value).Where(n => n.Length > 0).ToHashSet();

    /// <summary>Label names seen on a metric's samples.</summary>
    public static HashSet<string> LabelNames(string text, string metric) =>
        text.Split('\n').Where(l => l.StartsWith(metric + "{", StringComparison.Ordinal))
            .SelectMany(l => LabelName().Matches(l[(metric.Length + 1)..l.IndexOf('}')]).Select(m => m.Groups[1].Value)).ToHashSet();

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")] private static partial Regex StringLiteral();
    [GeneratedRegex(@"\{[^}]*\}")] private static partial Regex Matchers();
    [GeneratedRegex(@"\[[^\]]*\]")] private static partial Regex Ranges();
    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")] private static partial Regex Grouping();
    [GeneratedRegex(@"(?<![\w$.])([a-zA-Z_:][a-zA-Z0-9_:]*)")] private static partial Regex Identifier();
    [GeneratedRegex(@"^[a-zA-Z_:][a-zA-Z0-9_:]*")] private static partial Regex SampleName();
    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""")] private static partial Regex LabelName();
}
