using KtpFleet.Operator.Resources;

namespace KtpFleet.Operator.Controller;

/// <summary>metav1.Condition bookkeeping: lastTransitionTime moves only when the status flips.</summary>
public static class Conditions
{
    public const string Ready = "Ready";
    public const string Progressing = "Progressing";
    public const string Degraded = "Degraded";
    public const string ScalingActive = "ScalingActive";

    public static void Set(List<Condition> conditions, string type, bool status, string reason, string message,
        long generation, DateTimeOffset now)
    {
        var value = status ? "True" : "False";
        var existing = conditions.FirstOrDefault(c => c.Type == type);
        if (existing is null)
        {
            conditions.Add(new Condition
            {
                Type = type, Status = value, Reason = reason, Message = message,
                ObservedGeneration = generation, LastTransitionTime = Truncate(now),
            });
            return;
        }
        if (existing.Status != value) existing.LastTransitionTime = Truncate(now);
        existing.Status = value;
        existing.Reason = reason;
        existing.Message = message;
        existing.ObservedGeneration = generation;
    }

    public static Condition? Find(IEnumerable<Condition>? conditions, string type) => conditions?.FirstOrDefault(c => c.Type == type);

    // metav1.Time has second precision.
    private static DateTimeOffset Truncate(DateTimeOffset t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
}
