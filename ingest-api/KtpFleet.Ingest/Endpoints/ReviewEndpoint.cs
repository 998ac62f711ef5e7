using System.Text.Json;
using KtpFleet.Fleet.Storage;
using KtpFleet.Ingest.Infrastructure;
using KtpFleet.Ocr.Results;

namespace KtpFleet.Ingest.Endpoints;

/// <summary>
/// <c>PUT /v1/ktp-jobs/{id}/review</c>: a reviewer confirms the OCR result or corrects fields.
/// <code>{ "reviewer": "alice", "decision": "confirmed" | "corrected", "fields": { "nama": "BUDI SANTOSO" } }</code>
/// Stored beside the result with who and when (the result document is never changed); the job becomes
/// <c>confirmed</c>. A later review adds a row; the job shows the latest.
/// </summary>
public static class ReviewEndpoint
{
    public static void MapReviewEndpoint(this RouteGroupBuilder v1) =>
        v1.MapPut("/ktp-jobs/{id}/review", ReviewAsync).WithName("ReviewJob")
            .WithSummary("Confirm or correct fields: {reviewer, decision: confirmed|corrected, fields}")
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);

    private static async Task<IResult> ReviewAsync(HttpContext http, string id, JobStore jobs)
    {
        if (!Guid.TryParse(id, out var jobId)) return ApiError.NotFound.ToResult();
        JsonDocument doc;
        try
        {
            doc = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
        }
        catch (JsonException e)
        {
            return ApiError.Malformed("the JSON body is malformed: " + e.Message).ToResult();
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return ApiError.Malformed("expected a JSON object").ToResult();
            var reviewer = root.TryGetProperty("reviewer", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()!.Trim() : "";
            if (reviewer.Length is 0 or > 200) return ApiError.Malformed("'reviewer' (1-200 characters) is required").ToResult();
            var decision = root.TryGetProperty("decision", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            if (decision is not ("confirmed" or "corrected")) return ApiError.Malformed("'decision' must be 'confirmed' or 'corrected'").ToResult();
            var fields = new Dictionary<string, string?>();
            if (root.TryGetProperty("fields", out var f) && f.ValueKind != JsonValueKind.Null)
            {
                if (f.ValueKind != JsonValueKind.Object) return ApiError.Malformed("'fields' must be an object of field name to value").ToResult();
                foreach (var p in f.EnumerateObject())
                {
                    if (!KtpField.All.Contains(p.Name)) return ApiError.Malformed($"unknown field '{p.Name}' (known: {string.Join(", ", KtpField.All)})").ToResult();
                    if (p.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null)) return ApiError.Malformed($"field '{p.Name}' must be a string or null").ToResult();
                    fields[p.Name] = p.Value.GetString();
                }
            }
            if (decision == "corrected" && fields.Count == 0) return ApiError.Malformed("a correction needs at least one field").ToResult();

            var tenant = TenantAuth.TenantOf(http);
            var outcome = await jobs.AddReviewAsync(tenant, jobId, reviewer, decision, JsonSerializer.Serialize(fields), http.RequestAborted);
            return outcome switch
            {
                ReviewOutcome.NotFound => ApiError.NotFound.ToResult(),
                ReviewOutcome.NotReviewable => new ApiError(409, "not_reviewable", "Only completed jobs can be reviewed", "the job has no OCR result yet, or failed").ToResult(),
                _ => Results.Json(JobEndpoints.View((await jobs.GetAsync(tenant, jobId, http.RequestAborted))!, withResult: true)),
            };
        }
    }
}
