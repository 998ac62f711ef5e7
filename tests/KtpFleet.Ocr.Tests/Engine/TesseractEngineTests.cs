using System.Diagnostics;
using KtpFleet.Ocr.Engine;
using KtpFleet.Ocr.Native;
using KtpFleet.Ocr.Tests.Recognition;

namespace KtpFleet.Ocr.Tests.Engine;

[Collection(MemoryMeasurement.Name)]
public sealed class TesseractEngineTests
{
    private const string Sans = RenderedGray.Sans;

    private static RenderedGray Line(string text) =>
        RenderedGray.Convert(700, 56, "white", "-font", Sans, "-pointsize", "30", "-fill", "black", "-annotate", "+10+40", text);

    [Fact]
    public void Reads_a_rendered_line_with_words_boxes_and_confidence()
    {
        using var engine = TesseractEngine.Create(TessdataSet.Load());
        var page = Line("KECAMATAN SUNGAI AMBAWANG").With(v => engine.Recognize(v, new RecognitionSettings { Mode = PageSegMode.SingleLine }));
        Assert.Equal("KECAMATAN SUNGAI AMBAWANG", page.Text);
        Assert.Equal(3, page.Words.Count);
        Assert.All(page.Words, w => Assert.InRange(w.Confidence, 80, 100));
        Assert.True(page.Words[0].Box.X < page.Words[1].Box.X);
        Assert.InRange(page.Words[0].Box.Y, 5, 25);
    }

    [Fact]
    public void Honours_a_region_and_a_whitelist_then_forgets_them()
    {
        using var engine = TesseractEngine.Create(TessdataSet.Load());
        var image = Line("RT        001/004        ABC");
        var words = image.With(v => engine.Recognize(v, new RecognitionSettings())).Words;
        Assert.Equal(["RT", "001/004", "ABC"], words.Select(w => w.Text));
        var middle = words[1].Box;
        var region = new PixelRect(middle.X - 8, 0, middle.Width + 16, 56);
        Assert.Equal("001/004", image.With(v => engine.Recognize(v, new RecognitionSettings { Whitelist = "0123456789/", Region = region })).Text);
        // The whitelist would turn "ABC" into digits if it leaked into the next call.
        Assert.Equal("RT 001/004 ABC", image.With(v => engine.Recognize(v, new RecognitionSettings())).Text);
    }

    [Fact]
    public void Reports_the_library_version_and_refuses_an_unknown_language()
    {
        Assert.StartsWith("5.", TesseractEngine.LibraryVersion);
        Assert.Throws<KtpNativeException>(() => TesseractEngine.Create(TessdataSet.Load(), "xyz"));
    }

    [Fact]
    public void The_native_environment_limits_openmp_to_one_thread()
    {
        using var engine = TesseractEngine.Create(TessdataSet.Load());
        Assert.Equal("1", OmpThreadLimit.NativeGetenv(OmpThreadLimit.Variable));
    }

    [Fact]
    public void Memory_stays_flat_over_many_recognitions()
    {
        using var engine = TesseractEngine.Create(TessdataSet.Load());
        var image = Line("JL. ANGSANA NO 21");
        var samples = new List<long>();
        for (var round = 0; round < 6; round++)
        {
            for (var i = 0; i < 150; i++) image.With(v => engine.Recognize(v, new RecognitionSettings()));
            samples.Add(CurrentRss());
        }
        Console.WriteLine("RSS KB per 150 runs: " + string.Join(" ", samples.Select(s => s / 1024)));
        var growth = samples[^1] - samples[1];
        // A leaked image copy (39 KB) per call would add 29 MB over these 750 calls; allocator noise is ~5 MB.
        Assert.True(growth < 12 * 1024 * 1024, $"RSS grew {growth / 1024} KB over 750 recognitions");
    }

    private static long CurrentRss()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64;
    }
}
