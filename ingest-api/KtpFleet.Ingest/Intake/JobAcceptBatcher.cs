using System.Threading.Channels;
using KtpFleet.Fleet.Storage;
using Npgsql;

namespace KtpFleet.Ingest.Intake;

/// <summary>
/// Group commit for job rows: concurrent uploads wait together and are accepted in one round trip and one commit
/// (<see cref="JobStore.AcceptManyAsync"/>), a handful of batches in flight at once. Per upload, a commit of its own
/// cost PostgreSQL more CPU than anything else it did for the upload (docs/load.md). Each caller still gets its
/// own answer only after its row has committed; when a batch fails, every upload in it fails (a 503, nothing
/// accepted).
/// </summary>
public sealed class JobAcceptBatcher : IAsyncDisposable
{
    public const int MaxBatch = 64;
    public const int InFlight = 4;

    private readonly JobStore _jobs;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = false });
    private readonly Task[] _loops;

    private sealed record Pending(NewJob Job, TaskCompletionSource<AcceptedJob> Done);

    public JobAcceptBatcher(JobStore jobs)
    {
        _jobs = jobs;
        _loops = Enumerable.Range(0, InFlight).Select(_ => Task.Run(LoopAsync)).ToArray();
    }

    public Task<AcceptedJob> AcceptAsync(NewJob job)
    {
        var done = new TaskCompletionSource<AcceptedJob>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new Pending(job, done))) throw new ObjectDisposedException(nameof(JobAcceptBatcher));
        return done.Task;
    }

    private async Task LoopAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var p)) batch.Add(p);
            if (batch.Count == 0) continue;
            // One order for every batch (by content hash), so two batches that share keys lock them in the same order.
            batch.Sort((a, b) => a.Job.Sha256.AsSpan().SequenceCompareTo(b.Job.Sha256));
            try
            {
                var results = await AcceptWithRetryAsync(batch);
                for (var i = 0; i < batch.Count; i++) batch[i].Done.TrySetResult(results[i]);
            }
            catch (Exception e)
            {
                foreach (var p in batch) p.Done.TrySetException(e);
            }
        }
    }

    private async Task<IReadOnlyList<AcceptedJob>> AcceptWithRetryAsync(List<Pending> batch)
    {
        var jobs = batch.Select(p => p.Job).ToList();
        try
        {
            return await _jobs.AcceptManyAsync(jobs);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure)
        {
            return await _jobs.AcceptManyAsync(jobs); // an Idempotency-Key shared across batches; the second try sees the winner
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_loops);
    }
}
