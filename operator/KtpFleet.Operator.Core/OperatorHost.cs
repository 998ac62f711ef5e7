using KtpFleet.Operator.Controller;
using KtpFleet.Operator.Kube;
using KtpFleet.Operator.Observability;
using KtpFleet.Operator.RabbitMq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace KtpFleet.Operator;

public sealed record OperatorOptions
{
    public required ControllerOptions Controller { get; init; }
    public required LeaderElectionOptions? LeaderElection { get; init; }
    public required Uri RabbitManagementUri { get; init; }
    public required string RabbitUser { get; init; }
    public required string RabbitPassword { get; init; }
    /// <summary>Where /healthz and /metrics listen, e.g. http://0.0.0.0:8081.</summary>
    public string HealthUrl { get; init; } = "http://0.0.0.0:8081";
    /// <summary>How long a queue must read empty before a deleted pipeline's queue is removed.</summary>
    public TimeSpan DrainConfirmation { get; init; } = TimeSpan.FromSeconds(12);
}

/// <summary>Wires the operator: client, broker, controller under leader election, /healthz and /metrics.</summary>
public sealed class OperatorHost(IKubeClient kube, IQueueBroker broker, OperatorOptions options, ILoggerFactory loggers,
    TimeProvider? clock = null)
{
    public MetricsRegistry Metrics { get; } = new();
    public PipelineController? Controller { get; private set; }
    public LeaderElector? Elector { get; private set; }

    /// <summary>Runs until cancelled or until leadership is lost (the process should then exit and be restarted).</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        var logger = loggers.CreateLogger<OperatorHost>();
        var web = await StartHealthEndpointAsync(ct).ConfigureAwait(false);
        try
        {
            if (options.LeaderElection is { } le)
            {
                Elector = new LeaderElector(kube, le, loggers.CreateLogger<LeaderElector>(), clock);
                await Elector.RunAsync(RunControllerAsync, ct).ConfigureAwait(false);
            }
            else
            {
                await RunControllerAsync(ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        finally
        {
            logger.LogInformation("operator stopping");
            await web.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await web.DisposeAsync().ConfigureAwait(false);
        }
    }

    private Task RunControllerAsync(CancellationToken leading)
    {
        var events = new EventRecorder(kube, loggers.CreateLogger<EventRecorder>(), clock);
        Controller = new PipelineController(kube,
            _ => new PipelineReconciler(kube, broker, events, Metrics, loggers.CreateLogger<PipelineReconciler>(), clock,
                options.DrainConfirmation),
            options.Controller, Metrics, loggers, clock);
        return Controller.RunAsync(leading);
    }

    private async Task<WebApplication> StartHealthEndpointAsync(CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(options.HealthUrl);
        var app = builder.Build();
        app.MapGet("/healthz", () =>
        {
            var c = Controller;
            if (c is null) return Results.Text("ok (not leading)\n");
            return c.IsHealthy(out var detail) ? Results.Text(detail + "\n") : Results.Text(detail + "\n", statusCode: 503);
        });
        app.MapGet("/readyz", () => Results.Text("ok\n"));
        app.MapGet("/metrics", () =>
        {
            Metrics.Set("ktp_operator_leader", "1 while this replica holds the lease.", Elector is null || Elector.IsLeader ? 1 : 0);
            return Results.Text(Metrics.Render(), "text/plain; version=0.0.4; charset=utf-8");
        });
        await app.StartAsync(ct).ConfigureAwait(false);
        return app;
    }

    public static RabbitManagementClient CreateBroker(OperatorOptions o) => new(o.RabbitManagementUri, o.RabbitUser, o.RabbitPassword);
}
