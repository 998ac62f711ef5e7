using KtpFleet.Operator.Controller;

namespace KtpFleet.Operator.Tests;

public class WorkQueueTests
{
    [Fact]
    public async Task Adds_of_a_queued_key_are_deduplicated()
    {
        using var q = new WorkQueue<string>();
        q.Add("a"); q.Add("a"); q.Add("b"); q.Add("a");
        Assert.Equal(2, q.Count);
        Assert.Equal("a", await q.GetAsync(CancellationToken.None));
        Assert.Equal("b", await q.GetAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_key_being_processed_is_not_handed_out_again_until_done_then_requeued_once()
    {
        using var q = new WorkQueue<string>();
        q.Add("a");
        var first = await q.GetAsync(CancellationToken.None);
        q.Add("a"); q.Add("a");
        Assert.Equal(0, q.Count);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => q.GetAsync(cts.Token));
        q.Done(first);
        Assert.Equal(1, q.Count);
        Assert.Equal("a", await q.GetAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Concurrent_workers_never_process_one_key_at_the_same_time()
    {
        using var q = new WorkQueue<string>();
        var inFlight = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var violations = 0;
        var processed = 0;
        using var cts = new CancellationTokenSource();
        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!cts.IsCancellationRequested)
            {
                string key;
                try { key = await q.GetAsync(cts.Token); } catch (OperationCanceledException) { return; }
                if (inFlight.AddOrUpdate(key, 1, (_, n) => n + 1) > 1) Interlocked.Increment(ref violations);
                await Task.Yield();
                inFlight.AddOrUpdate(key, 0, (_, n) => n - 1);
                Interlocked.Increment(ref processed);
                q.Done(key);
            }
        })).ToList();
        for (var i = 0; i < 2000; i++) q.Add($"k{i % 5}");
        await Poll.UntilAsync(() => q.Count, c => c == 0, "queue to empty");
        await cts.CancelAsync();
        await Task.WhenAll(workers);
        Assert.Equal(0, violations);
        Assert.True(processed >= 5);
    }

    [Fact]
    public void Backoff_doubles_per_failure_up_to_the_cap_and_forget_resets()
    {
        using var q = new WorkQueue<string>(TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromMilliseconds(10), q.AddRateLimited("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(20), q.AddRateLimited("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(40), q.AddRateLimited("a"));
        Assert.Equal(3, q.NumRequeues("a"));
        Assert.Equal(TimeSpan.FromSeconds(1), q.Backoff(20));
        q.Forget("a");
        Assert.Equal(0, q.NumRequeues("a"));
    }

    [Fact]
    public async Task Add_after_delivers_once_at_the_earliest_time()
    {
        using var q = new WorkQueue<string>();
        q.AddAfter("a", TimeSpan.FromSeconds(30));
        q.AddAfter("a", TimeSpan.FromMilliseconds(50));
        Assert.Equal("a", await q.GetAsync(new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token));
    }
}
