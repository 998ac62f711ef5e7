using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace KtpFleet.Deploy.Tests.Infrastructure;

/// <summary>
/// The structural-schema subset the API server enforces for our CRD (type, properties with pruning of unknown
/// fields reported as errors, required, enum, minimum/maximum, pattern, items, additionalProperties maps).
/// CEL rules are the operator's SpecValidator's business and are not repeated here.
/// </summary>
public static class CrdSchema
{
    public static void Validate(JsonNode schema, JsonNode? value, string path, List<string> errors)
    {
        if (value is null) return;
        var type = (string?)schema["type"];
        var kind = value.GetValueKind();
        if (schema["x-kubernetes-int-or-string"] is not null) return;
        switch (type)
        {
            case "object" when kind != JsonValueKind.Object:
            case "array" when kind != JsonValueKind.Array:
            case "string" when kind != JsonValueKind.String:
            case "boolean" when kind is not (JsonValueKind.True or JsonValueKind.False):
            case "integer" when kind != JsonValueKind.Number || Number(value) % 1 != 0:
            case "number" when kind != JsonValueKind.Number:
                errors.Add($"{path}: expected {type}, got {kind}");
                return;
        }
        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
            errors.Add($"{path}: {value.ToJsonString()} not in {allowed.ToJsonString()}");
        if (kind == JsonValueKind.Number)
        {
            var n = Number(value);
            if (schema["minimum"] is { } min && n < Number(min)) errors.Add($"{path}: {n} < {min}");
            if (schema["maximum"] is { } max && n > Number(max)) errors.Add($"{path}: {n} > {max}");
        }
        if (kind == JsonValueKind.String && schema["pattern"] is { } pattern && !Regex.IsMatch(value.GetValue<string>(), (string)pattern!))
            errors.Add($"{path}: '{value}' does not match {pattern}");
        if (kind == JsonValueKind.Object)
        {
            var obj = value.AsObject();
            foreach (var r in schema["required"]?.AsArray() ?? [])
                if (!obj.ContainsKey((string)r!)) errors.Add($"{path}.{r}: required");
            var props = schema["properties"]?.AsObject();
            var extra = schema["additionalProperties"];
            var preserve = (bool?)schema["x-kubernetes-preserve-unknown-fields"] == true;
            foreach (var (k, v) in obj)
            {
                if (path.Length == 0 && k is "apiVersion" or "kind" or "metadata") continue;
                if (props?[k] is { } sub) Validate(sub, v, $"{path}.{k}", errors);
                else if (extra is JsonObject valueSchema) Validate(valueSchema, v, $"{path}.{k}", errors);
                else if (!preserve && props is not null) errors.Add($"{path}.{k}: unknown field (the API server would prune it)");
            }
        }
        if (kind == JsonValueKind.Array && schema["items"] is { } items)
        {
            var i = 0;
            foreach (var item in value.AsArray()) Validate(items, item, $"{path}[{i++}]", errors);
        }
    }

    private static double Number(JsonNode n) => double.Parse(n.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);
}
