using System.Text.Json;
using KtpFleet.Ocr.Engine;
using KtpFleet.Ocr.Pipeline;
using KtpFleet.Ocr.Results;
using KtpFleet.Ocr.Tests.TestSupport;
using KtpFleet.Ocr.Verdicts;

namespace KtpFleet.Ocr.Tests.Pipeline;

/// <summary>
/// The second model (tessdata_best) reads again only what the first doubted: never a clean card, and on a blurred,
/// half-size capture of a specimen it reads more fields right than the first model alone.
/// </summary>
public sealed class SecondOpinionPipelineTests(SharedExtractor shared) : IClassFixture<SharedExtractor>, IDisposable
{
    private readonly string _scratch = Magick.NewScratchDirectory("second-opinion");

    [Fact]
    public async Task A_clean_capture_is_read_by_the_first_model_alone()
    {
        var result = await shared.Extractor.ExtractAsync(await File.ReadAllBytesAsync(RepoPaths.Specimen("setiawan.jpg")));
        Assert.Equal(TessdataSet.SecondOpinionVersion, result.Engine.SecondOpinionTessdataVersion);
        Assert.False(result.TimingsMs.ContainsKey("second_opinion"), "a clean specimen was read twice");
        Assert.Equal(TessdataSet.ThirdOpinionVersion, result.Engine.ThirdOpinionTessdataVersion);
        Assert.False(result.TimingsMs.ContainsKey("third_opinion"), "a clean specimen was read three times");
        Assert.Equal(TessdataSet.NikModelVersion, result.Engine.NikModelTessdataVersion);
    }

    [Fact]
    public async Task A_blurred_capture_is_asked_again_and_reads_more_fields_right()
    {
        var (image, truth) = await BlurredSpecimenAsync();

        var withSecond = await shared.Extractor.ExtractAsync(image);
        using var firstOnly = KtpExtractor.Create(new OcrOptions { Engines = 1, SecondOpinionVersion = null });
        var alone = await firstOnly.ExtractAsync(image);

        Assert.True(withSecond.TimingsMs.ContainsKey("second_opinion"));
        Assert.Null(alone.Engine.SecondOpinionTessdataVersion);
        Assert.False(alone.TimingsMs.ContainsKey("second_opinion"));
        Assert.True(Exact(withSecond, truth) > Exact(alone, truth), $"exact fields: {Exact(withSecond, truth)} with the second opinion, {Exact(alone, truth)} without");
    }

    [Fact]
    public async Task The_third_model_settles_doubted_values_of_a_blurred_capture_and_alone_is_never_confident()
    {
        var (image, truth) = await BlurredSpecimenAsync();

        var withThird = await shared.Extractor.ExtractAsync(image);
        using var twoModels = KtpExtractor.Create(new OcrOptions { Engines = 1, ThirdOpinionVersion = null });
        var two = await twoModels.ExtractAsync(image);

        Assert.True(withThird.TimingsMs.ContainsKey("third_opinion"));
        Assert.Null(two.Engine.ThirdOpinionTessdataVersion);
        Assert.False(two.TimingsMs.ContainsKey("third_opinion"));
        Assert.True(Exact(withThird, truth) >= Exact(two, truth), $"exact fields: {Exact(withThird, truth)} with the third opinion, {Exact(two, truth)} without");
        var changed = truth.Keys.Where(f => withThird.Fields[f].Value != two.Fields[f].Value).ToList();
        Assert.All(changed.Where(f => withThird.Fields[f].Value != truth[f]), f =>
            Assert.True(withThird.Fields[f].Confidence < VerdictPolicy.Default.AutoAcceptConfidence, $"{f} changed to a wrong value, confidently"));
    }

    /// <summary>The specimen at half size, blurred and compressed as a poor phone photo would be, and its printed values.</summary>
    private async Task<(byte[] Image, Dictionary<string, string?> Truth)> BlurredSpecimenAsync()
    {
        var blurred = Path.Combine(_scratch, $"setiawan-blurred-{Guid.NewGuid():N}.jpg");
        Magick.Convert(RepoPaths.Specimen("setiawan.jpg"), "-resize", "50%", "-blur", "0x1.0", "-quality", "55", blurred);
        var truth = JsonDocument.Parse(await File.ReadAllTextAsync(RepoPaths.Specimen("setiawan.gt.json"))).RootElement
            .GetProperty("fields").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        return (await File.ReadAllBytesAsync(blurred), truth);
    }

    private static int Exact(KtpResult result, Dictionary<string, string?> truth) => truth.Count(t => result.Fields[t.Key].Value == t.Value);

    public void Dispose() => Directory.Delete(_scratch, recursive: true);
}
