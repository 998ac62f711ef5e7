using System.Text.Json;
using KtpFleet.Ocr.Parsing;
using KtpFleet.Ocr.Results;
using KtpFleet.Ocr.Tests.TestSupport;
using KtpFleet.Ocr.Verdicts;

namespace KtpFleet.Ocr.Tests.Pipeline;

/// <summary>
/// The two specimen cards (invented people) with ground truth transcribed by eye: every printed field must be read
/// exactly, and their deliberate NIK inconsistencies reported as failed checks, never repaired.
/// </summary>
public sealed class SpecimenCardTests(SharedExtractor shared) : IClassFixture<SharedExtractor>
{
    [Theory]
    [InlineData("setiawan")]
    [InlineData("abdurrahman-hadin")]
    public async Task Reads_every_printed_field_exactly(string name)
    {
        var (result, truth) = await Read(name);
        var expected = Expected(truth);

        var wrong = expected.Where(e => result.Fields[e.Key].Value != e.Value)
            .Select(e => $"{e.Key}: expected '{e.Value}', read '{result.Fields[e.Key].Value}' (raw '{result.Fields[e.Key].Raw}')")
            .ToList();
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public async Task Setiawan_reports_nik_date_and_region_mismatches_and_keeps_the_printed_values()
    {
        var (result, _) = await Read("setiawan");
        var failed = result.Checks.Where(c => c.Status == CheckStatus.Failed).Select(c => c.Name).ToList();
        Assert.Contains("nik_birth_date_matches", failed);
        Assert.Contains("nik_province_matches", failed);
        Assert.Contains("nik_regency_matches", failed);
        Assert.Equal("12-06-1974", result.Fields[KtpField.TanggalLahir].Value);
        Assert.Equal("JAWA TENGAH", result.Fields[KtpField.Provinsi].Value);
        Assert.Equal(Verdict.NeedsReview, result.Verdict.Decision);
    }

    [Fact]
    public async Task Abdurrahman_reports_a_region_code_that_never_existed()
    {
        var (result, _) = await Read("abdurrahman-hadin");
        Assert.Equal(CheckStatus.Failed, result.Checks.Single(c => c.Name == "nik_region_exists").Status);
        Assert.Equal(CheckStatus.Passed, result.Checks.Single(c => c.Name == "nik_format").Status);
        Assert.Equal(Verdict.NeedsReview, result.Verdict.Decision);
    }

    [Fact]
    public async Task The_result_document_round_trips_through_its_json_form_with_timings()
    {
        var (result, _) = await Read("setiawan");
        var json = ResultJson.Serialize(result);
        Assert.Contains("\"schema\":\"ktp-result/v1\"", json);
        Assert.Contains("\"decision\":\"needs_review\"", json);
        var back = ResultJson.Deserialize(json);
        Assert.Equal(result.Fields[KtpField.Nik].Value, back.Fields[KtpField.Nik].Value);
        foreach (var stage in new[] { "decode", "locate_card", "rectify", "orient", "layout", "recognise", "verify" })
            Assert.True(back.TimingsMs.ContainsKey(stage), $"no timing for {stage}");
    }

    [Theory]
    [InlineData("setiawan")]
    [InlineData("abdurrahman-hadin")]
    public async Task Under_glare_no_value_is_auto_accepted_wrong(string name)
    {
        // A soft white glare over the left of the body: the print under it turns light grey, legible to a person,
        // partly lost to the threshold (JUN of JUNGKAT, ABD IMAN of ABDURRAHMAN, 001/00 of 001/004).
        var (result, truth) = await Read(name, "(", "-size", "874x557", "radial-gradient:white-none", "-resize", "40%x60%", ")",
            "-gravity", "center", "-geometry", "-120-40", "-composite");
        var confidentWrong = Expected(truth)
            .Where(e => result.Fields[e.Key].Confidence >= VerdictPolicy.Default.ThresholdFor(e.Key) && result.Fields[e.Key].Value != e.Value)
            .Select(e => $"{e.Key}: '{result.Fields[e.Key].Value}' at {result.Fields[e.Key].Confidence}, printed '{e.Value}'")
            .ToList();
        Assert.True(confidentWrong.Count == 0, string.Join("\n", confidentWrong));
    }

    /// <summary>The specimen's ground truth as the result normalises it (RT/RW zero-padded to 000/000).</summary>
    private static Dictionary<string, string> Expected(JsonElement truth)
    {
        var expected = truth.GetProperty("fields").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        expected[KtpField.RtRw] = string.Join('/', expected[KtpField.RtRw].Split('/').Select(p => p.PadLeft(3, '0')));
        var issued = truth.GetProperty("issued").GetString()!.Split(' ');
        expected[KtpField.TempatTerbit] = issued[0];
        expected[KtpField.TanggalTerbit] = issued[1];
        return expected;
    }

    /// <param name="then">ImageMagick steps on the specimen before it is read (none: the specimen as it is)</param>
    private async Task<(KtpResult Result, JsonElement Truth)> Read(string name, params string[] then)
    {
        var path = RepoPaths.Specimen(name + ".jpg");
        if (then.Length > 0)
        {
            var derived = Path.Combine(Magick.NewScratchDirectory("specimen"), name + ".jpg");
            Magick.Convert([path, .. then, derived]);
            path = derived;
        }
        var truth = JsonDocument.Parse(await File.ReadAllTextAsync(RepoPaths.Specimen(name + ".gt.json"))).RootElement;
        return (await shared.Extractor.ExtractAsync(await File.ReadAllBytesAsync(path)), truth);
    }
}
