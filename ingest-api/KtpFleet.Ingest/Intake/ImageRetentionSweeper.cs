using KtpFleet.Fleet;
using KtpFleet.Fleet.Metrics;
using KtpFleet.Fleet.Storage.Images;

namespace KtpFleet.Ingest.Intake;

/// <summary>
/// Deletes upload images older than the retention period (<c>KTP_IMAGE_RETENTION_DAYS</c>, default 30): they are
/// personal data, and the segment volume would otherwise fill. Runs shortly after start and then hourly; several API
/// replicas may run it at once (deleting is idempotent). Jobs and results stay; their image then answers 410, and a
/// job still queued when its image expires fails as <c>image_missing</c>.
/// </summary>
public sealed class ImageRetentionSweeper(ImageStores images, FleetSettings settings, FleetMetrics metrics,
    ILogger<ImageRetentionSweeper> log) : BackgroundService
{
    private static readonly TimeSpan FirstAfter = TimeSpan.FromSeconds(30), Every = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings.ImageRetention is not { } retention) return;
        await Task.Delay(FirstAfter, stoppingToken);
        using var timer = new PeriodicTimer(Every);
        do
        {
            try
            {
                await SweepOnceAsync(DateTimeOffset.UtcNow - retention, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning("Image retention sweep failed, retrying next hour: {Error}", e.Message);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task SweepOnceAsync(DateTimeOffset before, CancellationToken ct)
    {
        foreach (var (scheme, deleted) in await images.ExpireAsync(before, ct))
        {
            if (deleted == 0) continue;
            metrics.ImagesExpired.Add(deleted, new KeyValuePair<string, object?>("store", scheme));
            log.LogInformation("Deleted {Count} {Store} image units stored before {Before:u} (retention)", deleted, scheme, before);
        }
    }
}
