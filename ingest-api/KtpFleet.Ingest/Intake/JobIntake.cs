using System.Diagnostics;
using System.Security.Cryptography;
using KtpFleet.Fleet.Messaging;
using KtpFleet.Fleet.Metrics;
using KtpFleet.Fleet.Storage;
using KtpFleet.Fleet.Storage.Images;
using KtpFleet.Fleet.Tenants;
using KtpFleet.Ingest.Infrastructure;
using KtpFleet.Ocr;
using KtpFleet.Ocr.Imaging;
using Npgsql;

namespace KtpFleet.Ingest.Intake;

/// <summary>One image as it arrived, with what the caller said about it; disposing returns a pooled buffer.</summary>
public sealed record Upload(ReadOnlyMemory<byte> Image, string? ExternalId, string? CallbackUrl, string? IdempotencyKey, IDisposable? Buffer = null)
    : IDisposable
{
    public void Dispose() => Buffer?.Dispose();
}

/// <summary>What became of one upload: a job (new or existing), or a typed refusal.</summary>
public sealed record IntakeResult(AcceptedJob? Job, ApiError? Error)
{
    public bool IsAccepted => Job is not null;
}

/// <summary>
/// The single path every upload takes (single and batch endpoints): validate against the tenant policy, dedupe,
/// store the image durably, commit the job row, then hand the message to the background publisher. A 2xx is only
/// given after the image and the row are durable; the publish (with confirms) happens after the answer, and a job
/// whose publish is never confirmed is re-published by the sweeper, so no accepted job depends on the broker being
/// up at upload time.
/// </summary>
public sealed class JobIntake(
    JobAcceptBatcher jobs,
    ImageStores images,
    PublishQueue publishing,
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

            var id = Guid.CreateVersion7();
            string imageRef;
            try
            {
                imageRef = await images.Writer.PutAsync(id, upload.Image, sha, ct);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or NpgsqlException or TimeoutException)
            {
                log.LogError("Image store unavailable: {Error}", e.Message);
                return Reject(tenant, ApiError.Unavailable("could not store the image"));
            }

            AcceptedJob job;
            try
            {
                job = await jobs.AcceptAsync(new NewJob(id, tenant, imageRef, upload.Image.Length, sha, ContentTypeOf(upload.Image.Span),
                    upload.ExternalId, upload.CallbackUrl, upload.IdempotencyKey, policy.DedupeWindow));
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                log.LogError("Job store unavailable: {Error}", e.Message);
                await DiscardAsync(id, imageRef);
                return Reject(tenant, ApiError.Unavailable("could not store the job"));
            }
            await dedupe.RememberAsync(keys, job.JobId, policy.DedupeWindow);
            if (job.Duplicate)
            {
                await DiscardAsync(id, imageRef);
                metrics.JobsDuplicate.Add(1, Tenant(tenant));
                return new IntakeResult(job, null);
            }
            metrics.JobsAccepted.Add(1, Tenant(tenant));
            publishing.Enqueue(JobMessage.For(job.JobId, tenant, imageRef, shaHex, job.CreatedAt));
            return new IntakeResult(job, null);
        }
        finally
        {
            metrics.UploadDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    private async Task DiscardAsync(Guid id, string imageRef)
    {
        try
        {
            await images.DiscardAsync(id, imageRef);
        }
        catch (Exception e) when (e is IOException or NpgsqlException or TimeoutException)
        {
            log.LogWarning("Could not discard the image of job {JobId} that was never created: {Error}", id, e.Message);
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
