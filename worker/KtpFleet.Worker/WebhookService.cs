using KtpFleet.Fleet.Webhooks;

namespace KtpFleet.Worker;

/// <summary>Runs the webhook dispatcher for the worker's lifetime.</summary>
public sealed class WebhookService(WebhookDispatcher dispatcher) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try { await dispatcher.RunAsync(stoppingToken); }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }
}
