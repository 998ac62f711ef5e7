using KtpFleet.Operator.Resources;

namespace KtpFleet.Operator.Scaling;

/// <summary>A raw replica recommendation made at a moment (for the scale-down stabilisation window).</summary>
public sealed record Recommendation(DateTimeOffset At, int Replicas);

/// <summary>A scale-up that happened (for the scale-up rate limit period).</summary>
public sealed record ScaleUpEvent(DateTimeOffset At, int Added);

/// <summary>What the autoscaler remembers between readings; the HPA keeps the same, in memory.</summary>
public sealed record ScalingHistory(IReadOnlyList<Recommendation> Recommendations, IReadOnlyList<ScaleUpEvent> ScaleUps)
{
    public static ScalingHistory Empty { get; } = new([], []);
}

public sealed record ScalingDecision(int DesiredReplicas, bool Active, string Reason, ScalingHistory History);

/// <summary>
/// Replicas from queue depth the way the Kubernetes HPA computes them for an AverageValue external metric
/// (KEDA's queue-length trigger), as a pure function of the spec, the reading and the history:
/// desired = ceil(depth ÷ messagesPerReplica), unchanged within 10% of the target; scale-down takes the highest
/// recommendation of the stabilisation window; scale-up is limited per 15 s period to max(+4 pods, +100%);
/// at or below the activation threshold the pipeline goes to minReplicas, which may be zero; bounds last.
/// </summary>
public static class BuiltinAutoscaler
{
    public const double Tolerance = 0.1;
    public static readonly TimeSpan ScaleUpPeriod = TimeSpan.FromSeconds(15);
    public const int ScaleUpPods = 4;
    public const int ScaleUpPercent = 100;

    public static ScalingDecision Decide(AutoscalingSpec spec, int currentReplicas, long queueDepth,
        DateTimeOffset now, ScalingHistory history)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(currentReplicas);
        ArgumentOutOfRangeException.ThrowIfNegative(queueDepth);
        var active = queueDepth > spec.ActivationMessages;
        var raw = RawRecommendation(spec, currentReplicas, queueDepth, active, out var reason);

        var window = TimeSpan.FromSeconds(spec.ScaleDownStabilizationSeconds);
        var recommendations = history.Recommendations.Where(r => now - r.At < window).Append(new(now, raw)).ToList();
        var scaleUps = history.ScaleUps.Where(e => now - e.At < ScaleUpPeriod).ToList();

        // Stabilise: never go above the fresh recommendation on the way up, never below the window's highest on the way down.
        var stabilized = currentReplicas;
        if (raw > stabilized) stabilized = raw;
        var highest = recommendations.Max(r => r.Replicas);
        if (stabilized > highest) stabilized = highest;
        if (stabilized < raw) stabilized = raw;
        if (stabilized != raw && raw < currentReplicas) reason = "ScaleDownStabilized";

        var desired = stabilized;
        if (desired > currentReplicas)
        {
            var periodStart = currentReplicas - scaleUps.Sum(e => e.Added);
            var limit = Math.Max(periodStart + ScaleUpPods, (int)Math.Ceiling(periodStart * (1 + ScaleUpPercent / 100.0)));
            limit = Math.Max(limit, currentReplicas);
            if (desired > limit) { desired = limit; reason = "ScaleUpLimited"; }
        }
        if (desired > spec.MaxReplicas) { desired = spec.MaxReplicas; reason = "TooManyReplicas"; }
        if (desired < spec.MinReplicas) { desired = spec.MinReplicas; reason = active ? "TooFewReplicas" : reason; }
        // Scale to zero only below activation; an active queue always gets a worker.
        if (active && desired == 0) { desired = 1; reason = "Activated"; }

        if (desired > currentReplicas) scaleUps.Add(new(now, desired - currentReplicas));
        return new ScalingDecision(desired, active, reason, new ScalingHistory(recommendations, scaleUps));
    }

    private static int RawRecommendation(AutoscalingSpec spec, int current, long depth, bool active, out string reason)
    {
        if (!active)
        {
            reason = spec.MinReplicas == 0 ? "BelowActivation" : "BelowActivationAtMinimum";
            return spec.MinReplicas;
        }
        var target = (double)spec.MessagesPerReplica;
        if (current > 0)
        {
            var ratio = depth / (target * current);
            if (Math.Abs(ratio - 1.0) <= Tolerance)
            {
                reason = "WithinTolerance";
                return current;
            }
        }
        reason = "QueueDepth";
        return (int)Math.Min(int.MaxValue, Math.Ceiling(depth / target));
    }
}
