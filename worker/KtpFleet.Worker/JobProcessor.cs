using System.Diagnostics;
using System.Security.Cryptography;
using KtpFleet.Fleet.Logging;
using KtpFleet.Fleet.Messaging;
using KtpFleet.Fleet.Metrics;
using KtpFleet.Fleet.Storage;
using KtpFleet.Fleet.Storage.Images;
using KtpFleet.Fleet.Tenants;
using KtpFleet.Ocr;
using KtpFleet.Ocr.Results;
using Npgsql;

namespace KtpFleet.Worker;

/// <summary>What the consumer does with the message after processing.</summary>
public abstract record Disposition
{
    public sealed record Ack(string Why) : Disposition;
    public sealed record Retry(TimeSpan Delay) : Disposition;
    public sealed record DeadLetter(string Why) : Disposition;
}

/// <summary>
/// Processes one job message: skip if it already has an outcome (redelivery), load the image, extract, store the
/// outcome and status in one transaction. Image errors fail the job at once; other extraction errors are
/// transient and retried until <see cref="WorkerOptions.MaxAttempts"/>. Database outages are waited out in place
/// (they say nothing about the job), so a PostgreSQL restart costs time, not attempts.
/// </summary>
public sealed class JobProcessor(
    JobStore jobs,
    ImageStores images,
    IKtpExtractor extractor,
    TenantPolicyFile policies,
    WorkerOptions options,
    FleetMetrics metrics,
    ILogger<JobProcessor> log)
{
    public async Task<Disposition> ProcessAsync(JobMessage message, CancellationToken ct)
    {
        var status = await WithDatabaseAsync(() => jobs.GetStatusAsync(message.JobId, ct), ct);
        if (status is null) return new Disposition.DeadLetter("unknown job");
        if (JobStatus.IsFinal(status))
        {
            metrics.JobsSkipped.Add(1);
            log.LogInformation("Job already {Status}, acknowledging redelivery", status);
            return new Disposition.Ack("already done");
        }
        await WithDatabaseAsync(() => jobs.MarkStartedAsync(message.JobId, ct), ct);
        if (message.Attempt == 0) metrics.QueueLag.Record((DateTimeOffset.UtcNow - message.SubmittedAt).TotalSeconds);
        byte[]? image;
        try
        {
            image = await WithDatabaseAsync(() => images.GetAsync(message.JobId, message.ImageRef, ct), ct);
        }
        catch (ImageStoreCorruptException e)
        {
            return await FailUnreadableAsync(message, "image_corrupt", e.Message, ct);
        }
        if (image is null) return await FailUnreadableAsync(message, "image_missing", $"no image at {message.ImageRef}", ct);
        if (!Convert.ToHexStringLower(SHA256.HashData(image)).Equals(message.Sha256, StringComparison.Ordinal))
            return await FailUnreadableAsync(message, "image_corrupt", "the stored image does not match the uploaded SHA-256", ct);

        KtpResult result;
        var started = Stopwatch.GetTimestamp();
        metrics.InFlight.Add(1);
        try
        {
            result = await extractor.ExtractAsync(image, new ExtractOptions { Policy = policies.For(message.Tenant).Verdict }, ct);
        }
        catch (KtpImageException e)
        {
            log.LogInformation("Image refused: {ErrorCode}", e.ErrorCode);
            metrics.JobsFailed.Add(1, new KeyValuePair<string, object?>("reason", e.ErrorCode));
            await StoreAsync(new JobOutcome(message.JobId, false, null, null, e.ErrorCode, e.Message, options.Name), ct);
            return new Disposition.Ack("permanent failure");
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var attempt = message.Attempt + 1;
            if (attempt < options.MaxAttempts)
            {
                metrics.JobsRetried.Add(1);
                var delay = options.RetryDelay(message.Attempt);
                log.LogWarning("Extraction failed (attempt {Attempt} of {Max}), retrying in {DelayMs} ms: {Error}",
                    attempt, options.MaxAttempts, delay.TotalMilliseconds, PiiMask.MaskText(e.Message));
                return new Disposition.Retry(delay);
            }
            log.LogError("Extraction failed {Attempts} times, giving up: {Error}", attempt, PiiMask.MaskText(e.Message));
            metrics.JobsFailed.Add(1, new KeyValuePair<string, object?>("reason", "retries_exhausted"));
            await StoreAsync(new JobOutcome(message.JobId, false, null, null, "retries_exhausted",
                $"{attempt} attempts; last error: {e.GetType().Name}: {PiiMask.MaskText(e.Message)}", options.Name), ct);
            return new Disposition.DeadLetter("retries exhausted");
        }
        finally
        {
            metrics.InFlight.Add(-1);
            metrics.StageDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("stage", "extract"));
        }

        foreach (var (stage, ms) in result.TimingsMs)
            metrics.StageDuration.Record(ms / 1000, new KeyValuePair<string, object?>("stage", stage));
        var verdict = System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(result.Verdict.Decision.ToString());
        var stored = await StoreAsync(new JobOutcome(message.JobId, true, verdict, ResultJson.Serialize(result), null, null, options.Name), ct);
        if (stored) metrics.JobsProcessed.Add(1, new KeyValuePair<string, object?>("verdict", verdict));
        if (stored) log.LogInformation("Job completed: {Verdict}", verdict);
        else log.LogInformation("Job completed, but another delivery had already stored its outcome");
        return new Disposition.Ack("completed");
    }

    /// <summary>A job whose stored image cannot be had will never succeed: fail it with the reason, keep the message for inspection.</summary>
    private async Task<Disposition> FailUnreadableAsync(JobMessage message, string code, string reason, CancellationToken ct)
    {
        log.LogError("Image of the job unreadable ({Code}): {Reason}", code, reason);
        metrics.JobsFailed.Add(1, new KeyValuePair<string, object?>("reason", code));
        await StoreAsync(new JobOutcome(message.JobId, false, null, null, code, reason, options.Name), ct);
        return new Disposition.DeadLetter(code);
    }

    private Task<bool> StoreAsync(JobOutcome outcome, CancellationToken ct) => WithDatabaseAsync(() => jobs.RecordOutcomeAsync(outcome, ct), ct);

    /// <summary>Retries a database call across outages (connection refused, server restarting) until it succeeds or shutdown.</summary>
    private async Task<T> WithDatabaseAsync<T>(Func<Task<T>> call, CancellationToken ct)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (IsTransientDatabaseError(e) && !ct.IsCancellationRequested)
            {
                log.LogWarning("Database unavailable, waiting {DelayMs} ms: {Error}", delay.TotalMilliseconds, e.Message);
                await Task.Delay(delay, ct);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5000));
            }
        }
    }

    private static bool IsTransientDatabaseError(Exception e) => e switch
    {
        NpgsqlException { IsTransient: true } => true,
        PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "08006" or "08001" or "08003" } => true,
        NpgsqlException { InnerException: System.Net.Sockets.SocketException or IOException or TimeoutException } => true,
        _ => false,
    };
}
