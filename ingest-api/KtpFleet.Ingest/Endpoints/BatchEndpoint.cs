using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using KtpFleet.Fleet.Metrics;
using KtpFleet.Fleet.Tenants;
using KtpFleet.Ingest.Infrastructure;
using KtpFleet.Ingest.Intake;
using KtpFleet.Ocr;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace KtpFleet.Ingest.Endpoints;

/// <summary>
/// <c>POST /v1/ktp-jobs:batch</c>: many images in one request, as multipart (one file part per image) or NDJSON
/// (one upload object per line). The body is streamed: at most <see cref="InFlight"/> images are held in memory,
/// each item goes through the same intake as a single upload and is committed on its own, so a bad item or a broken
/// stream never drops the items accepted before it. The answer lists every item in order.
/// </summary>
public static class BatchEndpoint
{
    private const int InFlight = 8;
    public const int MaxItems = 10_000;

    public sealed record ItemResult(int Index, string Status, Guid? JobId, string? ErrorCode, string? Detail);

    public static void MapBatchEndpoint(this RouteGroupBuilder v1) =>
        v1.MapPost("/ktp-jobs:batch", SubmitBatchAsync).WithName("SubmitBatch").DisableAntiforgery()
            .WithSummary("Bulk upload: multipart with many 'image' parts, or NDJSON (application/x-ndjson) of upload objects; per-item results")
            .ProducesProblem(401).ProducesProblem(415).ProducesProblem(429);

