using System.Net;
using System.Text.Json.Nodes;

namespace KtpFleet.Operator.Kube;

/// <summary>An API call that failed, typed from the metav1.Status body the server sent.</summary>
public sealed class KubeApiException(HttpStatusCode code, string reason, string message, JsonObject? status = null)
    : Exception($"{(int)code} {reason}: {message}")
{
    public HttpStatusCode Code { get; } = code;
    /// <summary>metav1.StatusReason: NotFound, AlreadyExists, Conflict, Expired, Invalid, Forbidden...</summary>
    public string Reason { get; } = reason;
    public JsonObject? Status { get; } = status;

    public bool IsNotFound => Code == HttpStatusCode.NotFound;
    public bool IsConflict => Code == HttpStatusCode.Conflict;
    public bool IsAlreadyExists => Code == HttpStatusCode.Conflict && Reason == "AlreadyExists";
    /// <summary>410: the resourceVersion is too old (compacted); relist.</summary>
    public bool IsGone => Code == HttpStatusCode.Gone || Reason is "Expired" or "Gone";
    public bool IsInvalid => Code == HttpStatusCode.UnprocessableEntity;

    public static KubeApiException FromStatus(HttpStatusCode fallback, string body)
    {
        JsonObject? status = null;
        try { status = JsonNode.Parse(body) as JsonObject; } catch (System.Text.Json.JsonException) { }
        if (status is not null && (string?)status["kind"] == "Status")
        {
            var code = status["code"]?.GetValue<int>() is int c and > 0 ? (HttpStatusCode)c : fallback;
            return new KubeApiException(code, (string?)status["reason"] ?? code.ToString(),
                (string?)status["message"] ?? "", status);
        }
        var text = body.Length > 300 ? body[..300] : body;
        return new KubeApiException(fallback, fallback.ToString(), text);
    }
}
