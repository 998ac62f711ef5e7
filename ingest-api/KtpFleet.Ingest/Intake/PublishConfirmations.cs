using System.Threading.Channels;
using KtpFleet.Fleet.Storage;

namespace KtpFleet.Ingest.Intake;

/// <summary>
/// Records confirmed publishes in batches (one UPDATE for many jobs) so a confirm costs no extra round trip per
/// upload. If the process dies before a batch is written the jobs look unpublished and get published again: a
/// duplicate message is harmless (workers are idempotent on job id), a lost one is not possible.
/// </summary>
public sealed class PublishConfirmations(JobStore jobs, ILogger<PublishConfirmations> log) : BackgroundService
{
    private readonly Channel<Guid> _confirmed = Channel.CreateUnbounded<Guid>(new UnboundedChannelOptions { SingleReader = true });

    public void Confirmed(Guid jobId) => _confirmed.Writer.TryWrite(jobId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Guid>(1024);
        try
        {
            while (await _confirmed.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < 5000 && _confirmed.Reader.TryRead(out var id)) batch.Add(id);
                await FlushAsync(batch, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            while (_confirmed.Reader.TryRead(out var id)) batch.Add(id);
            await FlushAsync(batch, CancellationToken.None);
        }
    }

    private async Task FlushAsync(List<Guid> batch, CancellationToken ct)
    {
        if (batch.Count == 0) return;
        try
        {
            await jobs.MarkPublishedAsync(batch, ct);
            batch.Clear();
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
        {
            log.LogWarning("Could not record {Count} publish confirms, will retry: {Error}", batch.Count, e.Message);
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
    }
}
