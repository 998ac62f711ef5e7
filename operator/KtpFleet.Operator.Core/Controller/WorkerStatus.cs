using System.Text.Json.Nodes;
using KtpFleet.Operator.Desired;
using KtpFleet.Operator.Resources;

namespace KtpFleet.Operator.Controller;

/// <summary>
/// The pipeline status fields that come from the worker Deployment as the cluster reports it: replicas, rollout
/// progress (Ready / Progressing) and which tessdata version the workers actually run.
/// </summary>
public static class WorkerStatus
{
    /// <summary>Replicas, rollout progress and model version from the Deployment the cluster reports.</summary>
    public static void Fill(PipelineStatus status, JsonObject? deployment, KtpOcrPipeline p, long generation,
        DateTimeOffset now, bool rolloutMayProgress)
    {
        var conditions = status.Conditions!;
        status.Selector = PipelineNames.Selector(p);
        var target = p.Spec.Model.TessdataVersion;
        if (deployment is null)
        {
            status.Replicas = 0;
            status.ReadyReplicas = 0;
            Conditions.Set(conditions, Conditions.Ready, false, "NoWorkers", "the worker Deployment does not exist yet", generation, now);
            return;
        }
        var spec = deployment["spec"] as JsonObject ?? [];
        var st = deployment["status"] as JsonObject ?? [];
        int I(JsonNode? n) => n?.GetValue<int>() ?? 0;
        var want = I(spec["replicas"]);
        var replicas = I(st["replicas"]);
        var updated = I(st["updatedReplicas"]);
        var ready = I(st["readyReplicas"]);
        var available = I(st["availableReplicas"]);
        var observed = st["observedGeneration"]?.GetValue<long>() ?? 0;
        var depGeneration = deployment["metadata"]?["generation"]?.GetValue<long>() ?? 0;
        var running = (string?)spec["template"]?["metadata"]?["annotations"]?[PipelineNames.TessdataAnnotation];

        status.Replicas = replicas;
        status.ReadyReplicas = ready;
        status.DesiredReplicas = want;

        // kubectl rollout status' rule: the controller saw this generation and every pod is updated and available.
        var complete = observed >= depGeneration && updated == want && replicas == want && available >= want;
        if (complete && running == target)
        {
            status.ActiveModelVersion = target;
            status.ModelRollout = null;
            if (rolloutMayProgress)
                Conditions.Set(conditions, Conditions.Progressing, false, "RolloutComplete", $"{ready}/{want} workers on tessdata {target}", generation, now);
            Conditions.Set(conditions, Conditions.Ready, true, want == 0 ? "ScaledToZero" : "Available",
                want == 0 ? "no workers needed for the current queue depth" : $"{ready}/{want} workers ready", generation, now);
            return;
        }
        var from = status.ActiveModelVersion;
        status.ModelRollout = from is not null && from != target ? $"{from} → {target}" : null;
        if (rolloutMayProgress)
            Conditions.Set(conditions, Conditions.Progressing, true, "RollingOut",
                status.ModelRollout is { } r ? $"tessdata {r}: {updated}/{want} workers updated" : $"{updated}/{want} workers updated, {available} available",
                generation, now);
        Conditions.Set(conditions, Conditions.Ready, available >= want && want > 0, available >= want && want > 0 ? "Available" : "RollingOut",
            $"{ready}/{want} workers ready", generation, now);
    }
}
