using KtpFleet.Operator.Resources;

namespace KtpFleet.Operator.Desired;

/// <summary>Names and labels of the objects a pipeline owns; one place so builders, watches and tests agree.</summary>
public static class PipelineNames
{
    public const string FieldManager = "ktp-operator";
    public const string Finalizer = "ocr.ktpfleet.io/queue-cleanup";
    public const string PipelineLabel = "ocr.ktpfleet.io/pipeline";
    public const string TessdataAnnotation = "ocr.ktpfleet.io/tessdata-version";

    /// <summary>
    /// The routing key the ingest API publishes a tenant's jobs with (worker/KtpFleet.Fleet/Messaging/Topology.cs,
    /// <c>RoutingKeyFor</c>); a test holds the two to the same form.
    /// </summary>
    public static string RoutingKey(string tenantId) => $"tenant.{tenantId}";
    public const string PolicyFile = "tenants.json";
    public const string PolicyMountPath = "/etc/ktp/policy";
    /// <summary>Where the image segments volume is mounted; the chart mounts the API's at the same path.</summary>
    public const string ImageSegmentsMountPath = "/var/lib/ktp/images";
    public const string TessdataMountPath = "/tessdata";

    public static string Worker(KtpOcrPipeline p) => $"{p.Metadata.Name}-worker";
    public static string TenantPolicy(KtpOcrPipeline p) => $"{p.Metadata.Name}-tenant-policy";
    public static string TriggerAuth(KtpOcrPipeline p) => $"{p.Metadata.Name}-rabbitmq";

    public static Dictionary<string, string> SelectorLabels(KtpOcrPipeline p) => new()
    {
        ["app.kubernetes.io/name"] = "ktp-worker",
        ["app.kubernetes.io/instance"] = p.Metadata.Name!,
    };

    public static Dictionary<string, string> Labels(KtpOcrPipeline p) => new(SelectorLabels(p))
    {
        ["app.kubernetes.io/managed-by"] = FieldManager,
        [PipelineLabel] = p.Metadata.Name!,
    };

    /// <summary>The label selector string of the worker pods, as the scale subresource wants it.</summary>
    public static string Selector(KtpOcrPipeline p) =>
        string.Join(",", SelectorLabels(p).Select(kv => $"{kv.Key}={kv.Value}"));
}
