using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using KtpFleet.Operator.Resources;

namespace KtpFleet.Operator.Crd;

/// <summary>
/// Builds a CustomResourceDefinition (apiextensions.k8s.io/v1) from an entity class: a structural OpenAPI v3
/// schema with defaults, bounds, list-map keys and CEL rules, printer columns, and the status and scale subresources.
/// </summary>
public static class CrdGenerator
{
    public static JsonObject Generate(Type entity)
    {
        var e = entity.GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new ArgumentException($"{entity.Name} has no [KubernetesEntity]", nameof(entity));
        var specType = entity.GetProperty("Spec")!.PropertyType;
        var statusType = Nullable.GetUnderlyingType(entity.GetProperty("Status")!.PropertyType)
            ?? entity.GetProperty("Status")!.PropertyType;

        var root = new JsonObject
        {
            ["type"] = "object",
        };
        if (entity.GetCustomAttribute<DocAttribute>() is { } doc) root["description"] = doc.Text;
        root["required"] = new JsonArray("spec");
        root["properties"] = new JsonObject
        {
            ["apiVersion"] = new JsonObject { ["type"] = "string" },
            ["kind"] = new JsonObject { ["type"] = "string" },
            ["metadata"] = new JsonObject { ["type"] = "object" },
            ["spec"] = ObjectSchema(specType, withDefaults: true),
            ["status"] = ObjectSchema(statusType, withDefaults: false),
        };

        var columns = new JsonArray();
        foreach (var c in entity.GetCustomAttributes<PrinterColumnAttribute>())
        {
            var col = new JsonObject { ["name"] = c.Name, ["type"] = c.Type, ["jsonPath"] = c.JsonPath };
            if (c.Description is not null) col["description"] = c.Description;
            if (c.Priority != 0) col["priority"] = c.Priority;
            columns.Add(col);
        }

        var names = new JsonObject
        {
            ["kind"] = e.Kind,
            ["listKind"] = e.Kind + "List",
            ["plural"] = e.Plural,
            ["singular"] = e.Kind.ToLowerInvariant(),
        };
        if (e.ShortNames.Length > 0) names["shortNames"] = new JsonArray(e.ShortNames.Select(s => (JsonNode?)s).ToArray());
        if (e.Categories.Length > 0) names["categories"] = new JsonArray(e.Categories.Select(s => (JsonNode?)s).ToArray());

        return new JsonObject
        {
            ["apiVersion"] = "apiextensions.k8s.io/v1",
            ["kind"] = "CustomResourceDefinition",
            ["metadata"] = new JsonObject { ["name"] = $"{e.Plural}.{e.Group}" },
            ["spec"] = new JsonObject
            {
                ["group"] = e.Group,
                ["names"] = names,
                ["scope"] = "Namespaced",
                ["versions"] = new JsonArray(new JsonObject
                {
                    ["name"] = e.Version,
                    ["served"] = true,
                    ["storage"] = true,
                    ["schema"] = new JsonObject { ["openAPIV3Schema"] = root },
                    ["subresources"] = new JsonObject
                    {
                        ["status"] = new JsonObject(),
                        ["scale"] = new JsonObject
                        {
                            ["specReplicasPath"] = ".spec.autoscaling.replicas",
                            ["statusReplicasPath"] = ".status.replicas",
                            ["labelSelectorPath"] = ".status.selector",
                        },
                    },
                    ["additionalPrinterColumns"] = columns,
                }),
            },
        };
    }

