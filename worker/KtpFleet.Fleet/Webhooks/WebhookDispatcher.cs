using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace KtpFleet.Fleet.Webhooks;

/// <summary>
/// Delivers "job finished" callbacks from the webhook_deliveries outbox (rows written in the same transaction as the
/// outcome). Several workers may run dispatchers: a delivery is leased with SKIP LOCKED before it is sent. Failures
/// retry with exponential backoff (2 s, 4 s, ... up to <see cref="MaxAttempts"/>), then the delivery is marked
/// failed; status, attempts and the last error are visible on the job.
/// </summary>
public sealed class WebhookDispatcher(NpgsqlDataSource db, HttpClient http, ILogger<WebhookDispatcher> log)
{
    public const int MaxAttempts = 8;
    public TimeSpan RetryBase { get; init; } = TimeSpan.FromSeconds(2);

    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            int sent;
            try
            {
                sent = await DispatchDueAsync(ct);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                log.LogWarning("Webhook outbox unavailable: {Error}", e.Message);
                sent = 0;
            }
            if (sent == 0) await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
        }
    }

    /// <returns>how many deliveries were attempted</returns>
    public async Task<int> DispatchDueAsync(CancellationToken ct)
    {
        var due = new List<(Guid JobId, string Url, int Attempts, string Secret, string Status, string? Verdict, string? Document, string? Failure)>();
        await using (var cmd = db.CreateCommand(
            "UPDATE webhook_deliveries d SET next_attempt = now() + interval '60 seconds' FROM jobs j, tenants t, job_outcomes o " +
            "WHERE d.job_id IN (SELECT job_id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt <= now() ORDER BY next_attempt LIMIT 20 FOR UPDATE SKIP LOCKED) " +
            "AND j.id = d.job_id AND t.id = j.tenant_id AND o.job_id = d.job_id " +
            "RETURNING d.job_id, d.url, d.attempts, t.webhook_secret, j.status, o.verdict, o.document::text, o.failure_code"))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
                due.Add((r.GetGuid(0), r.GetString(1), r.GetInt32(2), r.GetString(3), r.GetString(4),
                    r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7)));
        foreach (var d in due)
        {
            var body = new JsonObject
            {
                ["event"] = "job.finished",
                ["job_id"] = d.JobId,
                ["status"] = d.Status,
                ["verdict"] = d.Verdict,
                ["failure_code"] = d.Failure,
                ["result"] = d.Document is null ? null : JsonNode.Parse(d.Document),
            }.ToJsonString();
            var bytes = System.Text.Encoding.UTF8.GetBytes(body);
            string? error = null;
            var clock = Stopwatch.StartNew();
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, d.Url) { Content = new ByteArrayContent(bytes) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.Add(WebhookSigner.Header, WebhookSigner.Sign(d.Secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), bytes));
                request.Headers.Add("X-Ktp-Job-Id", d.JobId.ToString());
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(10));
                using var response = await http.SendAsync(request, timeout.Token);
                if (!response.IsSuccessStatusCode) error = $"HTTP {(int)response.StatusCode}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                error = e.GetType().Name + ": " + e.Message;
            }
            await RecordAsync(d.JobId, d.Attempts + 1, error, ct);
            log.LogInformation("Webhook for job {JobId}: {Result} in {Ms} ms (attempt {Attempt})", d.JobId, error ?? "delivered", clock.ElapsedMilliseconds, d.Attempts + 1);
        }
        return due.Count;
    }

    private async Task RecordAsync(Guid jobId, int attempts, string? error, CancellationToken ct)
    {
        await using var cmd = error is null
            ? db.CreateCommand("UPDATE webhook_deliveries SET status = 'delivered', attempts = $2, delivered_at = now(), last_error = NULL WHERE job_id = $1")
            : db.CreateCommand("UPDATE webhook_deliveries SET status = CASE WHEN $2 >= $4 THEN 'failed' ELSE 'pending' END, attempts = $2, " +
                               "last_error = $3, next_attempt = now() + $5 WHERE job_id = $1");
        cmd.Parameters.AddWithValue(jobId);
        cmd.Parameters.AddWithValue(attempts);
        if (error is not null)
        {
            cmd.Parameters.AddWithValue(error);
            cmd.Parameters.AddWithValue(MaxAttempts);
            cmd.Parameters.AddWithValue(TimeSpan.FromMilliseconds(RetryBase.TotalMilliseconds * Math.Pow(2, attempts - 1)));
        }
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
