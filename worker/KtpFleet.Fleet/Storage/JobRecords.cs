namespace KtpFleet.Fleet.Storage;

public static class JobStatus
{
    public const string Queued = "queued";
    public const string Processing = "processing";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Confirmed = "confirmed";

    public static readonly IReadOnlySet<string> All = new HashSet<string> { Queued, Processing, Completed, Failed, Confirmed };
    public static bool IsFinal(string status) => status is Completed or Failed or Confirmed;
}

/// <summary>An upload the API has validated and whose image is stored, about to become a job.</summary>
public sealed record NewJob(
    Guid Id,
    string TenantId,
    string ImageRef,
    int ImageBytes,
    byte[] Sha256,
    string ContentType,
    string? ExternalId,
    string? CallbackUrl,
    string? IdempotencyKey,
    TimeSpan DedupeWindow);

/// <summary>A committed job whose publish the broker has not confirmed (the outbox).</summary>
public sealed record UnpublishedJob(Guid Id, string TenantId, byte[] Sha256, DateTimeOffset CreatedAt, string ImageRef);

/// <summary>The answer to an upload: the job, and whether it already existed (dedupe or idempotency key).</summary>
public sealed record AcceptedJob(Guid JobId, bool Duplicate, DateTimeOffset CreatedAt);

public sealed record JobView(
    Guid Id,
    string TenantId,
    string Status,
    string ContentType,
    int ImageBytes,
    string? ExternalId,
    string? CallbackUrl,
    int Attempts,
    string? FailureCode,
    string? FailureReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset? PublishedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Verdict,
    string? DocumentJson,
    ReviewView? Review,
    WebhookView? Webhook);

/// <summary>The latest reviewer decision on a job (earlier ones stay in the reviews table).</summary>
public sealed record ReviewView(string Reviewer, string Decision, string FieldsJson, DateTimeOffset ReviewedAt);

public sealed record WebhookView(string Status, int Attempts, string? LastError, DateTimeOffset? DeliveredAt);

public enum ReviewOutcome { Stored, NotFound, NotReviewable }

/// <summary>How a job ended, written once (the primary key on job id makes a second write a no-op).</summary>
public sealed record JobOutcome(Guid JobId, bool Completed, string? Verdict, string? DocumentJson, string? FailureCode, string? FailureReason, string Worker);
