using System.Diagnostics;
using KtpFleet.Ocr.Imaging;
using KtpFleet.Ocr.Tests.TestSupport;
using Xunit.Abstractions;

namespace KtpFleet.Ocr.Tests.Imaging;

/// <summary>Resident memory is process-wide: measure it with no other test running.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurementCollection
{
    public const string Name = "memory measurement";
}

/// <summary>Native images are freed exactly once: a long loop keeps the process's resident memory flat.</summary>
[Collection(MemoryMeasurementCollection.Name)]
public sealed class NativeLifetimeTests(ITestOutputHelper output)
{
    [Fact]
    public void Hundreds_of_decode_locate_warp_cycles_leave_resident_memory_flat()
    {
        var bytes = File.ReadAllBytes(RepoPaths.Specimen("abdurrahman-hadin.jpg"));
        var preprocessor = new ImagePreprocessor();
        void Cycle()
        {
            using var card = preprocessor.Prepare(bytes);
            using var normalized = card.Card.NormalizeBackground();
            using var line = normalized.Crop(new System.Drawing.Rectangle(20, 100, 600, 60));
            _ = line.EncodePng();
        }

        for (var i = 0; i < 30; i++) Cycle(); // warm-up: allocator arenas, JIT, OpenCV buffers
        var before = ResidentBytes();
        for (var i = 0; i < 300; i++) Cycle();
        var after = ResidentBytes();

        // Each cycle holds ~5 MB of native pixels (decoded 874×557 BGR, canonical 1000×630 BGR and gray, grids):
        // leaking them would add well over a gigabyte; allocator jitter stays within a few tens of MB.
        var growthMb = (after - before) / 1048576.0;
        output.WriteLine($"RSS before {before / 1048576.0:0.0} MB, after 300 cycles {after / 1048576.0:0.0} MB (+{growthMb:0.0} MB)");
        Assert.True(growthMb < 60, $"resident memory grew {growthMb:0.0} MB over 300 cycles");
    }

    [Fact]
    public void A_pixel_lease_keeps_the_image_alive_after_its_owner_is_disposed()
    {
        var gray = new byte[64 * 48];
        gray[5 * 64 + 7] = 200;
        var image = Ocr.Native.ImageHandle.FromPixels(gray, 64, 48, 1);
        var lease = image.UsePixels();
        image.Dispose();

        Assert.Equal(200, lease.Row(5)[7]);
        Assert.True(lease.Stride >= 64);
        lease.Dispose();
        Assert.True(image.IsClosed);
        Assert.Throws<ObjectDisposedException>(() => image.Width);
    }

    private static long ResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        return self.WorkingSet64;
    }
}
