using FsCheck;
using FsCheck.Fluent;
using KtpFleet.Ocr.Parsing;
using KtpFleet.Ocr.Tests.Parsing;
using KtpFleet.Ocr.Verdicts;

namespace KtpFleet.Ocr.Tests.Verdicts;

public class ConfidenceTests
{
    private static readonly ConfidenceCalibration Default = ConfidenceCalibration.Default;

    [Fact]
    public void Missing_fields_have_zero_confidence() =>
        Assert.Equal(0, FieldConfidence.Score(ParsedField.Missing, 99));

    [Fact]
    public void Verified_beats_corrected_beats_invalid_at_equal_ocr_confidence()
    {
        var verified = FieldConfidence.Score(NikParser.Parse("3301015208900001"), 92);
        var corrected = FieldConfidence.Score(NikParser.Parse("33O1015208900001"), 92);
        var invalid = FieldConfidence.Score(NikParser.Parse("330101520890001"), 92);
        Assert.True(verified > corrected && corrected > invalid, $"{verified} {corrected} {invalid}");
        Assert.True(verified >= 0.9);
        Assert.True(invalid < 0.2);
    }

    [Fact]
    public void Far_snaps_score_lower_than_near_ones()
    {
        var near = new ParsedField("WIRASWASTA", ParseStatus.Corrected, 0.4, [Change.Snapped]);
        var far = new ParsedField("WIRASWASTA", ParseStatus.Corrected, 1.8, [Change.Snapped]);
        Assert.True(FieldConfidence.Score(near, 90, ConfidenceCalibration.HandSet) > FieldConfidence.Score(far, 90, ConfidenceCalibration.HandSet));
        // A fitted table may not separate them where data is sparse, but never ranks a far snap above a near one.
        for (var ocr = 0; ocr <= 100; ocr++)
            Assert.True(FieldConfidence.Score(near, ocr) >= FieldConfidence.Score(far, ocr), $"at OCR confidence {ocr}");
    }

    [Fact]
    public void A_fit_on_sparse_data_still_ranks_classes_by_how_much_they_were_corrected()
    {
        // Few far snaps, all right; many near snaps, some wrong: the raw fit would put far above near.
        var samples = Enumerable.Range(0, 3).Select(_ => new CalibrationSample(ConfidenceClass.CorrectedFar, 92, true))
            .Concat(Enumerable.Range(0, 40).Select(i => new CalibrationSample(ConfidenceClass.CorrectedNear, 92, i % 4 != 0)))
            .Concat(Enumerable.Range(0, 40).Select(i => new CalibrationSample(ConfidenceClass.Verified, 92, i % 2 != 0)));
        var fitted = ConfidenceCalibration.Fit(samples, ConfidenceCalibration.HandSet);
        Assert.True(fitted.Probability(ConfidenceClass.CorrectedNear, 92) <= fitted.Probability(ConfidenceClass.Verified, 92));
        Assert.True(fitted.Probability(ConfidenceClass.CorrectedFar, 92) <= fitted.Probability(ConfidenceClass.CorrectedNear, 92));
        Assert.True(fitted.Probability(ConfidenceClass.Invalid, 92) <= fitted.Probability(ConfidenceClass.CorrectedFar, 92));
    }

    [Fact]
    public void Default_table_is_monotone_in_ocr_confidence_and_within_0_1() =>
        PropertyCheck.Holds(Gen.Zip(Gen.Elements(Enum.GetValues<ConfidenceClass>()), Gen.Two(Gen.Choose(0, 100))), p =>
        {
            var (cls, (a, b)) = p;
            var (lo, hi) = (Math.Min(a, b), Math.Max(a, b));
            var pl = Default.Probability(cls, lo);
            var ph = Default.Probability(cls, hi);
            return pl <= ph && pl is >= 0 and <= 1 && ph is >= 0 and <= 1;
        });

    [Fact]
    public void Fit_recovers_per_bucket_accuracy_from_plenty_of_data()
    {
        // 1000 verified samples per bucket with known accuracies; the prior's pull is negligible.
        var truth = new[] { 0.2, 0.5, 0.6, 0.7, 0.9, 0.99 };
        var samples = new List<CalibrationSample>();
        double[] centre = [25, 60, 75, 85, 92, 97];
        for (var b = 0; b < truth.Length; b++)
            for (var i = 0; i < 1000; i++)
                samples.Add(new CalibrationSample(ConfidenceClass.Verified, centre[b], i < truth[b] * 1000));
        var fitted = ConfidenceCalibration.Fit(samples);
        for (var b = 0; b < truth.Length; b++)
            Assert.Equal(truth[b], fitted.Probability(ConfidenceClass.Verified, centre[b]), 2);
        // Classes without samples keep the prior.
        Assert.Equal(Default.Accuracy[ConfidenceClass.Invalid], fitted.Accuracy[ConfidenceClass.Invalid]);
    }

    [Fact]
    public void Fit_pools_violations_so_scores_never_fall_as_ocr_confidence_rises()
    {
        var samples = new List<CalibrationSample>();
        for (var i = 0; i < 100; i++)
        {
            samples.Add(new CalibrationSample(ConfidenceClass.Unverified, 85, i < 90));
            samples.Add(new CalibrationSample(ConfidenceClass.Unverified, 92, i < 70));
        }
        var fitted = ConfidenceCalibration.Fit(samples).Accuracy[ConfidenceClass.Unverified];
        for (var b = 1; b < fitted.Count; b++) Assert.True(fitted[b] >= fitted[b - 1], string.Join(", ", fitted));
        Assert.Equal(fitted[3], fitted[4], 9);
        Assert.InRange(fitted[3], 0.78, 0.82);
    }

    [Fact]
    public void Fit_of_random_samples_is_always_monotone_and_a_probability() =>
        PropertyCheck.Holds(
            (from cls in Gen.Elements(Enum.GetValues<ConfidenceClass>())
             from ocr in Gen.Choose(0, 100)
             from correct in Gen.Elements(true, false)
             select new CalibrationSample(cls, ocr, correct)).ListOf(),
            samples =>
            {
                var fitted = ConfidenceCalibration.Fit(samples);
                return fitted.Accuracy.Values.All(row =>
                    row.All(p => p is >= 0 and <= 1) && row.Zip(row.Skip(1)).All(x => x.First <= x.Second + 1e-12));
            }, 200);

    [Fact]
    public void Calibration_round_trips_through_json()
    {
        var json = Default.ToJson();
        Assert.Contains("\"verified\"", json);
        var back = ConfidenceCalibration.FromJson(json);
        Assert.Equal(Default.BucketLowerBounds, back.BucketLowerBounds);
        foreach (var cls in Enum.GetValues<ConfidenceClass>())
            Assert.Equal(Default.Accuracy[cls], back.Accuracy[cls]);
        Assert.Throws<System.Text.Json.JsonException>(() => ConfidenceCalibration.FromJson("{\"bucket_lower_bounds\":[0],\"accuracy\":{}}"));
    }

    [Fact]
    public void Isotonic_regression_pools_adjacent_violators()
    {
        Assert.Equal([1, 2.5, 2.5, 4], Isotonic.NonDecreasing([1, 3, 2, 4], [1, 1, 1, 1]));
        Assert.Equal([2, 2, 2], Isotonic.NonDecreasing([3, 2, 1], [1, 1, 1]));
        Assert.Equal([1.75, 1.75], Isotonic.NonDecreasing([2, 1], [3, 1]));
    }
}
