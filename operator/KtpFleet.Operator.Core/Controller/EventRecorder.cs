using System.Globalization;
using System.Text.Json.Nodes;
using KtpFleet.Operator.Kube;
using Microsoft.Extensions.Logging;

namespace KtpFleet.Operator.Controller;

/// <summary>Records core/v1 Events on a pipeline (what kubectl describe shows). Best effort: a failed event never fails a reconcile.</summary>
public sealed class EventRecorder(IKubeClient client, ILogger logger, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    public const string Component = "ktp-operator";

    public async Task RecordAsync(JsonObject involved, string type, string reason, string message, CancellationToken ct)
    {
        var meta = involved["metadata"] as JsonObject ?? [];
        var ns = (string?)meta["namespace"] ?? "default";
        var now = _clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var evt = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Event",
            ["metadata"] = new JsonObject
            {
                // Like client-go: <object>.<unique suffix>; Event names are not limited to 63 characters.
                ["name"] = $"{(string?)meta["name"]}.{Guid.NewGuid().ToString("N")[..16]}",
                ["namespace"] = ns,
            },
            ["involvedObject"] = new JsonObject
            {
                ["apiVersion"] = (string?)involved["apiVersion"],
                ["kind"] = (string?)involved["kind"],
                ["name"] = (string?)meta["name"],
                ["namespace"] = ns,
                ["uid"] = (string?)meta["uid"],
                ["resourceVersion"] = (string?)meta["resourceVersion"],
            },
            ["reason"] = reason,
            ["message"] = message,
            ["type"] = type,
            ["source"] = new JsonObject { ["component"] = Component },
            ["reportingComponent"] = Component,
            ["firstTimestamp"] = now,
            ["lastTimestamp"] = now,
            ["count"] = 1,
        };
        try
        {
            await client.CreateAsync(ResourceKind.Events, ns, evt, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException)
        {
            logger.LogWarning("could not record event {Reason}: {Error}", reason, e.Message);
        }
    }
}