    private static async Task<IResult> SubmitBatchAsync(HttpContext http, JobIntake intake, RateLimiter limiter, TenantPolicyFile policies, FleetMetrics metrics)
    {
        var tenant = TenantAuth.TenantOf(http);
        var policy = policies.For(tenant);
        if (await UploadRateLimit.RejectIfLimitedAsync(http, tenant, policy, limiter, metrics) is { } limited) return limited;

        var results = new List<ItemResult>();
        var window = new SemaphoreSlim(InFlight);
        var pending = new List<Task<ItemResult>>();
        string? streamError = null;
        var ct = http.RequestAborted;

        void Enqueue(int index, Func<Upload> read)
        {
            Upload upload;
            try
            {
                upload = read();
            }
            catch (ApiException e)
            {
                window.Release();
                metrics.JobsRejected.Add(1, new("tenant", tenant), new("code", e.Error.Code));
                pending.Add(Task.FromResult(new ItemResult(index, "rejected", null, e.Error.Code, e.Error.Detail ?? e.Error.Title)));
                return;
            }
            pending.Add(SubmitOneAsync(index, upload));
        }

        async Task<ItemResult> SubmitOneAsync(int index, Upload upload)
        {
            using var owned = upload;
            try
            {
                var r = await intake.SubmitAsync(tenant, upload, CancellationToken.None); // an accepted item is finished even if the client leaves
                return r.Error is { } e
                    ? new ItemResult(index, "rejected", null, e.Code, e.Detail ?? e.Title)
                    : new ItemResult(index, r.Job!.Duplicate ? "duplicate" : "accepted", r.Job.JobId, null, null);
            }
            finally
            {
                window.Release();
            }
        }

        try
        {
            var contentType = http.Request.ContentType ?? "";
            if (contentType.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
                await ReadMultipartAsync(http.Request, policy, window, Enqueue, ct);
            else if (contentType.StartsWith("application/x-ndjson", StringComparison.OrdinalIgnoreCase) || contentType.StartsWith("application/jsonl", StringComparison.OrdinalIgnoreCase))
                await ReadNdjsonAsync(http.Request.BodyReader, policy, window, Enqueue, ct);
            else
                return ApiError.UnsupportedMediaType(http.Request.ContentType).ToResult();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ApiException or BadHttpRequestException)
        {
            // The items read so far are kept; the client learns where the stream broke.
            streamError = e is ApiException a ? a.Error.Detail ?? a.Error.Title : e.Message;
        }
        results.AddRange(await Task.WhenAll(pending));
        return Results.Json(new
        {
            accepted = results.Count(r => r.Status == "accepted"),
            duplicate = results.Count(r => r.Status == "duplicate"),
            rejected = results.Count(r => r.Status == "rejected"),
            stream_error = streamError,
            items = results.Select(r => new
            {
                index = r.Index,
                status = r.Status,
                job_id = r.JobId,
                error = r.ErrorCode is null ? null : new { code = r.ErrorCode, detail = r.Detail },
            }),
        });
    }

    private static async Task ReadMultipartAsync(HttpRequest request, TenantPolicy policy, SemaphoreSlim window, Action<int, Func<Upload>> enqueue, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var media) || HeaderUtilities.RemoveQuotes(media.Boundary).Value is not { Length: > 0 } boundary)
            throw new ApiException(ApiError.Malformed("multipart boundary missing"));
        var reader = new MultipartReader(boundary, request.Body) { BodyLengthLimit = null };
        var index = 0;
        while (await reader.ReadNextSectionAsync(ct) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var d) || !(d.IsFileDisposition() || d.Name.Value is "image" or "file")) continue;
            if (index >= MaxItems) throw new ApiException(ApiError.Malformed($"at most {MaxItems} items per batch"));
            await window.WaitAsync(ct);
            var i = index++;
            // Past the cap the rest of the part is drained and dropped: the item is refused, the batch goes on.
            var bytes = await UploadBuffer.ReadAsync(section.Body, policy.MaxImageBytes, drainExcess: true, ct);
            var externalId = d.FileName.Value is { Length: > 0 } fn ? HeaderUtilities.RemoveQuotes(fn).Value : null;
            enqueue(i, () => bytes is null
                ? throw new ApiException(ApiError.FromImage(new KtpImageException(ImageErrorCode.TooLargeBytes, $"the image is over the limit of {policy.MaxImageBytes} bytes")))
                : new Upload(bytes.Memory, externalId, null, null, bytes));
        }
    }

    private static async Task ReadNdjsonAsync(PipeReader reader, TenantPolicy policy, SemaphoreSlim window, Action<int, Func<Upload>> enqueue, CancellationToken ct)
    {
        var maxLine = policy.MaxImageBytes * 4 / 3 + 64 * 1024;
        var index = 0;
        var skipping = false; // inside an over-long line: drop bytes until its newline
        while (true)
        {
            var read = await reader.ReadAsync(ct);
            var buffer = read.Buffer;
            while (true)
            {
                var newline = buffer.PositionOf((byte)'\n');
                if (newline is null) break;
                var line = buffer.Slice(0, newline.Value);
                buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));
                if (skipping) { skipping = false; continue; }
                await HandleLineAsync(line);
            }
            if (!skipping && buffer.Length > maxLine)
            {
                await window.WaitAsync(ct);
                var i = index++;
                enqueue(i, () => throw new ApiException(ApiError.FromImage(new KtpImageException(ImageErrorCode.TooLargeBytes, $"the line is over {maxLine} bytes"))));
                skipping = true;
            }
            if (skipping) buffer = buffer.Slice(buffer.End);
            if (read.IsCompleted)
            {
                if (!skipping && buffer.Length > 0) await HandleLineAsync(buffer);
                // Consume everything (Kestrel owns the reader's completion; an open read would break the response).
                reader.AdvanceTo(read.Buffer.End);
                return;
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
        }

        async Task HandleLineAsync(ReadOnlySequence<byte> line)
        {
            if (IsBlank(line)) return;
            if (index >= MaxItems) throw new ApiException(ApiError.Malformed($"at most {MaxItems} items per batch"));
            await window.WaitAsync(ct);
            var i = index++;
            var bytes = line.ToArray();
            enqueue(i, () =>
            {
                try
                {
                    using var doc = JsonDocument.Parse(bytes);
                    return UploadReader.FromJson(doc.RootElement, policy.MaxImageBytes, null);
                }
                catch (JsonException e)
                {
                    throw new ApiException(ApiError.Malformed("line is not valid JSON: " + e.Message));
                }
            });
        }
    }

    private static bool IsBlank(ReadOnlySequence<byte> line)
    {
        foreach (var segment in line)
            foreach (var b in segment.Span)
                if (b is not ((byte)' ' or (byte)'\r' or (byte)'\t')) return false;
        return true;
    }
}
