namespace KtpFleet.Worker;

/// <summary>Worker tuning from environment variables (defaults in brackets are what <c>./ktp up</c> uses).</summary>
public sealed record WorkerOptions
{
    /// <summary>Concurrent extractions = prefetch [KTP_ENGINES, default: processor count].</summary>
    public int Engines { get; init; } = Environment.ProcessorCount;
    /// <summary>Attempts for transient extraction failures before the job is failed and dead-lettered [KTP_MAX_ATTEMPTS, 5].</summary>
    public int MaxAttempts { get; init; } = 5;
    /// <summary>First retry delay; doubles per attempt [KTP_RETRY_BASE_MS, 1000].</summary>
    public TimeSpan RetryBase { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>How long SIGTERM waits for in-flight jobs [KTP_DRAIN_SECONDS, 30].</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);
    public string Name { get; init; } = $"{Environment.MachineName}-{Environment.ProcessId}";
    /// <summary>First webhook retry delay; doubles per attempt [KTP_WEBHOOK_RETRY_BASE_MS, 2000].</summary>
    public TimeSpan WebhookRetryBase { get; init; } = TimeSpan.FromSeconds(2);

    public static WorkerOptions FromEnvironment()
    {
        var d = new WorkerOptions();
        return new WorkerOptions
        {
            Engines = Int("KTP_ENGINES") ?? d.Engines,
            MaxAttempts = Int("KTP_MAX_ATTEMPTS") ?? d.MaxAttempts,
            RetryBase = Int("KTP_RETRY_BASE_MS") is { } ms ? TimeSpan.FromMilliseconds(ms) : d.RetryBase,
            DrainTimeout = Int("KTP_DRAIN_SECONDS") is { } s ? TimeSpan.FromSeconds(s) : d.DrainTimeout,
            Name = Environment.GetEnvironmentVariable("KTP_WORKER_NAME") is { Length: > 0 } n ? n : d.Name,
            WebhookRetryBase = Int("KTP_WEBHOOK_RETRY_BASE_MS") is { } w ? TimeSpan.FromMilliseconds(w) : d.WebhookRetryBase,
        };
    }

    private static int? Int(string name) => int.TryParse(Environment.GetEnvironmentVariable(name), out var v) && v > 0 ? v : null;

    public TimeSpan RetryDelay(int attempt) => TimeSpan.FromMilliseconds(Math.Min(RetryBase.TotalMilliseconds * Math.Pow(2, attempt), 60_000));
}
