using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using KtpFleet.Operator.Crd;
using KtpFleet.Operator.Desired;
using KtpFleet.Operator.Kube;
using KtpFleet.Operator.Observability;
using KtpFleet.Operator.RabbitMq;
using KtpFleet.Operator.Resources;
using KtpFleet.Operator.Scaling;
using Microsoft.Extensions.Logging;

namespace KtpFleet.Operator.Controller;

/// <summary>
/// Makes a KtpOcrPipeline's world match its spec: finalizer, broker queue and tenant bindings, tenant policy
/// ConfigMap, worker Deployment, scaler (KEDA ScaledObject, built-in HPA-like scaling, or manual replicas), and
/// a status that says how far the world is from the spec. Every step is an idempotent apply.
/// </summary>
public sealed class PipelineReconciler(
    IKubeClient kube,
    IQueueBroker broker,
    EventRecorder events,
    MetricsRegistry metrics,
    ILogger<PipelineReconciler> logger,
    TimeProvider? clock = null,
    TimeSpan? drainConfirmation = null) : IReconciler
{
    /// <summary>
    /// How long a queue must read empty before it is deleted: the management API's figures are statistics
    /// emitted every few seconds (collect_statistics_interval, 5 s by default), so one zero may be stale.
    /// </summary>
    private readonly TimeSpan _drainConfirmation = drainConfirmation ?? TimeSpan.FromSeconds(12);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _emptySince = new();
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, ScalingHistory> _scaling = new();
    private const string Manager = PipelineNames.FieldManager;

    public async Task<Result> ReconcileAsync(Request request, CancellationToken ct)
    {
        // Read fresh, not from the informer cache: the status carries memory (last scale time, active model,
        // transition times) and computing it from a stale copy would apply that memory away.
        var obj = await kube.GetAsync(ResourceKind.Pipelines, request.Namespace, request.Name, ct).ConfigureAwait(false);
        if (obj is null)
        {
            _scaling.TryRemove(request.ToString(), out _);
            return Result.Done;
        }

        KtpOcrPipeline p;
        try
        {
            p = obj.Deserialize<KtpOcrPipeline>(KubeJson.Options) ?? throw new JsonException("empty object");
        }
        catch (JsonException e)
        {
            // A spec that does not even parse got past the API server (no schema validation there): report, don't retry.
            await WriteInvalidAsync(obj, [$"spec could not be read: {e.Message}"], ct).ConfigureAwait(false);
            return Result.Done;
        }

        if (p.Metadata.DeletionTimestamp is not null) return await FinalizeAsync(obj, p, ct).ConfigureAwait(false);

        if (!(p.Metadata.Finalizers ?? []).Contains(PipelineNames.Finalizer))
        {
            var finalizers = new JsonArray((p.Metadata.Finalizers ?? []).Append(PipelineNames.Finalizer).Select(f => (JsonNode?)f).ToArray());
            obj = await kube.MergePatchAsync(ResourceKind.Pipelines, request.Namespace, request.Name, new JsonObject
            {
                ["metadata"] = new JsonObject { ["finalizers"] = finalizers, ["resourceVersion"] = p.Metadata.ResourceVersion },
            }, ct: ct).ConfigureAwait(false);
            p.Metadata = obj["metadata"].Deserialize<ObjectMeta>(KubeJson.Options)!;
        }

        var errors = SpecValidator.Validate(p.Spec);
        if (errors.Count > 0)
        {
            await WriteInvalidAsync(obj, errors, ct).ConfigureAwait(false);
            return Result.Done;
        }

        var status = CloneStatus(p);
        var generation = p.Metadata.Generation ?? 0;
        var now = _clock.GetUtcNow();
        var conditions = status.Conditions ??= [];
        var labels = new[] { ("namespace", request.Namespace), ("pipeline", request.Name) };

        long? depth;
        try
        {
            if (!p.Spec.Paused)
            {
                await broker.EnsureExchangeAsync(p.Spec.Queue.Vhost, p.Spec.Queue.Exchange, ct).ConfigureAwait(false);
                await broker.EnsureQueueAsync(p.Spec.Queue.Vhost, p.Spec.Queue.Name, ct).ConfigureAwait(false);
                await broker.SyncBindingsAsync(p.Spec.Queue.Vhost, p.Spec.Queue.Exchange, p.Spec.Queue.Name,
                    p.Spec.Tenants.Select(t => PipelineNames.RoutingKey(t.Id)).ToList(), ct).ConfigureAwait(false);
            }
            depth = await broker.GetDepthAsync(p.Spec.Queue.Vhost, p.Spec.Queue.Name, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is BrokerException or HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            logger.LogWarning("pipeline {Pipeline}: broker unavailable: {Error}", request, e.Message);
            Conditions.Set(conditions, Conditions.Degraded, true, "BrokerUnavailable", e.Message, generation, now);
            Conditions.Set(conditions, Conditions.Ready, false, "BrokerUnavailable", "the queue could not be declared or read", generation, now);
            status.ObservedGeneration = generation;
            await WriteStatusAsync(obj, status, ct).ConfigureAwait(false);
            return new Result(Requeue: true);
        }
        status.QueueDepth = depth ?? 0;
        metrics.Set("ktp_operator_queue_depth", "Ready + unacked messages seen in the pipeline's queue.", depth ?? 0, labels);

        var deploymentName = PipelineNames.Worker(p);
        var current = await kube.GetAsync(ResourceKind.Deployments, request.Namespace, deploymentName, ct).ConfigureAwait(false);
        var currentReplicas = current?["spec"]?["replicas"]?.GetValue<int>() ?? 0;
        var currentVersion = (string?)current?["spec"]?["template"]?["metadata"]?["annotations"]?[PipelineNames.TessdataAnnotation];

        if (p.Spec.Paused)
        {
            Conditions.Set(conditions, Conditions.Progressing, false, "Paused", "spec.paused is true; objects are left as they are", generation, now);
            WorkerStatus.Fill(status, current, p, generation, now, rolloutMayProgress: false);
            status.ObservedGeneration = generation;
            await WriteStatusAsync(obj, status, ct).ConfigureAwait(false);
            return Result.After(TimeSpan.FromSeconds(p.Spec.Autoscaling.PollingIntervalSeconds));
        }

        await kube.ApplyAsync(ResourceKind.ConfigMaps, DesiredObjects.TenantPolicyConfigMap(p), Manager, ct: ct).ConfigureAwait(false);

        int? replicas;
        var scalingActive = false;
        var scalingReason = "";
        switch (p.Spec.Autoscaling.Mode)
        {
            case ScalingMode.Manual:
                replicas = p.Spec.Autoscaling.Replicas ?? 0;
                scalingReason = "ManualScaling";
                break;
            case ScalingMode.Builtin:
                var decision = BuiltinAutoscaler.Decide(p.Spec.Autoscaling, current is null ? 0 : currentReplicas, depth ?? 0, now,
                    _scaling.GetValueOrDefault(request.ToString(), ScalingHistory.Empty));
                _scaling[request.ToString()] = decision.History;
                replicas = decision.DesiredReplicas;
                scalingActive = decision.Active;
                scalingReason = decision.Reason;
                break;
            default:
                replicas = null;
                scalingActive = true;
                scalingReason = "KedaScaledObject";
                break;
        }

        var applied = await kube.ApplyAsync(ResourceKind.Deployments, DesiredObjects.WorkerDeployment(p, replicas), Manager, ct: ct)
            .ConfigureAwait(false);
        string? scalerProblem = null;
        try
        {
            await ApplyScalerAsync(p, ct).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            // The ScaledObject resource type is not served: KEDA is not installed in this cluster.
            scalerProblem = $"KEDA is not installed (scaledobjects.keda.sh not served): {e.Message}";
        }

        if (current is null)
            await events.RecordAsync(obj, "Normal", "WorkersCreated", $"Deployment {deploymentName} created with {replicas ?? 0} replicas", ct).ConfigureAwait(false);
        else if (replicas is { } r && r != currentReplicas)
        {
            status.LastScaleTime = now;
            await events.RecordAsync(obj, "Normal", "Scaled",
                $"workers {currentReplicas} → {r} (queue depth {depth ?? 0}, {scalingReason})", ct).ConfigureAwait(false);
        }
        if (currentVersion is not null && currentVersion != p.Spec.Model.TessdataVersion)
            await events.RecordAsync(obj, "Normal", "ModelRollout",
                $"rolling workers from tessdata {currentVersion} to {p.Spec.Model.TessdataVersion}", ct).ConfigureAwait(false);

        WorkerStatus.Fill(status, applied, p, generation, now, rolloutMayProgress: true);
        if (replicas is { } want) status.DesiredReplicas = want;
        metrics.Set("ktp_operator_desired_replicas", "Worker replicas the operator wants.", status.DesiredReplicas ?? 0, labels);

        var mode = p.Spec.Autoscaling.Mode;
        Conditions.Set(conditions, Conditions.ScalingActive, mode == ScalingMode.Keda || scalingActive,
            scalingReason, mode switch
            {
                ScalingMode.Manual => $"replicas fixed at {replicas}",
                ScalingMode.Keda => $"KEDA ScaledObject {deploymentName} scales on queue length",
                _ => $"queue depth {depth ?? 0}, activation above {p.Spec.Autoscaling.ActivationMessages}, {p.Spec.Autoscaling.MessagesPerReplica} messages per replica",
            }, generation, now);
        if (scalerProblem is not null)
        {
            Conditions.Set(conditions, Conditions.Degraded, true, "KedaNotInstalled", scalerProblem, generation, now);
            Conditions.Set(conditions, Conditions.ScalingActive, false, "KedaNotInstalled", "nothing scales the workers", generation, now);
        }
        else Conditions.Set(conditions, Conditions.Degraded, false, "AsExpected", "", generation, now);
        status.ObservedGeneration = generation;
        await WriteStatusAsync(obj, status, ct).ConfigureAwait(false);
        // Without KEDA, check again now and then (it may get installed) rather than at the polling rate.
        return Result.After(scalerProblem is null ? TimeSpan.FromSeconds(p.Spec.Autoscaling.PollingIntervalSeconds) : TimeSpan.FromMinutes(1));
    }

    private async Task ApplyScalerAsync(KtpOcrPipeline p, CancellationToken ct)
    {
        if (p.Spec.Autoscaling.Mode == ScalingMode.Keda)
        {
            await kube.ApplyAsync(ResourceKind.TriggerAuthentications, DesiredObjects.TriggerAuthentication(p), Manager, ct: ct).ConfigureAwait(false);
            await kube.ApplyAsync(ResourceKind.ScaledObjects, DesiredObjects.ScaledObject(p), Manager, ct: ct).ConfigureAwait(false);
            return;
        }
        // Not KEDA (any more): a leftover ScaledObject would fight our replicas.
        try
        {
            await kube.DeleteAsync(ResourceKind.ScaledObjects, p.Metadata.Namespace, PipelineNames.Worker(p), ct).ConfigureAwait(false);
            await kube.DeleteAsync(ResourceKind.TriggerAuthentications, p.Metadata.Namespace, PipelineNames.TriggerAuth(p), ct).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsNotFound) { /* KEDA not installed: nothing to clean up */ }
    }

    private async Task<Result> FinalizeAsync(JsonObject obj, KtpOcrPipeline p, CancellationToken ct)
    {
        var finalizers = p.Metadata.Finalizers ?? [];
        if (!finalizers.Contains(PipelineNames.Finalizer)) return Result.Done;
        var now = _clock.GetUtcNow();
        var graceEnd = p.Metadata.DeletionTimestamp!.Value.AddSeconds(p.Spec.Queue.DrainGraceSeconds);
        var depth = await broker.GetDepthAsync(p.Spec.Queue.Vhost, p.Spec.Queue.Name, ct).ConfigureAwait(false);
        var key = $"{p.Metadata.Namespace}/{p.Metadata.Name}";
        if (depth is 0 && now < graceEnd)
        {
            var since = _emptySince.GetOrAdd(key, now);
            if (now - since < _drainConfirmation) return Result.After(_drainConfirmation - (now - since));
        }
        else _emptySince.TryRemove(key, out _);
        if (depth is > 0 && now < graceEnd)
        {
            var status = CloneStatus(p);
            status.QueueDepth = depth;
            Conditions.Set(status.Conditions ??= [], Conditions.Ready, false, "Draining",
                $"{depth} messages left; the queue is removed when empty or at {graceEnd:O}", p.Metadata.Generation ?? 0, now);
            await WriteStatusAsync(obj, status, ct).ConfigureAwait(false);
            var wait = graceEnd - now;
            return Result.After(wait < TimeSpan.FromSeconds(5) ? wait : TimeSpan.FromSeconds(5));
        }
        if (depth is not null)
        {
            await broker.DeleteQueueAsync(p.Spec.Queue.Vhost, p.Spec.Queue.Name, ct).ConfigureAwait(false);
            await events.RecordAsync(obj, depth > 0 ? "Warning" : "Normal", "QueueDeleted",
                depth > 0 ? $"queue {p.Spec.Queue.Name} deleted with {depth} messages after the drain grace period"
                          : $"queue {p.Spec.Queue.Name} drained and deleted", ct).ConfigureAwait(false);
        }
        var remaining = new JsonArray(finalizers.Where(f => f != PipelineNames.Finalizer).Select(f => (JsonNode?)f).ToArray());
        await kube.MergePatchAsync(ResourceKind.Pipelines, p.Metadata.Namespace, p.Metadata.Name!, new JsonObject
        {
            ["metadata"] = new JsonObject { ["finalizers"] = remaining, ["resourceVersion"] = p.Metadata.ResourceVersion },
        }, ct: ct).ConfigureAwait(false);
        _scaling.TryRemove(key, out _);
        _emptySince.TryRemove(key, out _);
        return Result.Done;
    }

    private async Task WriteInvalidAsync(JsonObject obj, IReadOnlyList<string> errors, CancellationToken ct)
    {
        var generation = obj["metadata"]?["generation"]?.GetValue<long>() ?? 0;
        PipelineStatus status;
        try { status = obj["status"]?.Deserialize<PipelineStatus>(KubeJson.Options) ?? new(); }
        catch (JsonException) { status = new(); }
        var now = _clock.GetUtcNow();
        var message = string.Join("; ", errors);
        var conditions = status.Conditions ??= [];
        var wasInvalid = Conditions.Find(conditions, Conditions.Degraded) is { Reason: "InvalidSpec" } d && d.ObservedGeneration == generation;
        Conditions.Set(conditions, Conditions.Degraded, true, "InvalidSpec", message, generation, now);
        Conditions.Set(conditions, Conditions.Ready, false, "InvalidSpec", "the spec is invalid; nothing was changed", generation, now);
        status.ObservedGeneration = generation;
        await WriteStatusAsync(obj, status, ct).ConfigureAwait(false);
        if (!wasInvalid) await events.RecordAsync(obj, "Warning", "InvalidSpec", message, ct).ConfigureAwait(false);
    }

    private static PipelineStatus CloneStatus(KtpOcrPipeline p) =>
        p.Status is null ? new PipelineStatus()
            : JsonSerializer.Deserialize<PipelineStatus>(JsonSerializer.Serialize(p.Status, KubeJson.Options), KubeJson.Options)!;

    /// <summary>Apply the status subresource, skipping the write when nothing changed (every write wakes the watch).</summary>
    private async Task WriteStatusAsync(JsonObject obj, PipelineStatus status, CancellationToken ct)
    {
        var node = JsonSerializer.SerializeToNode(status, KubeJson.Options)!;
        if (obj["status"] is { } old && JsonNode.DeepEquals(old, node)) return;
        await kube.ApplyAsync(ResourceKind.Pipelines, new JsonObject
        {
            ["apiVersion"] = KtpOcrPipeline.ApiVersionString,
            ["kind"] = KtpOcrPipeline.KindName,
            ["metadata"] = new JsonObject { ["name"] = (string?)obj["metadata"]?["name"], ["namespace"] = (string?)obj["metadata"]?["namespace"] },
            ["status"] = node,
        }, Manager, force: true, subresource: "status", ct: ct).ConfigureAwait(false);
    }
}
