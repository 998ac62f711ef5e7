namespace KtpFleet.Operator.Controller;

public sealed record ControllerOptions
{
    /// <summary>Namespace to watch; null for all namespaces.</summary>
    public string? Namespace { get; init; }
    public int Workers { get; init; } = 2;
    /// <summary>Every pipeline is reconciled at least this often, even with no event (level-triggered safety net).</summary>
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>A watch with no sign of life (event, bookmark, clean restart) for this long makes /healthz fail.</summary>
    public TimeSpan WatchStallAfter { get; init; } = TimeSpan.FromMinutes(10);
    public int WatchTimeoutSeconds { get; init; } = 300;
    public TimeSpan BackoffBase { get; init; } = TimeSpan.FromMilliseconds(50);
    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromMinutes(5);
}
