using System.Buffers;
using System.Text.Json;
using KtpFleet.Ingest.Infrastructure;
using KtpFleet.Ocr;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace KtpFleet.Ingest.Intake;

/// <summary>
/// Reads one upload from a request: <c>multipart/form-data</c> (a file part, plus optional <c>externalId</c> and
/// <c>callbackUrl</c> fields) or JSON <c>{"image": "&lt;base64&gt;", "externalId": ..., "callbackUrl": ...}</c>.
/// Never reads more than the limit: an oversized upload is refused as soon as it crosses it.
/// </summary>
public static class UploadReader
{
    public static async Task<Upload> ReadAsync(HttpRequest request, long maxBytes, CancellationToken ct)
    {
        var idem = request.Headers["Idempotency-Key"].ToString() is { Length: > 0 and <= 200 } k ? k : null;
        var contentType = request.ContentType ?? "";
        if (contentType.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            return await ReadMultipartAsync(request, maxBytes, idem, ct);
        if (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            return await ReadJsonAsync(request.Body, maxBytes, idem, ct);
        throw new ApiException(ApiError.UnsupportedMediaType(request.ContentType));
    }

    private static async Task<Upload> ReadMultipartAsync(HttpRequest request, long maxBytes, string? idem, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var media) || HeaderUtilities.RemoveQuotes(media.Boundary).Value is not { Length: > 0 } boundary)
            throw new ApiException(ApiError.Malformed("multipart boundary missing"));
        var reader = new MultipartReader(boundary, request.Body);
        UploadBuffer? image = null;
        string? externalId = null, callbackUrl = null;
        try
        {
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) continue;
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                if (disposition.IsFileDisposition() || name is "image" or "file")
                {
                    if (image is not null) throw new ApiException(ApiError.Malformed("one image per request; use /v1/ktp-jobs:batch for more"));
                    image = await UploadBuffer.ReadAsync(section.Body, maxBytes, drainExcess: false, ct)
                        ?? throw new ApiException(ApiError.FromImage(new KtpImageException(ImageErrorCode.TooLargeBytes, $"the image is over the limit of {maxBytes} bytes")));
                }
                else if (name is "externalId" or "external_id")
                    externalId = await ReadTextAsync(section.Body, ct);
                else if (name is "callbackUrl" or "callback_url")
                    callbackUrl = await ReadTextAsync(section.Body, ct);
            }
        }
        catch (Exception e) when (e is IOException and not EndOfStreamException or InvalidDataException)
        {
            image?.Dispose();
            throw new ApiException(ApiError.Malformed("the multipart body is malformed: " + e.Message));
        }
        catch
        {
            image?.Dispose();
            throw;
        }
        if (image is null) throw new ApiException(ApiError.Malformed("no image part (send the file as form field 'image')"));
        return new Upload(image.Memory, externalId, callbackUrl, idem, image);
    }

    private static async Task<Upload> ReadJsonAsync(Stream body, long maxBytes, string? idem, CancellationToken ct)
    {
        // base64 is 4/3 the size of the bytes, plus room for the other members.
        var cap = maxBytes * 4 / 3 + 64 * 1024;
        using var json = await UploadBuffer.ReadAsync(body, cap, drainExcess: false, ct) ?? throw TooLargeBody(cap);
        try
        {
            using var doc = JsonDocument.Parse(json.Memory);
            return FromJson(doc.RootElement, maxBytes, idem);
        }
        catch (JsonException e)
        {
            throw new ApiException(ApiError.Malformed("the JSON body is malformed: " + e.Message));
        }
    }

    /// <summary>One JSON upload object (also the NDJSON line format of the batch endpoint).</summary>
    public static Upload FromJson(JsonElement root, long maxBytes, string? idem)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new ApiException(ApiError.Malformed("expected a JSON object"));
        var base64 = Member(root, "image", "imageBase64", "image_base64")
            ?? throw new ApiException(ApiError.Malformed("member 'image' (base64) is required"));
        var comma = base64.StartsWith("data:", StringComparison.Ordinal) ? base64.IndexOf(',') : -1;
        if (comma >= 0) base64 = base64[(comma + 1)..];
        if ((long)base64.Length * 3 / 4 > maxBytes)
            throw new ApiException(ApiError.FromImage(new KtpImageException(ImageErrorCode.TooLargeBytes, $"the image is over the limit of {maxBytes} bytes")));
        var buffer = new byte[base64.Length * 3 / 4 + 3];
        if (!Convert.TryFromBase64String(base64, buffer, out var written)) throw new ApiException(ApiError.InvalidBase64);
        return new Upload(buffer.AsMemory(0, written), Member(root, "externalId", "external_id"), Member(root, "callbackUrl", "callback_url"),
            Member(root, "idempotencyKey", "idempotency_key") ?? idem);
    }

    private static string? Member(JsonElement root, params string[] names)
    {
        foreach (var n in names)
            if (root.TryGetProperty(n, out var v))
                return v.ValueKind switch
                {
                    JsonValueKind.String => v.GetString(),
                    JsonValueKind.Null => null,
                    _ => throw new ApiException(ApiError.Malformed($"member '{n}' must be a string")),
                };
        return null;
    }

    private static ApiException TooLargeBody(long maxBytes) =>
        new(new ApiError(413, "too_large_bytes", "The request body is too large", $"over {maxBytes} bytes"));

    private static async Task<string> ReadTextAsync(Stream body, CancellationToken ct)
    {
        using var text = await UploadBuffer.ReadAsync(body, 4096, drainExcess: false, ct) ?? throw TooLargeBody(4096);
        return System.Text.Encoding.UTF8.GetString(text.Memory.Span).Trim();
    }
}
