using KtpFleet.Ocr.Tests.Checks;
using KtpFleet.Ocr.Tests.TestSupport;
using KtpFleet.Ocr.Verdicts;

namespace KtpFleet.Ocr.Tests.Pipeline;

/// <summary>
/// The specimen at half size, softly blurred and compressed: its NIK row is lost in the header and the label rows are
/// read two rows off. Whatever it reads, nothing wrong may be auto-accepted.
/// </summary>
public sealed class ShiftedRowsPipelineTests(SharedExtractor shared) : IClassFixture<SharedExtractor>, IDisposable
{
    private readonly string _scratch = Magick.NewScratchDirectory("shifted-rows");

    [Fact]
    public async Task Values_read_from_shifted_rows_are_never_confident()
    {
        var small = Path.Combine(_scratch, "setiawan-small.jpg");
        Magick.Convert(RepoPaths.Specimen("setiawan.jpg"), "-resize", "50%", "-blur", "0x0.8", "-quality", "60", small);
        var truth = Specimens.GroundTruth(Specimens.Setiawan);

        var result = await shared.Extractor.ExtractAsync(await File.ReadAllBytesAsync(small));

        var wrong = truth.Keys.Where(f => result.Fields[f].Value != truth[f]).ToList();
        Assert.True(wrong.Count >= 2, "the capture no longer shifts the rows: the test needs another one");
        Assert.All(wrong, f => Assert.True(result.Fields[f].Confidence < VerdictPolicy.Default.AutoAcceptConfidence,
            $"{f} read wrong at {result.Fields[f].Confidence}"));
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);
}
