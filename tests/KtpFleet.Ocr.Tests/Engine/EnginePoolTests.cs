using KtpFleet.Ocr.Engine;
using KtpFleet.Ocr.Tests.Recognition;

namespace KtpFleet.Ocr.Tests.Engine;

public sealed class EnginePoolTests
{
    private static readonly RenderedGray Image = RenderedGray.Convert(500, 56, "white",
        "-font", "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf", "-pointsize", "30", "-fill", "black", "-annotate", "+10+40", "PASAK PIANG");

    [Fact]
    public async Task Lends_each_engine_to_one_caller_at_a_time_and_gives_identical_results()
    {
        using var pool = new EnginePool(TessdataSet.Load(), size: 2);
        Assert.Equal(2, pool.Idle);
        var inUse = new HashSet<TesseractEngine>();
        var maxConcurrent = 0;
        var texts = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Task.Run(async () =>
        {
            using var lease = await pool.RentAsync();
            lock (inUse)
            {
                Assert.True(inUse.Add(lease.Engine), "an engine was lent twice at once");
                maxConcurrent = Math.Max(maxConcurrent, inUse.Count);
            }
            var text = Image.With(v => lease.Engine.Recognize(v, new RecognitionSettings()).Text);
            lock (inUse) inUse.Remove(lease.Engine);
            return text;
        })));
        Assert.All(texts, t => Assert.Equal("PASAK PIANG", t));
        Assert.InRange(maxConcurrent, 1, 2);
        Assert.Equal(2, pool.Idle);
    }

    [Fact]
    public async Task A_faulted_engine_is_replaced_and_a_waiter_gets_one()
    {
        using var pool = new EnginePool(TessdataSet.Load(), size: 1);
        TesseractEngine first;
        using (var lease = pool.Rent())
        {
            first = lease.Engine;
            var waiting = pool.RentAsync().AsTask();
            await Task.Delay(50);
            Assert.False(waiting.IsCompleted);
            lease.MarkFaulted();
            lease.Dispose();
            using var next = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.NotSame(first, next.Engine);
            Assert.Equal("PASAK PIANG", Image.With(v => next.Engine.Recognize(v, new RecognitionSettings()).Text));
        }
        Assert.True(pool.IsHealthy);
        Assert.Equal(1, pool.Replaced);
    }

    [Fact]
    public void Rent_honours_cancellation_when_every_engine_is_busy()
    {
        using var pool = new EnginePool(TessdataSet.Load(), size: 1);
        using var held = pool.Rent();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        Assert.ThrowsAny<OperationCanceledException>(() => pool.Rent(cts.Token));
    }
}
