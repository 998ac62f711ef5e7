using System.Diagnostics;
using System.Text.Json.Nodes;
using KtpFleet.Operator.Kube;
using KtpFleet.Operator.Observability;
using Microsoft.Extensions.Logging;

namespace KtpFleet.Operator.Controller;

/// <summary>
/// Informers on pipelines and the Deployments they own feed a work queue of pipeline keys; workers take keys and
/// reconcile them (never the same key twice at once), requeueing with backoff on failure and after the time the
/// reconciler asks for; every pipeline is requeued on the resync period.
/// </summary>
public sealed class PipelineController
{
    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private readonly IReconciler _reconciler;
    private readonly ControllerOptions _options;
    private readonly MetricsRegistry _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly WorkQueue<Request> _queue;

    public PipelineController(IKubeClient kube, Func<PipelineController, IReconciler> reconciler, ControllerOptions options,
        MetricsRegistry metrics, ILoggerFactory loggers, TimeProvider? clock = null)
    {
        _options = options;
        _metrics = metrics;
        _logger = loggers.CreateLogger<PipelineController>();
        _clock = clock ?? TimeProvider.System;
        _queue = new WorkQueue<Request>(options.BackoffBase, options.BackoffMax);
        Pipelines = new Informer(kube, ResourceKind.Pipelines, options.Namespace, loggers.CreateLogger("informer.pipelines"), _clock, options.WatchTimeoutSeconds);
        Deployments = new Informer(kube, ResourceKind.Deployments, options.Namespace, loggers.CreateLogger("informer.deployments"), _clock, options.WatchTimeoutSeconds);
        Pipelines.Changed += (_, obj) => _queue.Add(RequestOf(obj));
        Deployments.Changed += (_, obj) => { if (OwnerOf(obj) is { } owner) _queue.Add(owner); };
        _reconciler = reconciler(this);
    }

    public Informer Pipelines { get; }
    public Informer Deployments { get; }
    public IReadOnlyList<Informer> Informers => [Pipelines, Deployments];
    public int Reconciles => (int)(_metrics.Value("ktp_operator_reconciles_total", ("result", "success")) ?? 0)
                             + (int)(_metrics.Value("ktp_operator_reconciles_total", ("result", "error")) ?? 0);

    private static Request RequestOf(JsonObject o) =>
        new((string?)o["metadata"]?["namespace"] ?? "default", (string?)o["metadata"]?["name"] ?? "");

    private static Request? OwnerOf(JsonObject o)
    {
        var owner = (o["metadata"]?["ownerReferences"] as JsonArray ?? []).OfType<JsonObject>()
            .FirstOrDefault(r => (string?)r["kind"] == "KtpOcrPipeline" && (bool?)r["controller"] == true);
        return owner is null ? null : new((string?)o["metadata"]?["namespace"] ?? "default", (string?)owner["name"] ?? "");
    }

    /// <summary>True when every informer has heard from the server within <see cref="ControllerOptions.WatchStallAfter"/>.</summary>
    public bool IsHealthy(out string detail)
    {
        var now = _clock.GetUtcNow();
        var stalled = Informers.Where(i => i.Synced.IsCompleted && now - i.LastProgress > _options.WatchStallAfter).ToList();
        detail = stalled.Count == 0 ? "ok" : "watch stalled: " + string.Join(", ", stalled.Select(i => $"{i.Kind.Plural} (last heard {i.LastProgress:O})"));
        return stalled.Count == 0;
    }

    public async Task RunAsync(CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var informers = Informers.Select(i => Task.Run(() => i.RunAsync(stop.Token), CancellationToken.None)).ToList();
        try
        {
            await Task.WhenAll(Informers.Select(i => i.Synced)).WaitAsync(stop.Token).ConfigureAwait(false);
            _logger.LogInformation("caches synced; starting {Workers} workers", _options.Workers);
            var workers = Enumerable.Range(0, _options.Workers).Select(_ => Task.Run(() => WorkAsync(stop.Token), CancellationToken.None)).ToList();
            var resync = Task.Run(() => ResyncAsync(stop.Token), CancellationToken.None);
            await Task.WhenAll(workers.Append(resync)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            _queue.ShutDown();
            await Task.WhenAll(informers).ConfigureAwait(false);
        }
    }

    private async Task ResyncAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(_options.ResyncPeriod, _clock);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
                foreach (var p in Pipelines.List()) _queue.Add(RequestOf(p));
        }
        catch (OperationCanceledException) { }
    }

    private async Task WorkAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Request request;
            try { request = await _queue.GetAsync(ct).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            var started = Stopwatch.GetTimestamp();
            try
            {
                var result = await _reconciler.ReconcileAsync(request, ct).ConfigureAwait(false);
                _metrics.Increment("ktp_operator_reconciles_total", "Reconciles by result.", ("result", "success"));
                if (result.Requeue) _queue.AddRateLimited(request);
                else
                {
                    _queue.Forget(request);
                    if (result.RequeueAfter is { } after) _queue.AddAfter(request, after);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _metrics.Increment("ktp_operator_reconciles_total", "Reconciles by result.", ("result", "error"));
                _metrics.Increment("ktp_operator_reconcile_errors_total", "Failed reconciles by error type.", ("error", e.GetType().Name));
                var delay = _queue.AddRateLimited(request);
                _logger.LogWarning("reconcile of {Pipeline} failed ({Error}); retrying in {Delay}", request, e.Message, delay);
            }
            finally
            {
                _metrics.Observe("ktp_operator_reconcile_duration_seconds", "Reconcile duration.",
                    Stopwatch.GetElapsedTime(started).TotalSeconds, DurationBuckets);
                _queue.Done(request);
            }
        }
    }
}
