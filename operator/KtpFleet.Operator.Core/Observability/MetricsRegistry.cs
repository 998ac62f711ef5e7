using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace KtpFleet.Operator.Observability;

/// <summary>
/// Counters, gauges and histograms with labels, written in the Prometheus text exposition format (0.0.4).
/// prometheus-net does not restore here; this is the little the operator needs.
/// </summary>
public sealed class MetricsRegistry
{
    private readonly ConcurrentDictionary<string, Family> _families = new();

    public void Increment(string name, string help, params (string Key, string Value)[] labels) =>
        Get(name, help, "counter").Add(labels, 1);

    public void Set(string name, string help, double value, params (string Key, string Value)[] labels) =>
        Get(name, help, "gauge").Set(labels, value);

    public void Observe(string name, string help, double value, double[] buckets, params (string Key, string Value)[] labels) =>
        Get(name, help, "histogram", buckets).Observe(labels, value);

    public double? Value(string name, params (string Key, string Value)[] labels) =>
        _families.TryGetValue(name, out var f) ? f.ValueOf(labels) : null;

    private Family Get(string name, string help, string type, double[]? buckets = null) =>
        _families.GetOrAdd(name, _ => new Family(name, help, type, buckets ?? []));

    public string Render()
    {
        var sb = new StringBuilder();
        foreach (var f in _families.Values.OrderBy(f => f.Name, StringComparer.Ordinal)) f.Write(sb);
        return sb.ToString();
    }

    private sealed class Family(string name, string help, string type, double[] buckets)
    {
        private readonly Lock _gate = new();
        private readonly SortedDictionary<string, double> _values = new(StringComparer.Ordinal);
        private readonly Dictionary<string, (double[] Counts, double Sum, long Count)> _histograms = [];

        public string Name => name;

        private static string LabelText(IEnumerable<(string Key, string Value)> labels) =>
            string.Join(",", labels.Select(l => $"{l.Key}=\"{Escape(l.Value)}\""));

        private static string Escape(string v) => v.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");

        public void Add((string, string)[] labels, double delta)
        {
            var key = LabelText(labels);
            lock (_gate) _values[key] = _values.GetValueOrDefault(key) + delta;
        }

        public void Set((string, string)[] labels, double value)
        {
            var key = LabelText(labels);
            lock (_gate) _values[key] = value;
        }

        public double? ValueOf((string, string)[] labels)
        {
            var key = LabelText(labels);
            lock (_gate)
            {
                if (_values.TryGetValue(key, out var v)) return v;
                return _histograms.TryGetValue(key, out var h) ? h.Count : null;
            }
        }

        public void Observe((string, string)[] labels, double value)
        {
            var key = LabelText(labels);
            lock (_gate)
            {
                var h = _histograms.TryGetValue(key, out var e) ? e : (new double[buckets.Length], 0, 0);
                for (var i = 0; i < buckets.Length; i++) if (value <= buckets[i]) h.Counts[i]++;
                _histograms[key] = (h.Counts, h.Sum + value, h.Count + 1);
            }
        }

        public void Write(StringBuilder sb)
        {
            var inv = CultureInfo.InvariantCulture;
            sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
            sb.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
            lock (_gate)
            {
                foreach (var (labels, v) in _values)
                    sb.Append(name).Append(labels.Length > 0 ? $"{{{labels}}}" : "").Append(' ').Append(v.ToString("R", inv)).Append('\n');
                foreach (var (labels, h) in _histograms.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    var sep = labels.Length > 0 ? labels + "," : "";
                    for (var i = 0; i < buckets.Length; i++)
                        sb.Append(inv, $"{name}_bucket{{{sep}le=\"{buckets[i].ToString("R", inv)}\"}} {h.Counts[i].ToString("R", inv)}\n");
                    sb.Append(inv, $"{name}_bucket{{{sep}le=\"+Inf\"}} {h.Count}\n");
                    var l = labels.Length > 0 ? $"{{{labels}}}" : "";
                    sb.Append(inv, $"{name}_sum{l} {h.Sum.ToString("R", inv)}\n");
                    sb.Append(inv, $"{name}_count{l} {h.Count}\n");
                }
            }
        }
    }
}
