using Npgsql;
using NpgsqlTypes;

namespace KtpFleet.Fleet.Storage;

/// <summary>The jobs table and friends: accept (with dedupe), publish bookkeeping, reads for the API, outcomes.</summary>
public sealed class JobStore(NpgsqlDataSource db)
{
    private const string JobColumns =
        "j.id, j.tenant_id, j.status, j.content_type, j.image_bytes, j.external_id, j.callback_url, j.attempts, " +
        "j.failure_code, j.failure_reason, j.created_at, j.published_at, j.started_at, j.finished_at, o.verdict, o.document::text, " +
        "r.reviewer, r.decision, r.fields::text, r.created_at, w.status, w.attempts, w.last_error, w.delivered_at";

    private const string JobJoins =
        "FROM jobs j LEFT JOIN job_outcomes o ON o.job_id = j.id " +
        "LEFT JOIN LATERAL (SELECT * FROM reviews rv WHERE rv.job_id = j.id ORDER BY rv.id DESC LIMIT 1) r ON true " +
        "LEFT JOIN webhook_deliveries w ON w.job_id = j.id";

    public NpgsqlDataSource DataSource => db;

    /// <summary>
    /// Creates the job (its image is already in an image store), unless the tenant already has a live job for the
    /// same Idempotency-Key or the same image within the dedupe window: then that job is returned as a duplicate.
    /// </summary>
    public async Task<AcceptedJob> AcceptAsync(NewJob job, CancellationToken ct = default) => (await AcceptManyAsync([job], ct))[0];

