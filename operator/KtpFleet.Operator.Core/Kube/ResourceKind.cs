namespace KtpFleet.Operator.Kube;

/// <summary>An API resource and how its REST paths are formed.</summary>
public sealed record ResourceKind(string Group, string Version, string Plural, string Kind, bool Namespaced = true)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public static ResourceKind Pipelines { get; } = new("ocr.ktpfleet.io", "v1alpha1", "ktpocrpipelines", "KtpOcrPipeline");
    public static ResourceKind Deployments { get; } = new("apps", "v1", "deployments", "Deployment");
    public static ResourceKind ConfigMaps { get; } = new("", "v1", "configmaps", "ConfigMap");
    public static ResourceKind Events { get; } = new("", "v1", "events", "Event");
    public static ResourceKind Leases { get; } = new("coordination.k8s.io", "v1", "leases", "Lease");
    public static ResourceKind ScaledObjects { get; } = new("keda.sh", "v1alpha1", "scaledobjects", "ScaledObject");
    public static ResourceKind TriggerAuthentications { get; } = new("keda.sh", "v1alpha1", "triggerauthentications", "TriggerAuthentication");

    /// <summary>/api/v1/namespaces/ns/configmaps/name/status style path; ns null for all namespaces.</summary>
    public string Path(string? ns, string? name = null, string? subresource = null)
    {
        var root = Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";
        var path = Namespaced && ns is not null ? $"{root}/namespaces/{Uri.EscapeDataString(ns)}/{Plural}" : $"{root}/{Plural}";
        if (name is not null) path += "/" + Uri.EscapeDataString(name);
        if (subresource is not null) path += "/" + subresource;
        return path;
    }
}
