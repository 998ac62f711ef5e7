using System.Diagnostics.Metrics;

namespace KtpFleet.Fleet.Metrics;

/// <summary>The fleet's instruments (one meter for the API and the workers; each process uses its part).</summary>
public sealed class FleetMetrics : IDisposable
{
    public const string MeterName = "KtpFleet";

    private readonly Meter _meter = new(MeterName, "1.0");

    public FleetMetrics()
    {
        JobsAccepted = _meter.CreateCounter<long>("ktp_jobs_accepted", description: "Uploads accepted as new jobs");
        JobsDuplicate = _meter.CreateCounter<long>("ktp_jobs_duplicate", description: "Uploads answered with an existing job (dedupe or Idempotency-Key)");
        JobsRejected = _meter.CreateCounter<long>("ktp_jobs_rejected", description: "Uploads refused, by error code");
        JobsRateLimited = _meter.CreateCounter<long>("ktp_jobs_rate_limited", description: "Uploads refused by a rate limit, by scope");
        PublishFailures = _meter.CreateCounter<long>("ktp_publish_failures", description: "Job publishes not confirmed by the broker (the sweeper retries them)");
        JobsRepublished = _meter.CreateCounter<long>("ktp_jobs_republished", description: "Jobs re-published by the sweeper");
        ImagesExpired = _meter.CreateCounter<long>("ktp_images_expired", description: "Stored upload images deleted at the end of their retention, by store (segment files or rows)");
        RedisFallbacks = _meter.CreateCounter<long>("ktp_redis_unavailable", description: "Operations that went on without Redis, by operation");
        JobsProcessed = _meter.CreateCounter<long>("ktp_jobs_processed", description: "Jobs finished by a worker, by verdict");
        JobsFailed = _meter.CreateCounter<long>("ktp_jobs_failed", description: "Jobs failed, by reason");
        JobsRetried = _meter.CreateCounter<long>("ktp_jobs_retried", description: "Transient failures sent to delayed retry");
        JobsSkipped = _meter.CreateCounter<long>("ktp_jobs_redelivered_done", description: "Redelivered jobs that already had an outcome (acked without work)");
        StageDuration = _meter.CreateHistogram<double>("ktp_stage_duration", unit: "s", description: "Pipeline stage durations");
        QueueLag = _meter.CreateHistogram<double>("ktp_queue_lag", unit: "s", description: "Time from upload to the start of processing");
        UploadDuration = _meter.CreateHistogram<double>("ktp_upload_duration", unit: "s", description: "Upload request handling time");
        InFlight = _meter.CreateUpDownCounter<long>("ktp_jobs_in_flight", description: "Jobs being processed now");
        EnginesBusy = _meter.CreateUpDownCounter<long>("ktp_engine_pool_busy", description: "Extraction slots in use");
    }

    public Counter<long> JobsAccepted { get; }
    public Counter<long> JobsDuplicate { get; }
    public Counter<long> JobsRejected { get; }
    public Counter<long> JobsRateLimited { get; }
    public Counter<long> PublishFailures { get; }
    public Counter<long> JobsRepublished { get; }
    public Counter<long> ImagesExpired { get; }
    public Counter<long> RedisFallbacks { get; }
    public Counter<long> JobsProcessed { get; }
    public Counter<long> JobsFailed { get; }
    public Counter<long> JobsRetried { get; }
    public Counter<long> JobsSkipped { get; }
    public Histogram<double> StageDuration { get; }
    public Histogram<double> QueueLag { get; }
    public Histogram<double> UploadDuration { get; }
    public UpDownCounter<long> InFlight { get; }
    public UpDownCounter<long> EnginesBusy { get; }

    /// <summary>Idle engines = pool size - busy, observed at scrape time.</summary>
    public void ObserveEnginePool(Func<int> idle) =>
        _meter.CreateObservableGauge("ktp_engine_pool_idle", idle, description: "Extraction slots free");

    public void Dispose() => _meter.Dispose();
}
