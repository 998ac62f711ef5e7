using KtpFleet.Fleet.Messaging;
using KtpFleet.Fleet.Metrics;
using KtpFleet.Fleet.Storage;

namespace KtpFleet.Ingest.Intake;

/// <summary>
/// Re-publishes jobs whose publish was never confirmed (broker down at upload time, process killed between commit
/// and confirm). Several API processes may sweep at once; the worst case is a duplicate message, which workers
/// absorb.
/// </summary>
public sealed class OutboxSweeper(JobStore jobs, JobPublisher publisher, FleetMetrics metrics,
    SweeperOptions options, ILogger<OutboxSweeper> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning("Outbox sweep failed, retrying next tick: {Error}", e.Message);
            }
        }
    }

    /// <returns>how many jobs were re-published</returns>
    public async Task<int> SweepOnceAsync(CancellationToken ct)
    {
        var due = await jobs.FindUnpublishedAsync(options.Grace, 1000, ct);
        var done = new List<Guid>(due.Count);
        foreach (var job in due)
        {
            await publisher.PublishAsync(JobMessage.For(job.Id, job.TenantId, job.ImageRef, Convert.ToHexStringLower(job.Sha256), job.CreatedAt), ct);
            done.Add(job.Id);
        }
        if (done.Count > 0)
        {
            await jobs.MarkPublishedAsync(done, ct);
            metrics.JobsRepublished.Add(done.Count);
            log.LogInformation("Re-published {Count} unconfirmed jobs", done.Count);
        }
        return done.Count;
    }
}

/// <summary>How often the sweeper looks, and how old an unconfirmed job must be before it counts as lost.</summary>
public sealed record SweeperOptions(TimeSpan Interval, TimeSpan Grace)
{
    public static SweeperOptions Default { get; } = new(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15));
}
