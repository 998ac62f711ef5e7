using System.Diagnostics;
using KtpFleet.Ocr.Pipeline;
using KtpFleet.Ocr.Tests.Engine;
using KtpFleet.Ocr.Tests.TestSupport;

namespace KtpFleet.Ocr.Tests.Pipeline;

[Collection(MemoryMeasurement.Name)]
public sealed class ExtractorMemoryTests
{
    [Fact]
    public async Task Resident_memory_stays_flat_over_many_full_extractions()
    {
        using var extractor = KtpExtractor.Create(new OcrOptions { Engines = 1 });
        var image = await File.ReadAllBytesAsync(RepoPaths.Specimen("setiawan.jpg"));
        for (var i = 0; i < 10; i++) await extractor.ExtractAsync(image);
        var samples = new List<long>();
        for (var round = 0; round < 4; round++)
        {
            for (var i = 0; i < 30; i++) await extractor.ExtractAsync(image);
            samples.Add(Rss());
        }
        Console.WriteLine("RSS KB after each 30 extractions: " + string.Join(" ", samples.Select(s => s / 1024)));
        // Per card the pipeline holds a decoded photo (~1.4 MB), the canonical card and its copies (~2.5 MB): a leak
        // of any of them over these 90 cards would add well over 100 MB; allocator noise is a few MB.
        var growth = samples[^1] - samples[0];
        Assert.True(growth < 24 * 1024 * 1024, $"RSS grew {growth / 1024} KB over 90 extractions");
    }

    private static long Rss()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64;
    }
}
