using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace KtpFleet.Fleet.Metrics;

/// <summary>
/// Collects <see cref="System.Diagnostics.Metrics"/> instruments of the given meters and writes them in the
/// Prometheus text exposition format 0.0.4 (stand-in for prometheus-net, which cannot be restored here).
/// Counters become <c>name_total</c>, histograms cumulative <c>_bucket{le=..}</c> + <c>_sum</c> + <c>_count</c>,
/// up-down counters and observable gauges plain gauges. Dots in instrument names become underscores.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private static readonly double[] DefaultBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(Instrument, string), Series> _series = new();
    private readonly HashSet<string> _meters;

    public PrometheusExporter(params string[] meterNames)
    {
        _meters = [.. meterNames];
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (_meters.Contains(instrument.Meter.Name)) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = FormatLabels(tags);
        var series = _series.GetOrAdd((instrument, labels), static k => new Series(k.Item1, k.Item2));
        series.Add(value);
    }

    /// <summary>Writes every series; observable instruments are read now.</summary>
    public string Scrape()
    {
        foreach (var s in _series.Values.Where(s => s.IsObservable)) s.ResetGauge();
        _listener.RecordObservableInstruments();
        var sb = new StringBuilder();
        foreach (var group in _series.Values.GroupBy(s => s.Instrument).OrderBy(g => g.Key.Name, StringComparer.Ordinal))
        {
            var instrument = group.Key;
            var name = MetricName(instrument);
            var kind = instrument switch
            {
                Counter<long> or Counter<int> or Counter<double> or ObservableCounter<long> or ObservableCounter<double> => "counter",
                Histogram<double> or Histogram<long> or Histogram<int> => "histogram",
                _ => "gauge",
            };
            if (kind == "counter") name += "_total";
            if (instrument.Description is { Length: > 0 } d) sb.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(d)).Append('\n');
            sb.Append("# TYPE ").Append(name).Append(' ').Append(kind).Append('\n');
            foreach (var s in group.OrderBy(s => s.Labels, StringComparer.Ordinal))
            {
                if (kind == "histogram") s.WriteHistogram(sb, name);
                else sb.Append(name).Append(Braces(s.Labels)).Append(' ').Append(Number(s.Value)).Append('\n');
            }
        }
        return sb.ToString();
    }

    private static string MetricName(Instrument i)
    {
        var n = new StringBuilder(i.Name.Length);
        foreach (var c in i.Name) n.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        if (i.Unit == "s" && !i.Name.EndsWith("seconds", StringComparison.Ordinal)) n.Append("_seconds");
        return n.ToString();
    }

    private static string FormatLabels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0) return "";
        var pairs = new List<string>(tags.Length);
        foreach (var (k, v) in tags)
        {
            var key = new string(k.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());
            pairs.Add($"{key}=\"{EscapeLabel(Convert.ToString(v, CultureInfo.InvariantCulture) ?? "")}\"");
        }
        pairs.Sort(StringComparer.Ordinal);
        return string.Join(',', pairs);
    }

    private static string Braces(string labels) => labels.Length == 0 ? "" : "{" + labels + "}";
    private static string EscapeLabel(string v) => v.Replace("\\", @"\\").Replace("\"", "\\\"").Replace("\n", @"\n");
    private static string EscapeHelp(string v) => v.Replace("\\", @"\\").Replace("\n", @"\n");

    internal static string Number(double v) => v switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => v.ToString("R", CultureInfo.InvariantCulture),
    };

    public void Dispose() => _listener.Dispose();

    private sealed class Series(Instrument instrument, string labels)
    {
        private readonly double[] _bounds = instrument is Histogram<double> or Histogram<long> or Histogram<int> ? DefaultBuckets : [];
        private readonly long[] _buckets = new long[DefaultBuckets.Length + 1];
        private double _value;
        private double _sum;
        private long _count;

        public Instrument Instrument { get; } = instrument;
        public string Labels { get; } = labels;
        public bool IsObservable => Instrument.IsObservable;
        public double Value { get { lock (this) return _value; } }

        public void ResetGauge() { lock (this) _value = 0; }

        public void Add(double v)
        {
            lock (this)
            {
                switch (Instrument)
                {
                    case Histogram<double> or Histogram<long> or Histogram<int>:
                        var i = 0;
                        while (i < _bounds.Length && v > _bounds[i]) i++;
                        _buckets[i]++;
                        _sum += v;
                        _count++;
                        break;
                    case ObservableGauge<double> or ObservableGauge<long> or ObservableGauge<int> or ObservableCounter<long>
                        or ObservableCounter<double> or ObservableUpDownCounter<long> or ObservableUpDownCounter<double>:
                        _value += v; // observables report absolute values; summed only across identical label sets
                        break;
                    default:
                        _value += v;
                        break;
                }
            }
        }

        public void WriteHistogram(StringBuilder sb, string name)
        {
            lock (this)
            {
                long cumulative = 0;
                var prefix = Labels.Length == 0 ? "" : Labels + ",";
                for (var i = 0; i < _bounds.Length; i++)
                {
                    cumulative += _buckets[i];
                    sb.Append(name).Append("_bucket{").Append(prefix).Append("le=\"").Append(Number(_bounds[i])).Append("\"} ").Append(cumulative).Append('\n');
                }
                cumulative += _buckets[_bounds.Length];
                sb.Append(name).Append("_bucket{").Append(prefix).Append("le=\"+Inf\"} ").Append(cumulative).Append('\n');
                sb.Append(name).Append("_sum").Append(Braces(Labels)).Append(' ').Append(Number(_sum)).Append('\n');
                sb.Append(name).Append("_count").Append(Braces(Labels)).Append(' ').Append(_count).Append('\n');
            }
        }
    }
}
