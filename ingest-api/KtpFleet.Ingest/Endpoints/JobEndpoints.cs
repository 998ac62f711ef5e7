using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KtpFleet.Fleet.Metrics;
using KtpFleet.Fleet.Storage;
using KtpFleet.Fleet.Storage.Images;
using KtpFleet.Fleet.Tenants;
using KtpFleet.Ingest.Infrastructure;
using KtpFleet.Ingest.Intake;

namespace KtpFleet.Ingest.Endpoints;

/// <summary>/v1/ktp-jobs: upload, read, list, image.</summary>
public static class JobEndpoints
{
    public static RouteGroupBuilder MapJobEndpoints(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1").AddEndpointFilter<RequireTenantFilter>();
        v1.MapPost("/ktp-jobs", SubmitAsync).WithName("SubmitJob").DisableAntiforgery()
            .WithSummary("Upload one KTP image (multipart 'image' part, or JSON {image: base64, externalId, callbackUrl}); honours Idempotency-Key")
            .Produces<SubmitAnswer>(202).Produces<SubmitAnswer>(200)
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(413).ProducesProblem(415).ProducesProblem(422).ProducesProblem(429).ProducesProblem(503);
        v1.MapGet("/ktp-jobs/{id}", GetAsync).WithName("GetJob")
            .WithSummary("A job: status, timings, the result document, the latest review, webhook delivery").ProducesProblem(404);
        v1.MapGet("/ktp-jobs", ListAsync).WithName("ListJobs")
            .WithSummary("The tenant's jobs, newest first; filter by status and since, page with next_cursor").ProducesProblem(400);
        v1.MapGet("/ktp-jobs/{id}/image", ImageAsync).WithName("GetJobImage")
            .WithSummary("The uploaded image (for reviewers)").Produces(200, contentType: "image/jpeg").ProducesProblem(404).ProducesProblem(410);
        v1.MapBatchEndpoint();
        v1.MapReviewEndpoint();
        return v1;
    }

    private static async Task<IResult> SubmitAsync(HttpContext http, JobIntake intake, RateLimiter limiter, TenantPolicyFile policies, FleetMetrics metrics)
    {
        var tenant = TenantAuth.TenantOf(http);
        var policy = policies.For(tenant);
        if (await UploadRateLimit.RejectIfLimitedAsync(http, tenant, policy, limiter, metrics) is { } limited) return limited;
        Upload upload;
        try
        {
            upload = await UploadReader.ReadAsync(http.Request, policy.MaxImageBytes, http.RequestAborted);
        }
        catch (ApiException e)
        {
            metrics.JobsRejected.Add(1, new("tenant", tenant), new("code", e.Error.Code));
            throw;
        }
        IntakeResult result;
        using (upload) result = await intake.SubmitAsync(tenant, upload, http.RequestAborted);
        if (result.Error is { } error) return error.ToResult();
        var job = result.Job!;
        var location = $"/v1/ktp-jobs/{job.JobId}";
        var body = new { job_id = job.JobId, status = job.Duplicate ? null : JobStatus.Queued, duplicate = job.Duplicate, location };
        return job.Duplicate ? Results.Ok(body) : Results.Accepted(location, body);
    }

    private static async Task<IResult> GetAsync(HttpContext http, string id, JobStore jobs)
    {
        if (!Guid.TryParse(id, out var jobId)) return ApiError.NotFound.ToResult();
        var job = await jobs.GetAsync(TenantAuth.TenantOf(http), jobId, http.RequestAborted);
        return job is null ? ApiError.NotFound.ToResult() : Results.Json(View(job, withResult: true));
    }

    private static async Task<IResult> ListAsync(HttpContext http, JobStore jobs, string? status, DateTimeOffset? since, string? cursor, int? limit)
    {
        if (status is not null && !JobStatus.All.Contains(status))
            return ApiError.Malformed($"status must be one of {string.Join(", ", JobStatus.All)}").ToResult();
        (DateTimeOffset, Guid)? after = null;
        if (cursor is not null)
        {
            after = DecodeCursor(cursor);
            if (after is null) return ApiError.Malformed("invalid cursor").ToResult();
        }
        var size = Math.Clamp(limit ?? 50, 1, 500);
        var page = await jobs.ListAsync(TenantAuth.TenantOf(http), status, since, after, size, http.RequestAborted);
        var next = page.Count == size ? EncodeCursor(page[^1].CreatedAt, page[^1].Id) : null;
        return Results.Json(new { items = page.Select(j => View(j, withResult: false)), next_cursor = next });
    }

    private static async Task<IResult> ImageAsync(HttpContext http, string id, JobStore jobs, ImageStores images)
    {
        if (!Guid.TryParse(id, out var jobId)) return ApiError.NotFound.ToResult();
        var stored = await jobs.GetImageRefAsync(TenantAuth.TenantOf(http), jobId, http.RequestAborted);
        if (stored is null) return ApiError.NotFound.ToResult();
        var bytes = await images.GetAsync(jobId, stored.Value.ImageRef, http.RequestAborted);
        if (bytes is null) return ApiError.ImageExpired.ToResult();
        http.Response.Headers.CacheControl = "private, no-store";
        return Results.Bytes(bytes, stored.Value.ContentType);
    }

    internal static object View(JobView j, bool withResult) => new
    {
        job_id = j.Id,
        status = j.Status,
        external_id = j.ExternalId,
        callback_url = j.CallbackUrl,
        content_type = j.ContentType,
        image_bytes = j.ImageBytes,
        attempts = j.Attempts,
        verdict = j.Verdict,
        failure = j.FailureCode is null ? null : new { code = j.FailureCode, reason = j.FailureReason },
        created_at = j.CreatedAt,
        started_at = j.StartedAt,
        finished_at = j.FinishedAt,
        timings_ms = new
        {
            queue = j.StartedAt is { } s ? (s - j.CreatedAt).TotalMilliseconds : (double?)null,
            processing = j.StartedAt is { } s2 && j.FinishedAt is { } f ? (f - s2).TotalMilliseconds : (double?)null,
            total = j.FinishedAt is { } f2 ? (f2 - j.CreatedAt).TotalMilliseconds : (double?)null,
        },
        result = withResult && j.DocumentJson is not null ? JsonNode.Parse(j.DocumentJson) : null,
        review = j.Review is { } r ? new { reviewer = r.Reviewer, decision = r.Decision, fields = JsonNode.Parse(r.FieldsJson), reviewed_at = r.ReviewedAt } : null,
        webhook = j.Webhook is { } w ? new { status = w.Status, attempts = w.Attempts, last_error = w.LastError, delivered_at = w.DeliveredAt } : null,
        links = new { self = $"/v1/ktp-jobs/{j.Id}", image = $"/v1/ktp-jobs/{j.Id}/image" },
    };

    private static string EncodeCursor(DateTimeOffset at, Guid id) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{at.UtcTicks}:{id}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static (DateTimeOffset, Guid)? DecodeCursor(string cursor)
    {
        try
        {
            var b64 = cursor.Replace('-', '+').Replace('_', '/');
            b64 += new string('=', (4 - b64.Length % 4) % 4);
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(b64)).Split(':');
            return parts.Length == 2 && long.TryParse(parts[0], out var ticks) && Guid.TryParse(parts[1], out var id)
                ? (new DateTimeOffset(ticks, TimeSpan.Zero), id)
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>OpenAPI shape of the upload answer.</summary>
    public sealed record SubmitAnswer(Guid JobId, string? Status, bool Duplicate, string Location);
}