    private static JsonObject ObjectSchema(Type type, bool withDefaults)
    {
        var schema = new JsonObject { ["type"] = "object" };
        if (type.GetCustomAttribute<DocAttribute>() is { } doc) schema["description"] = doc.Text;
        var props = new JsonObject();
        var required = new JsonArray();
        object? prototype = withDefaults ? CreatePrototype(type) : null;
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = JsonNamingPolicy.CamelCase.ConvertName(p.Name);
            var isRequired = p.IsDefined(typeof(RequiredMemberAttribute));
            var ps = PropertySchema(p, withDefaults);
            if (withDefaults && !isRequired && prototype is not null) AddDefault(ps, p.GetValue(prototype));
            props[name] = ps;
            if (isRequired) required.Add(name);
        }
        if (required.Count > 0) schema["required"] = required;
        schema["properties"] = props;
        var rules = CelRulesOf(type);
        if (rules.Count > 0)
        {
            schema["x-kubernetes-validations"] = new JsonArray(rules
                .Select(r => (JsonNode?)new JsonObject { ["rule"] = r.Expression, ["message"] = r.Message }).ToArray());
        }
        return schema;
    }

    /// <summary>The CEL rules a type declares through <see cref="IHasCelRules{TSelf}"/>.</summary>
    public static IReadOnlyList<ICelRule> CelRulesOf(Type type)
    {
        if (!type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IHasCelRules<>)))
            return [];
        var prop = type.GetProperty("Rules", BindingFlags.Public | BindingFlags.Static)!;
        return ((IEnumerable)prop.GetValue(null)!).Cast<ICelRule>().ToList();
    }

    // Required members are only enforced by the compiler; the prototype just carries the initial values.
    private static object? CreatePrototype(Type type) => type.GetConstructor(Type.EmptyTypes)?.Invoke(null);

    private static void AddDefault(JsonObject schema, object? value)
    {
        switch (value)
        {
            case null:
            case string s when s.Length == 0:
                return;
            case string or bool or int or long or double:
                schema["default"] = JsonSerializer.SerializeToNode(value, value.GetType(), KubeJson.Options);
                return;
            case Enum en:
                schema["default"] = en.ToString();
                return;
            case IEnumerable:
                return;
            default:
                // An object default of {} lets the API server apply the nested defaults when the field is omitted.
                schema["default"] = new JsonObject();
                return;
        }
    }

    private static JsonObject PropertySchema(PropertyInfo p, bool withDefaults)
    {
        var schema = TypeSchema(p.PropertyType, withDefaults, p.GetCustomAttribute<AllowedValuesAttribute>());
        var ordered = new JsonObject();
        if (p.GetCustomAttribute<DocAttribute>() is { } doc) ordered["description"] = doc.Text;
        foreach (var kv in schema.ToList())
        {
            if (kv.Key == "description" && ordered.ContainsKey("description")) continue;
            schema.Remove(kv.Key);
            ordered[kv.Key] = kv.Value;
        }
        schema = ordered;
        if (p.GetCustomAttribute<BoundsAttribute>() is { } b)
        {
            if (!double.IsNaN(b.Minimum)) schema["minimum"] = Number(b.Minimum);
            if (!double.IsNaN(b.Maximum)) schema["maximum"] = Number(b.Maximum);
            if (b.MinLength >= 0) schema["minLength"] = b.MinLength;
            if (b.MaxLength >= 0) schema["maxLength"] = b.MaxLength;
            if (b.MinItems >= 0) schema["minItems"] = b.MinItems;
            if (b.MaxItems >= 0) schema["maxItems"] = b.MaxItems;
            if (b.MaxProperties >= 0) schema["maxProperties"] = b.MaxProperties;
            if (b.Pattern is not null) schema["pattern"] = b.Pattern;
        }
        if (p.GetCustomAttribute<ListMapAttribute>() is { } lm)
        {
            schema["x-kubernetes-list-type"] = "map";
            schema["x-kubernetes-list-map-keys"] = new JsonArray(lm.Keys.Select(k => (JsonNode?)k).ToArray());
        }
        return schema;
    }

    private static JsonNode Number(double d) => d == Math.Floor(d) ? JsonValue.Create((long)d) : JsonValue.Create(d);

    private static JsonObject TypeSchema(Type t, bool withDefaults, AllowedValuesAttribute? allowed)
    {
        t = Nullable.GetUnderlyingType(t) ?? t;
        if (t == typeof(string))
        {
            var s = new JsonObject { ["type"] = "string" };
            if (allowed is not null) s["enum"] = new JsonArray(allowed.Values.Select(v => (JsonNode?)v).ToArray());
            return s;
        }
        if (t == typeof(bool)) return new JsonObject { ["type"] = "boolean" };
        if (t == typeof(int)) return new JsonObject { ["type"] = "integer", ["format"] = "int32" };
        if (t == typeof(long)) return new JsonObject { ["type"] = "integer", ["format"] = "int64" };
        if (t == typeof(double)) return new JsonObject { ["type"] = "number" };
        if (t == typeof(DateTimeOffset)) return new JsonObject { ["type"] = "string", ["format"] = "date-time" };
        if (t.IsEnum)
            return new JsonObject
            {
                ["type"] = "string",
                ["enum"] = new JsonArray(Enum.GetNames(t).Select(n => (JsonNode?)n).ToArray()),
            };
        if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Dictionary<,>))
            return new JsonObject
            {
                ["type"] = "object",
                ["additionalProperties"] = TypeSchema(t.GetGenericArguments()[1], withDefaults, null),
            };
        if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(List<>))
            return new JsonObject
            {
                ["type"] = "array",
                ["items"] = TypeSchema(t.GetGenericArguments()[0], withDefaults, allowed),
            };
        if (t.IsClass) return ObjectSchema(t, withDefaults);
        throw new NotSupportedException($"no schema mapping for {t}");
    }
}
