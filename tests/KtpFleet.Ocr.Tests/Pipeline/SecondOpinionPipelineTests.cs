using System.Text.Json;
using KtpFleet.Ocr.Engine;
using KtpFleet.Ocr.Pipeline;
using KtpFleet.Ocr.Results;
using KtpFleet.Ocr.Tests.TestSupport;

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
    }

    [Fact]
    public async Task A_blurred_capture_is_asked_again_and_reads_more_fields_right()
    {
        var blurred = Path.Combine(_scratch, "setiawan-blurred.jpg");
        Magick.Convert(RepoPaths.Specimen("setiawan.jpg"), "-resize", "50%", "-blur", "0x1.0", "-quality", "55", blurred);
        var image = await File.ReadAllBytesAsync(blurred);
        var truth = JsonDocument.Parse(await File.ReadAllTextAsync(RepoPaths.Specimen("setiawan.gt.json"))).RootElement
            .GetProperty("fields").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());

        var withSecond = await shared.Extractor.ExtractAsync(image);
        using var firstOnly = KtpExtractor.Create(new OcrOptions { Engines = 1, SecondOpinionVersion = null });
        var alone = await firstOnly.ExtractAsync(image);

        Assert.True(withSecond.TimingsMs.ContainsKey("second_opinion"));
        Assert.Null(alone.Engine.SecondOpinionTessdataVersion);
        Assert.False(alone.TimingsMs.ContainsKey("second_opinion"));
        int Exact(KtpResult r) => truth.Count(t => r.Fields[t.Key].Value == t.Value);
        Assert.True(Exact(withSecond) > Exact(alone), $"exact fields: {Exact(withSecond)} with the second opinion, {Exact(alone)} without");
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);
}
