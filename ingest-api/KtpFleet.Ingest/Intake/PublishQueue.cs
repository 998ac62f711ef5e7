using System.Threading.Channels;
using KtpFleet.Fleet.Messaging;
using KtpFleet.Fleet.Metrics;

namespace KtpFleet.Ingest.Intake;

/// <summary>
/// Publishes committed jobs after their upload has been answered, many at once, each with a publisher confirm
/// recorded by <see cref="PublishConfirmations"/>. Nothing here is needed for durability: the job row is the
/// outbox, and a message that is dropped (queue full, broker down, process killed) is published again by the
/// <see cref="OutboxSweeper"/>. Taking the confirm round trip off the request path is what lets one API process
/// accept uploads faster than one broker confirm per upload.
/// </summary>
public sealed class PublishQueue(JobPublisher publisher, PublishConfirmations confirmations, FleetMetrics metrics,
    ILogger<PublishQueue> log) : BackgroundService
{
    public const int Capacity = 20_000;
    public const int Concurrency = 64;

    private readonly Channel<JobMessage> _queue = Channel.CreateBounded<JobMessage>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropWrite });
    private long _failures;

    /// <summary>Never blocks an upload: when the queue is full the job waits for the sweeper instead.</summary>
    public void Enqueue(JobMessage message)
    {
        if (!_queue.Writer.TryWrite(message)) metrics.PublishFailures.Add(1);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => PublishLoopAsync(stoppingToken)));

    private async Task PublishLoopAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
                while (_queue.Reader.TryRead(out var message))
                    if (!await PublishAsync(message, stoppingToken))
                        await Task.Delay(TimeSpan.FromMilliseconds(500), stoppingToken); // broker trouble: don't spin on reconnects
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // What is still queued is committed and unconfirmed: the sweeper of this or another process publishes it.
        }
    }

    private async Task<bool> PublishAsync(JobMessage message, CancellationToken ct)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await publisher.PublishAsync(message, timeout.Token);
            confirmations.Confirmed(message.JobId);
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException && !ct.IsCancellationRequested)
        {
            metrics.PublishFailures.Add(1);
            // One line per hundred failures: a broker outage at full upload rate must not flood the log.
            if (Interlocked.Increment(ref _failures) % 100 == 1)
                log.LogWarning("Publish of job {JobId} not confirmed, left to the sweeper ({Failures} so far): {Error}",
                    message.JobId, Interlocked.Read(ref _failures), e.Message);
            return false;
        }
    }
}