    /// <summary>
    /// <see cref="AcceptAsync"/> for many jobs in one round trip and one commit (<c>ktp_accept_jobs</c>), in order:
    /// a later job with the same key as an earlier one is its duplicate. The dedupe_keys primary key settles races
    /// between concurrent identical uploads.
    /// </summary>
    public async Task<IReadOnlyList<AcceptedJob>> AcceptManyAsync(IReadOnlyList<NewJob> jobs, CancellationToken ct = default)
    {
        var now = DateTimeOffset.UtcNow;
        await using var cmd = db.CreateCommand(
            "SELECT o_index, o_job_id, o_duplicate, o_created_at FROM ktp_accept_jobs($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)");
        cmd.Parameters.AddWithValue(jobs.Select(j => j.Id).ToArray());
        cmd.Parameters.AddWithValue(jobs.Select(j => j.TenantId).ToArray());
        cmd.Parameters.AddWithValue(NpgsqlDbType.Array | NpgsqlDbType.Text, jobs.Select(j => j.IdempotencyKey is { } k ? "idem:" + k : null).ToArray());
        cmd.Parameters.AddWithValue(jobs.Select(j => "sha256:" + Convert.ToHexStringLower(j.Sha256)).ToArray());
        cmd.Parameters.AddWithValue(jobs.Select(j => now + j.DedupeWindow).ToArray());
        cmd.Parameters.AddWithValue(jobs.Select(j => j.Sha256).ToArray());
        cmd.Parameters.AddWithValue(jobs.Select(j => j.ContentType).ToArray());
        cmd.Parameters.AddWithValue(jobs.Select(j => j.ImageBytes).ToArray());
        cmd.Parameters.AddWithValue(NpgsqlDbType.Array | NpgsqlDbType.Text, jobs.Select(j => j.ExternalId).ToArray());
        cmd.Parameters.AddWithValue(NpgsqlDbType.Array | NpgsqlDbType.Text, jobs.Select(j => j.CallbackUrl).ToArray());
        cmd.Parameters.AddWithValue(jobs.Select(j => j.ImageRef).ToArray());
        var results = new AcceptedJob[jobs.Count];
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) results[r.GetInt32(0)] = new AcceptedJob(r.GetGuid(1), r.GetBoolean(2), Utc(r.GetDateTime(3)));
        return Array.IndexOf(results, null) < 0 ? results : throw new InvalidOperationException("ktp_accept_jobs left a job unanswered");
    }

    /// <summary>Records broker confirms, in one statement for many jobs.</summary>
    public async Task MarkPublishedAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct = default)
    {
        if (ids.Count == 0) return;
        await using var cmd = db.CreateCommand("UPDATE jobs SET published_at = now() WHERE id = ANY($1) AND published_at IS NULL");
        cmd.Parameters.AddWithValue(ids.ToArray());
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Jobs accepted more than <paramref name="olderThan"/> ago whose publish was never confirmed.</summary>
    public async Task<IReadOnlyList<UnpublishedJob>> FindUnpublishedAsync(TimeSpan olderThan, int limit, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(
            "SELECT id, tenant_id, content_sha256, created_at, image_ref FROM jobs WHERE published_at IS NULL AND created_at < now() - $1 " +
            "ORDER BY created_at LIMIT $2");
        cmd.Parameters.AddWithValue(olderThan);
        cmd.Parameters.AddWithValue(limit);
        var list = new List<UnpublishedJob>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new UnpublishedJob(r.GetGuid(0), r.GetString(1), (byte[])r[2], Utc(r.GetDateTime(3)), r.GetString(4)));
        return list;
    }

    /// <returns>the job if it belongs to the tenant (another tenant's job reads as absent)</returns>
    public async Task<JobView?> GetAsync(string tenantId, Guid id, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand($"SELECT {JobColumns} {JobJoins} WHERE j.id = $1 AND j.tenant_id = $2");
        cmd.Parameters.AddWithValue(id);
        cmd.Parameters.AddWithValue(tenantId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? ReadJob(r) : null;
    }

    /// <summary>Newest first, keyset-paged on (created_at, id).</summary>
    public async Task<IReadOnlyList<JobView>> ListAsync(string tenantId, string? status, DateTimeOffset? since, (DateTimeOffset CreatedAt, Guid Id)? after, int limit, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(
            $"SELECT {JobColumns} {JobJoins} WHERE j.tenant_id = $1 " +
            "AND ($2::text IS NULL OR j.status = $2) AND ($3::timestamptz IS NULL OR j.created_at >= $3) " +
            "AND ($4::timestamptz IS NULL OR (j.created_at, j.id) < ($4, $5)) ORDER BY j.created_at DESC, j.id DESC LIMIT $6");
        cmd.Parameters.AddWithValue(tenantId);
        cmd.Parameters.AddWithValue(NpgsqlDbType.Text, (object?)status ?? DBNull.Value);
        cmd.Parameters.AddWithValue(NpgsqlDbType.TimestampTz, since is { } s ? s.UtcDateTime : DBNull.Value);
        cmd.Parameters.AddWithValue(NpgsqlDbType.TimestampTz, after is { } a ? a.CreatedAt.UtcDateTime : DBNull.Value);
        cmd.Parameters.AddWithValue(NpgsqlDbType.Uuid, after is { } b ? b.Id : Guid.Empty);
        cmd.Parameters.AddWithValue(limit);
        var list = new List<JobView>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) list.Add(ReadJob(r));
        return list;
    }

    /// <returns>where the job's image is stored and its type, if the job exists and belongs to the tenant</returns>
    public async Task<(string ImageRef, string ContentType)?> GetImageRefAsync(string tenantId, Guid id, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("SELECT image_ref, content_type FROM jobs WHERE id = $1 AND tenant_id = $2");
        cmd.Parameters.AddWithValue(id);
        cmd.Parameters.AddWithValue(tenantId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? (r.GetString(0), r.GetString(1)) : null;
    }

    /// <returns>the job's status, or null if there is no such job</returns>
    public async Task<string?> GetStatusAsync(Guid id, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("SELECT status FROM jobs WHERE id = $1");
        cmd.Parameters.AddWithValue(id);
        return await cmd.ExecuteScalarAsync(ct) as string;
    }

    /// <summary>Marks a job as being worked on (first start time kept, attempts counted). False when already final.</summary>
    public async Task<bool> MarkStartedAsync(Guid id, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(
            "UPDATE jobs SET status = 'processing', started_at = coalesce(started_at, now()), attempts = attempts + 1 " +
            "WHERE id = $1 AND status IN ('queued', 'processing')");
        cmd.Parameters.AddWithValue(id);
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>
    /// Stores the outcome and the job status in one transaction. Idempotent: a second outcome for the same job (a
    /// redelivery racing a slow ack) is ignored and false is returned.
    /// </summary>
    public async Task<bool> RecordOutcomeAsync(JobOutcome o, CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var cmd = new NpgsqlCommand(
            "INSERT INTO job_outcomes (job_id, outcome, verdict, document, failure_code, worker) VALUES ($1, $2, $3, $4::json, $5, $6) " +
            "ON CONFLICT (job_id) DO NOTHING", conn, tx))
        {
            cmd.Parameters.AddWithValue(o.JobId);
            cmd.Parameters.AddWithValue(o.Completed ? "completed" : "failed");
            cmd.Parameters.AddWithValue(NpgsqlDbType.Text, (object?)o.Verdict ?? DBNull.Value);
            cmd.Parameters.AddWithValue(NpgsqlDbType.Text, (object?)o.DocumentJson ?? DBNull.Value);
            cmd.Parameters.AddWithValue(NpgsqlDbType.Text, (object?)o.FailureCode ?? DBNull.Value);
            cmd.Parameters.AddWithValue(o.Worker);
            if (await cmd.ExecuteNonQueryAsync(ct) == 0)
            {
                await tx.RollbackAsync(ct);
                return false;
            }
        }
        await using (var cmd = new NpgsqlCommand(
            "UPDATE jobs SET status = $2, finished_at = now(), failure_code = $3, failure_reason = $4 WHERE id = $1 RETURNING callback_url", conn, tx))
        {
            cmd.Parameters.AddWithValue(o.JobId);
            cmd.Parameters.AddWithValue(o.Completed ? JobStatus.Completed : JobStatus.Failed);
            cmd.Parameters.AddWithValue(NpgsqlDbType.Text, (object?)o.FailureCode ?? DBNull.Value);
            cmd.Parameters.AddWithValue(NpgsqlDbType.Text, (object?)o.FailureReason ?? DBNull.Value);
            if (await cmd.ExecuteScalarAsync(ct) is string url)
            {
                await using var hook = new NpgsqlCommand("INSERT INTO webhook_deliveries (job_id, url, status) VALUES ($1, $2, 'pending') ON CONFLICT DO NOTHING", conn, tx);
                hook.Parameters.AddWithValue(o.JobId);
                hook.Parameters.AddWithValue(url);
                await hook.ExecuteNonQueryAsync(ct);
            }
        }
        await tx.CommitAsync(ct);
        return true;
    }

    private static JobView ReadJob(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt32(4),
        r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6), r.GetInt32(7),
        r.IsDBNull(8) ? null : r.GetString(8), r.IsDBNull(9) ? null : r.GetString(9),
        Utc(r.GetDateTime(10)), r.IsDBNull(11) ? null : Utc(r.GetDateTime(11)),
        r.IsDBNull(12) ? null : Utc(r.GetDateTime(12)), r.IsDBNull(13) ? null : Utc(r.GetDateTime(13)),
        r.IsDBNull(14) ? null : r.GetString(14), r.IsDBNull(15) ? null : r.GetString(15),
        r.IsDBNull(16) ? null : new ReviewView(r.GetString(16), r.GetString(17), r.GetString(18), Utc(r.GetDateTime(19))),
        r.IsDBNull(20) ? null : new WebhookView(r.GetString(20), r.GetInt32(21), r.IsDBNull(22) ? null : r.GetString(22), r.IsDBNull(23) ? null : Utc(r.GetDateTime(23))));

    /// <summary>
    /// Stores a reviewer's confirmation or correction beside the OCR result (which is never changed) and marks the
    /// job confirmed, in one transaction. Only finished, successfully read jobs can be reviewed.
    /// </summary>
    public async Task<ReviewOutcome> AddReviewAsync(string tenantId, Guid id, string reviewer, string decision, string fieldsJson, CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        string? status;
        await using (var cmd = new NpgsqlCommand("SELECT status FROM jobs WHERE id = $1 AND tenant_id = $2 FOR UPDATE", conn, tx))
        {
            cmd.Parameters.AddWithValue(id);
            cmd.Parameters.AddWithValue(tenantId);
            status = await cmd.ExecuteScalarAsync(ct) as string;
        }
        if (status is null) return ReviewOutcome.NotFound;
        if (status is not (JobStatus.Completed or JobStatus.Confirmed)) return ReviewOutcome.NotReviewable;
        await using (var cmd = new NpgsqlCommand("INSERT INTO reviews (job_id, reviewer, decision, fields) VALUES ($1, $2, $3, $4::jsonb)", conn, tx))
        {
            cmd.Parameters.AddWithValue(id);
            cmd.Parameters.AddWithValue(reviewer);
            cmd.Parameters.AddWithValue(decision);
            cmd.Parameters.AddWithValue(fieldsJson);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await using (var cmd = new NpgsqlCommand("UPDATE jobs SET status = 'confirmed' WHERE id = $1", conn, tx))
        {
            cmd.Parameters.AddWithValue(id);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return ReviewOutcome.Stored;
    }

    private static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));
}
