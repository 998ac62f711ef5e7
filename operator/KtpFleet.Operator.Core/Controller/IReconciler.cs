namespace KtpFleet.Operator.Controller;

public sealed record Request(string Namespace, string Name)
{
    public override string ToString() => $"{Namespace}/{Name}";
}

/// <summary>controller-runtime's result: requeue with backoff, or after a fixed time, or not at all.</summary>
public sealed record Result(bool Requeue = false, TimeSpan? RequeueAfter = null)
{
    public static Result Done { get; } = new();
    public static Result After(TimeSpan t) => new(RequeueAfter: t);
}

public interface IReconciler
{
    /// <summary>Level-triggered: make the world match the object named by the request, whatever happened before.</summary>
    Task<Result> ReconcileAsync(Request request, CancellationToken ct);
}
