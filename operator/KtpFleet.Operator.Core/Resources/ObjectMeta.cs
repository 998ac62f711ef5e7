using System.Text.Json.Nodes;

namespace KtpFleet.Operator.Resources;

/// <summary>The subset of metav1.ObjectMeta the operator reads and writes.</summary>
public sealed class ObjectMeta
{
    public string? Name { get; set; }
    public string? Namespace { get; set; }
    public string? Uid { get; set; }
    public string? ResourceVersion { get; set; }
    public long? Generation { get; set; }
    public DateTimeOffset? CreationTimestamp { get; set; }
    public DateTimeOffset? DeletionTimestamp { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
    public Dictionary<string, string>? Annotations { get; set; }
    public List<string>? Finalizers { get; set; }
    public List<OwnerReference>? OwnerReferences { get; set; }
    public JsonArray? ManagedFields { get; set; }
}

/// <summary>metav1.OwnerReference: ties a child to its KtpOcrPipeline for garbage collection and watches.</summary>
public sealed class OwnerReference
{
    public required string ApiVersion { get; set; }
    public required string Kind { get; set; }
    public required string Name { get; set; }
    public required string Uid { get; set; }
    public bool? Controller { get; set; }
    public bool? BlockOwnerDeletion { get; set; }
}

/// <summary>metav1.Condition.</summary>
public sealed class Condition
{
    public required string Type { get; set; }
    /// <summary>"True", "False" or "Unknown".</summary>
    public required string Status { get; set; }
    public long ObservedGeneration { get; set; }
    public DateTimeOffset LastTransitionTime { get; set; }
    public required string Reason { get; set; }
    public string Message { get; set; } = "";
}
