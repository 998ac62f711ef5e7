using System.Diagnostics;
using System.Security.Cryptography;
using KtpFleet.Fleet.Messaging;
using KtpFleet.Fleet.Metrics;
using KtpFleet.Fleet.Storage;
using KtpFleet.Fleet.Tenants;
using KtpFleet.Ingest.Infrastructure;
using KtpFleet.Ocr;
using KtpFleet.Ocr.Imaging;
using Npgsql;

namespace KtpFleet.Ingest.Intake;

/// <summary>One image as it arrived, with what the caller said about it.</summary>
public sealed record Upload(ReadOnlyMemory<byte> Image, string? ExternalId, string? CallbackUrl, string? IdempotencyKey);

/// <summary>What became of one upload: a job (new or existing), or a typed refusal.</summary>
public sealed record IntakeResult(AcceptedJob? Job, ApiError? Error)
{
    public bool IsAccepted => Job is not null;
}

/// <summary>
/// The single path every upload takes (single and batch endpoints): validate against the tenant policy, dedupe,
/// write the job row, then publish with confirms. A 2xx is only given after the row committed; if the publish is not
/// confirmed the job is still safe: the sweeper re-publishes it.
/// </summary>
public sealed class JobIntake(
    JobStore jobs,
    JobPublisher publisher,
    PublishConfirmations confirmations,
    DedupeCache dedupe,
    TenantPolicyFile policies,
    FleetMetrics metrics,
    ILogger<JobIntake> log)
{
    public async Task<IntakeResult> SubmitAsync(string tenant, Upload upload, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var policy = policies.For(tenant);
            var validation = Validate(upload, policy);
            if (validation is not null) return Reject(tenant, validation);

            var sha = SHA256.HashData(upload.Image.Span);
            var shaHex = Convert.ToHexStringLower(sha);
            var keys = new List<string>(2);
            if (upload.IdempotencyKey is not null) keys.Add(DedupeCache.IdempotencyKey(tenant, upload.IdempotencyKey));
            keys.Add(DedupeCache.ContentKey(tenant, shaHex));

            if (await dedupe.FindAsync(keys) is { } cached)
            {
                metrics.JobsDuplicate.Add(1, Tenant(tenant));
                return new IntakeResult(new AcceptedJob(cached, true, default), null);
            }

            AcceptedJob job;
            try
            {
                job = await jobs.AcceptAsync(new NewJob(tenant, upload.Image, sha, ContentTypeOf(upload.Image.Span), upload.ExternalId,
                    upload.CallbackUrl, upload.IdempotencyKey, policy.DedupeWindow), ct);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                log.LogError("Job store unavailable: {Error}", e.Message);
                return Reject(tenant, ApiError.Unavailable("could not store the job"));
            }
            await dedupe.RememberAsync(keys, job.JobId, policy.DedupeWindow);
            if (job.Duplicate)
            {
                metrics.JobsDuplicate.Add(1, Tenant(tenant));
                return new IntakeResult(job, null);
            }
            metrics.JobsAccepted.Add(1, Tenant(tenant));
            await PublishAsync(JobMessage.For(job.JobId, tenant, shaHex, job.CreatedAt), ct);
            return new IntakeResult(job, null);
        }
        finally
        {
            metrics.UploadDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    private async Task PublishAsync(JobMessage message, CancellationToken ct)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await publisher.PublishAsync(message, timeout.Token);
            confirmations.Confirmed(message.JobId);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The row is committed: the sweeper publishes it later. The upload still succeeds.
            metrics.PublishFailures.Add(1);
            log.LogWarning("Publish of job {JobId} not confirmed, left to the sweeper: {Error}", message.JobId, e.Message);
        }
    }

    private static ApiError? Validate(Upload upload, TenantPolicy policy)
    {
        var size = upload.Image.Length;
        try
        {
            if (size == 0) throw new KtpImageException(ImageErrorCode.Empty, "the upload is empty");
            if (size > policy.MaxImageBytes)
                throw new KtpImageException(ImageErrorCode.TooLargeBytes, $"{size} bytes is over the limit of {policy.MaxImageBytes}");
            var header = ImageHeaderReader.Read(upload.Image.Span);
            if (header.Pixels > policy.MaxImagePixels)
                throw new KtpImageException(ImageErrorCode.TooLargePixels, $"{header.Width}x{header.Height} is over the limit of {policy.MaxImagePixels} pixels");
            if (size < policy.MinImageBytes)
                throw new KtpImageException(ImageErrorCode.TooSmall, $"{size} bytes is under the minimum of {policy.MinImageBytes}");
        }
        catch (KtpImageException e)
        {
            return ApiError.FromImage(e);
        }
        if (upload.CallbackUrl is { } url && !(Uri.TryCreate(url, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps)))
            return ApiError.InvalidCallback;
        return null;
    }

    private IntakeResult Reject(string tenant, ApiError error)
    {
        metrics.JobsRejected.Add(1, Tenant(tenant), new KeyValuePair<string, object?>("code", error.Code));
        return new IntakeResult(null, error);
    }

    private static string ContentTypeOf(ReadOnlySpan<byte> image) => ImageHeaderReader.Read(image).Format switch
    {
        ImageFormat.Png => "image/png",
        ImageFormat.Jpeg => "image/jpeg",
        ImageFormat.WebP => "image/webp",
        _ => "application/octet-stream",
    };

    private static KeyValuePair<string, object?> Tenant(string t) => new("tenant", t);
}
