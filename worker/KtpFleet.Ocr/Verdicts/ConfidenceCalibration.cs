using System.Text.Json;
using System.Text.Json.Serialization;

namespace KtpFleet.Ocr.Verdicts;

/// <summary>One benchmark observation for <see cref="ConfidenceCalibration.Fit"/>: features of a field and whether its value was right.</summary>
public sealed record CalibrationSample(ConfidenceClass Class, double? OcrConfidence, bool Correct);

/// <summary>
/// Maps (parse class, Tesseract mean word confidence 0..100) to the probability that a field's value is right: a
/// table of accuracies per class and OCR-confidence bucket, non-decreasing across buckets. Re-fit it from benchmark
/// data with <see cref="Fit"/> and ship the JSON (<see cref="ToJson"/>/<see cref="FromJson"/>).
/// </summary>
public sealed record ConfidenceCalibration
{
    // First: the static initialisers below (Default) read the embedded table with it.
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Lower bounds of the OCR-confidence buckets (the first is 0).</summary>
    public required IReadOnlyList<double> BucketLowerBounds { get; init; }
    /// <summary>Per class, the probability of a right value in each bucket (same length as <see cref="BucketLowerBounds"/>).</summary>
    public required IReadOnlyDictionary<ConfidenceClass, IReadOnlyList<double>> Accuracy { get; init; }
    /// <summary>OCR confidence assumed when the engine reports none (e.g. a field read by template matching).</summary>
    public double UnknownOcrConfidence { get; init; } = 60;

    /// <summary>
    /// Initial parameters, set by hand from how the classes behave (a verified value at high OCR confidence is
    /// almost always right; an invalid one almost never is); replace with a fit on the benchmark corpus.
    /// </summary>
    public static ConfidenceCalibration HandSet { get; } = new()
    {
        BucketLowerBounds = [0, 50, 70, 80, 90, 95],
        Accuracy = new Dictionary<ConfidenceClass, IReadOnlyList<double>>
        {
            [ConfidenceClass.Verified] = [0.30, 0.55, 0.75, 0.88, 0.95, 0.98],
            [ConfidenceClass.CorrectedNear] = [0.25, 0.45, 0.65, 0.80, 0.90, 0.94],
            [ConfidenceClass.CorrectedFar] = [0.15, 0.30, 0.45, 0.60, 0.72, 0.80],
            [ConfidenceClass.Unverified] = [0.20, 0.40, 0.60, 0.78, 0.91, 0.95],
            [ConfidenceClass.Invalid] = [0.02, 0.04, 0.06, 0.08, 0.10, 0.12],
            [ConfidenceClass.DoubtfulAddress] = [0.10, 0.25, 0.40, 0.55, 0.70, 0.80],
        },
    };

    // Declared after HandSet: static initialisers run in text order.
    public static ConfidenceCalibration Default { get; } = Fitted() ?? HandSet;

    /// <summary>The table fitted on a benchmark corpus by `ktp calibrate`, embedded as Data/calibration.json.</summary>
    private static ConfidenceCalibration? Fitted()
    {
        using var stream = typeof(ConfidenceCalibration).Assembly.GetManifestResourceStream("KtpFleet.Ocr.Data.calibration.json");
        if (stream is null) return null;
        using var reader = new StreamReader(stream);
        return FromJson(reader.ReadToEnd());
    }

    public int BucketOf(double? ocrConfidence)
    {
        var c = Math.Clamp(ocrConfidence ?? UnknownOcrConfidence, 0, 100);
        var bucket = 0;
        for (var i = 0; i < BucketLowerBounds.Count; i++)
            if (c >= BucketLowerBounds[i]) bucket = i;
        return bucket;
    }

    public double Probability(ConfidenceClass cls, double? ocrConfidence) => Accuracy[cls][BucketOf(ocrConfidence)];

