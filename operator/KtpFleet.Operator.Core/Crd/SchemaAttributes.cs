namespace KtpFleet.Operator.Crd;

/// <summary>The CRD this entity class is served as.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class KubernetesEntityAttribute(string group, string version, string kind, string plural) : Attribute
{
    public string Group { get; } = group;
    public string Version { get; } = version;
    public string Kind { get; } = kind;
    public string Plural { get; } = plural;
    public string[] ShortNames { get; init; } = [];
    public string[] Categories { get; init; } = [];
}

/// <summary>OpenAPI description of a type or property (also the CRD's field documentation for kubectl explain).</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Property)]
public sealed class DocAttribute(string text) : Attribute
{
    public string Text { get; } = text;
}

/// <summary>Numeric and string bounds. NaN / -1 mean "not set" (attribute arguments cannot be nullable).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class BoundsAttribute : Attribute
{
    public double Minimum { get; init; } = double.NaN;
    public double Maximum { get; init; } = double.NaN;
    public int MinLength { get; init; } = -1;
    public int MaxLength { get; init; } = -1;
    public int MinItems { get; init; } = -1;
    public int MaxItems { get; init; } = -1;
    public int MaxProperties { get; init; } = -1;
    public string? Pattern { get; init; }
}

/// <summary>Allowed values of a string property or of the items of a string list.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class AllowedValuesAttribute(params string[] values) : Attribute
{
    public string[] Values { get; } = values;
}

/// <summary>A list whose items are merged by these keys (x-kubernetes-list-type: map).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ListMapAttribute(params string[] keys) : Attribute
{
    public string[] Keys { get; } = keys;
}

/// <summary>Printer column shown by kubectl get.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class PrinterColumnAttribute(string name, string type, string jsonPath) : Attribute
{
    public string Name { get; } = name;
    public string Type { get; } = type;
    public string JsonPath { get; } = jsonPath;
    public int Priority { get; init; }
    public string? Description { get; init; }
}
