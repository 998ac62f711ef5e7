using KtpFleet.Ocr;

namespace KtpFleet.Ingest.Infrastructure;

/// <summary>
/// An RFC 7807 problem with a stable machine-readable <see cref="Code"/> (the contract clients switch on; titles
/// may change). Image codes are the OCR library's <see cref="KtpImageException.ErrorCode"/>s.
/// </summary>
public sealed record ApiError(int Status, string Code, string Title, string? Detail = null)
{
    public static ApiError Unauthorized => new(401, "unauthorized", "A valid API key is required", "Send it as 'Authorization: Bearer ktp_...' or 'X-Api-Key'.");
    public static ApiError NotFound => new(404, "not_found", "No such job");
    public static ApiError ImageExpired => new(410, "image_expired", "The job's image is no longer stored", "Images are deleted at the end of their retention period (KTP_IMAGE_RETENTION_DAYS).");
    public static ApiError Malformed(string detail) => new(400, "malformed_request", "The request could not be read", detail);
    public static ApiError InvalidBase64 => new(400, "invalid_base64", "The image is not valid base64");
    public static ApiError UnsupportedMediaType(string? type) => new(415, "unsupported_media_type", "Send multipart/form-data or application/json", $"got '{type}'");
    public static ApiError InvalidCallback => new(400, "invalid_callback_url", "callbackUrl must be an absolute http(s) URL");
    public static ApiError Unavailable(string detail) => new(503, "service_unavailable", "The job store is unavailable; retry later", detail);

    public static ApiError FromImage(KtpImageException e) => new(
        e.Code switch
        {
            ImageErrorCode.TooLargeBytes or ImageErrorCode.TooLargePixels => 413,
            ImageErrorCode.UnsupportedFormat => 415,
            _ => 422,
        },
        e.ErrorCode, "The image was refused", e.Message);

    public IResult ToResult(string? instance = null, TimeSpan? retryAfter = null) => new ProblemResult(this, instance, retryAfter);

    private sealed class ProblemResult(ApiError error, string? instance, TimeSpan? retryAfter) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = error.Status;
            if (retryAfter is { } r) http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(r.TotalSeconds)).ToString();
            return http.Response.WriteAsJsonAsync(new
            {
                type = $"https://ktp-fleet.dev/errors/{error.Code}",
                title = error.Title,
                status = error.Status,
                detail = error.Detail,
                code = error.Code,
                instance = instance ?? http.Request.Path.Value,
            }, options: null, contentType: "application/problem+json");
        }
    }
}

/// <summary>Thrown inside request handling; turned into a problem response by the endpoint filter.</summary>
public sealed class ApiException(ApiError error) : Exception(error.Title)
{
    public ApiError Error { get; } = error;
}