    /// <summary>
    /// Fits the table to benchmark samples. Per (class, bucket): accuracy = (right + w·prior) / (n + w), i.e. the
    /// observed accuracy shrunk toward <paramref name="prior"/>'s value with the weight of <paramref name="priorWeight"/>
    /// samples (so sparse buckets stay sensible); then, per class, isotonic regression across buckets (pool adjacent
    /// violators, weighted by n + w) so the score never falls as OCR confidence rises.
    /// </summary>
    public static ConfidenceCalibration Fit(IEnumerable<CalibrationSample> samples, ConfidenceCalibration? prior = null, double priorWeight = 2)
    {
        prior ??= Default;
        var buckets = prior.BucketLowerBounds.Count;
        var classes = Enum.GetValues<ConfidenceClass>();
        var right = classes.ToDictionary(c => c, _ => new double[buckets]);
        var total = classes.ToDictionary(c => c, _ => new double[buckets]);
        foreach (var s in samples)
        {
            var b = prior.BucketOf(s.OcrConfidence);
            total[s.Class][b]++;
            if (s.Correct) right[s.Class][b]++;
        }

        var accuracy = new Dictionary<ConfidenceClass, IReadOnlyList<double>>();
        foreach (var cls in classes)
        {
            var p = new double[buckets];
            var w = new double[buckets];
            for (var b = 0; b < buckets; b++)
            {
                w[b] = total[cls][b] + priorWeight;
                p[b] = (right[cls][b] + priorWeight * prior.Accuracy[cls][b]) / w[b];
            }
            accuracy[cls] = Isotonic.NonDecreasing(p, w);
        }
        return prior with { Accuracy = OrderedByCorrection(accuracy, buckets) };
    }

    /// <summary>
    /// At the same OCR confidence, a value that needed a larger correction is not likelier right than one that needed
    /// a smaller one (verified ≥ corrected near ≥ corrected far ≥ invalid). Sparse cells can fit the other way; the
    /// order is imposed rather than learned from them.
    /// </summary>
    private static Dictionary<ConfidenceClass, IReadOnlyList<double>> OrderedByCorrection(
        Dictionary<ConfidenceClass, IReadOnlyList<double>> accuracy, int buckets)
    {
        ConfidenceClass[] order = [ConfidenceClass.Verified, ConfidenceClass.CorrectedNear, ConfidenceClass.CorrectedFar, ConfidenceClass.Invalid];
        var rows = accuracy.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
        for (var i = 1; i < order.Length; i++)
            for (var b = 0; b < buckets; b++)
                rows[order[i]][b] = Math.Min(rows[order[i]][b], rows[order[i - 1]][b]);
        return rows.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<double>)kv.Value);
    }


    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ConfidenceCalibration FromJson(string json)
    {
        var c = JsonSerializer.Deserialize<ConfidenceCalibration>(json, Json) ?? throw new JsonException("empty calibration");
        var accuracy = c.Accuracy.ToDictionary(kv => kv.Key, kv => kv.Value);
        foreach (var cls in Enum.GetValues<ConfidenceClass>())
        {
            // A class added after the table was fitted starts from its hand-set row (same buckets), until the next fit.
            if (!accuracy.ContainsKey(cls) && c.BucketLowerBounds.SequenceEqual(HandSet.BucketLowerBounds) && c.Accuracy.Count > 0)
                accuracy[cls] = HandSet.Accuracy[cls];
            if (!accuracy.TryGetValue(cls, out var row) || row.Count != c.BucketLowerBounds.Count)
                throw new JsonException($"calibration has no full row for {cls}");
        }
        return c with { Accuracy = accuracy };
    }
}

/// <summary>Weighted isotonic regression (pool adjacent violators).</summary>
public static class Isotonic
{
    public static double[] NonDecreasing(IReadOnlyList<double> values, IReadOnlyList<double> weights)
    {
        var blockValue = new List<double>();
        var blockWeight = new List<double>();
        var blockSize = new List<int>();
        for (var i = 0; i < values.Count; i++)
        {
            blockValue.Add(values[i]);
            blockWeight.Add(weights[i]);
            blockSize.Add(1);
            while (blockValue.Count > 1 && blockValue[^2] > blockValue[^1])
            {
                var w = blockWeight[^2] + blockWeight[^1];
                var v = (blockValue[^2] * blockWeight[^2] + blockValue[^1] * blockWeight[^1]) / w;
                var n = blockSize[^2] + blockSize[^1];
                blockValue.RemoveAt(blockValue.Count - 1); blockWeight.RemoveAt(blockWeight.Count - 1); blockSize.RemoveAt(blockSize.Count - 1);
                blockValue[^1] = v; blockWeight[^1] = w; blockSize[^1] = n;
            }
        }
        var result = new double[values.Count];
        var k = 0;
        for (var b = 0; b < blockValue.Count; b++)
            for (var j = 0; j < blockSize[b]; j++) result[k++] = blockValue[b];
        return result;
    }
}
