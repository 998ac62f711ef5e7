using System.Text.Json;
using System.Text.Json.Serialization;

namespace KtpFleet.Fleet.Messaging;

/// <summary>
/// What travels through RabbitMQ: small, schema-versioned, a reference to the image (never the bytes).
/// <c>image</c> is the image store reference of the job row (<c>seg:...</c>, <c>pg:job_images/&lt;job id&gt;</c>).
/// </summary>
public sealed record JobMessage(
    [property: JsonPropertyName("v")] int Version,
    [property: JsonPropertyName("job_id")] Guid JobId,
    [property: JsonPropertyName("tenant")] string Tenant,
    [property: JsonPropertyName("image")] string ImageRef,
    [property: JsonPropertyName("sha256")] string Sha256,
    [property: JsonPropertyName("attempt")] int Attempt,
    [property: JsonPropertyName("submitted_at")] DateTimeOffset SubmittedAt)
{
    public const int CurrentVersion = 1;

    public static JobMessage For(Guid jobId, string tenant, string imageRef, string sha256Hex, DateTimeOffset submittedAt) =>
        new(CurrentVersion, jobId, tenant, imageRef, sha256Hex, 0, submittedAt);

    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this);

    /// <exception cref="FormatException">not a job message of a version this code understands</exception>
    public static JobMessage Parse(ReadOnlySpan<byte> body)
    {
        JobMessage? m;
        try
        {
            m = JsonSerializer.Deserialize<JobMessage>(body);
        }
        catch (JsonException e)
        {
            throw new FormatException("job message is not valid JSON", e);
        }
        if (m is null || m.Version != CurrentVersion || m.JobId == Guid.Empty || string.IsNullOrEmpty(m.Tenant))
            throw new FormatException($"unsupported job message (version {m?.Version})");
        return m;
    }
}
