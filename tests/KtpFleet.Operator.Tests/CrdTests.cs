using System.Text.Json;
using System.Text.Json.Nodes;
using KtpFleet.Operator.Crd;
using KtpFleet.Operator.Kube;
using KtpFleet.Operator.Resources;
using NJsonSchema;

namespace KtpFleet.Operator.Tests;

public class CrdTests
{
    private static JsonObject Schema() =>
        (JsonObject)YamlJson.Parse(File.ReadAllText(Repo.CrdPath))["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!;

    [Fact]
    public void Committed_crd_matches_the_generated_one()
    {
        foreach (var (name, text) in CrdFiles.Render())
        {
            var committed = File.ReadAllText(Path.Combine(Repo.Root, "crds", name));
            Assert.True(committed == text, $"crds/{name} is stale: run ./ktp crd");
        }
    }

    [Fact]
    public void Crd_has_subresources_printer_columns_list_maps_and_cel_rules()
    {
        var crd = YamlJson.Parse(File.ReadAllText(Repo.CrdPath));
        var version = crd["spec"]!["versions"]![0]!;
        Assert.Equal(".spec.autoscaling.replicas", (string?)version["subresources"]!["scale"]!["specReplicasPath"]);
        Assert.Equal(".status.selector", (string?)version["subresources"]!["scale"]!["labelSelectorPath"]);
        Assert.NotNull(version["subresources"]!["status"]);
        var columns = ((JsonArray)version["additionalPrinterColumns"]!).Select(c => (string)c!["name"]!).ToList();
        Assert.Equal(["Mode", "Desired", "Ready", "Queue", "Model", "Status", "Age"], columns);

        var spec = version["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!;
        Assert.Equal("map", (string?)spec["properties"]!["tenants"]!["x-kubernetes-list-type"]);
        Assert.Equal("id", (string?)spec["properties"]!["tenants"]!["x-kubernetes-list-map-keys"]![0]);
        var conditions = version["schema"]!["openAPIV3Schema"]!["properties"]!["status"]!["properties"]!["conditions"]!;
        Assert.Equal("type", (string?)conditions["x-kubernetes-list-map-keys"]![0]);
        var rules = ((JsonArray)spec["properties"]!["autoscaling"]!["x-kubernetes-validations"]!).Select(r => (string)r!["rule"]!).ToList();
        Assert.Contains("self.minReplicas <= self.maxReplicas", rules);
        Assert.Equal("^[0-9]+\\.[0-9]+\\.[0-9]+(-[a-z0-9]+)?$", (string?)spec["properties"]!["model"]!["properties"]!["tessdataVersion"]!["pattern"]);
        Assert.Equal("Builtin", (string?)spec["properties"]!["autoscaling"]!["properties"]!["mode"]!["default"]);
    }

    [Fact]
    public void Schema_is_structural_every_node_has_a_type()
    {
        var missing = new List<string>();
        void Walk(JsonNode? n, string path)
        {
            if (n is not JsonObject o) return;
            if (o["type"] is null && o["x-kubernetes-int-or-string"] is null) missing.Add(path);
            foreach (var (k, v) in (o["properties"] as JsonObject) ?? []) Walk(v, $"{path}.{k}");
            if (o["items"] is { } items) Walk(items, path + "[]");
            if (o["additionalProperties"] is JsonObject ap) Walk(ap, path + "{}");
            // A list-map key must be required (or defaulted) in the item schema.
            if (o["x-kubernetes-list-map-keys"] is JsonArray keys)
                foreach (var key in keys)
                    if (!((o["items"]!["required"] as JsonArray) ?? []).Any(r => (string?)r == (string?)key)) missing.Add($"{path} key {key} not required");
        }
        Walk(Schema(), "");
        Assert.Empty(missing);
    }

    [Fact]
    public void Cel_field_list_matches_the_field_names()
    {
        var cel = KtpFields.CelList.Trim('[', ']').Split(", ").Select(s => s.Trim('\'')).ToList();
        Assert.Equal(KtpFields.All, cel);
    }

    // ---- the example and invalid variants, validated offline against the CRD's OpenAPI schema ----

    private static async Task<ICollection<NJsonSchema.Validation.ValidationError>> ValidateAsync(JsonNode resource)
    {
        var schema = await JsonSchema.FromJsonAsync(ToJsonSchema(Schema()).ToJsonString());
        return schema.Validate(resource.ToJsonString());
    }

    /// <summary>OpenAPI v3 structural schema → JSON Schema: drop the Kubernetes extensions NJsonSchema does not know.</summary>
    private static JsonNode ToJsonSchema(JsonNode node)
    {
        var clone = node.DeepClone();
        void Strip(JsonNode? n)
        {
            if (n is JsonObject o)
            {
                foreach (var k in o.Select(kv => kv.Key).Where(k => k.StartsWith("x-kubernetes-", StringComparison.Ordinal)).ToList()) o.Remove(k);
                if (o["type"] is JsonValue tv && tv.ToJsonString() == "\"integer\"") o.Remove("format");
                foreach (var (_, v) in o.ToList()) Strip(v);
            }
            else if (n is JsonArray a) foreach (var v in a) Strip(v);
        }
        Strip(clone);
        return clone;
    }

    private static JsonObject Example() => (JsonObject)YamlJson.Parse(File.ReadAllText(Repo.ExamplePath));

    [Fact]
    public async Task Example_is_valid_against_the_schema_and_the_cel_rules()
    {
        var example = Example();
        Assert.Empty(await ValidateAsync(example));
        var typed = example.Deserialize<KtpOcrPipeline>(KubeJson.Options)!;
        Assert.Empty(SpecValidator.Validate(typed.Spec));
        Assert.Equal(2, typed.Spec.Tenants.Count);
        Assert.Equal(ScalingMode.Builtin, typed.Spec.Autoscaling.Mode);
    }

    public static TheoryData<string, string, string> SchemaViolations => new()
    {
        { "bad model version", "spec.model.tessdataVersion", "\"latest\"" },
        { "engines out of range", "spec.worker.enginesPerPod", "0" },
        { "unknown mode", "spec.autoscaling.mode", "\"Hpa\"" },
        { "tenant id not a DNS label", "spec.tenants[0].id", "\"Bank_Satu\"" },
        { "confidence above one", "spec.tenants[0].autoAcceptConfidence", "1.5" },
        { "unknown required field", "spec.tenants[0].requiredFields", "[\"nik\", \"foto\"]" },
        { "no tenants", "spec.tenants", "[]" },
        { "queue name missing", "spec.queue.name", "null" },
    };

    [Theory]
    [MemberData(nameof(SchemaViolations))]
    public async Task Invalid_resources_are_rejected_by_the_schema(string why, string path, string json)
    {
        var example = Example();
        Set(example, path, JsonNode.Parse(json));
        var errors = await ValidateAsync(example);
        Assert.True(errors.Count > 0, $"{why}: expected a schema error at {path}");
    }

    public static TheoryData<string, string, string, string> CelViolations => new()
    {
        { "min above max", "spec.autoscaling.minReplicas", "25", "minReplicas must not exceed maxReplicas" },
        { "manual without replicas", "spec.autoscaling.mode", "\"Manual\"", "replicas is required when mode is Manual" },
        { "two model sources", "spec.model.source.persistentVolumeClaim", "\"tessdata\"", "exactly one of image or persistentVolumeClaim must be set" },
        { "unknown field threshold", "spec.tenants[0].fieldConfidence", "{\"foto\": 0.5}", "fieldConfidence keys must be result field names" },
        { "duplicate tenant", "spec.tenants[1].id", "\"bank-satu\"", "Duplicate value: bank-satu" },
    };

    /// <summary>The CEL rules (and list-map uniqueness) are beyond JSON Schema; their C# twins must catch the same cases.</summary>
    [Theory]
    [MemberData(nameof(CelViolations))]
    public async Task Cel_rule_violations_pass_the_schema_but_fail_the_rules(string why, string path, string json, string message)
    {
        var example = Example();
        Set(example, path, JsonNode.Parse(json));
        Assert.Empty(await ValidateAsync(example));
        var typed = example.Deserialize<KtpOcrPipeline>(KubeJson.Options)!;
        var errors = SpecValidator.Validate(typed.Spec);
        Assert.True(errors.Any(e => e.Contains(message, StringComparison.Ordinal)), $"{why}: got [{string.Join("; ", errors)}]");
    }

    private static void Set(JsonObject root, string path, JsonNode? value)
    {
        JsonNode node = root;
        var parts = path.Split('.');
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            var idx = -1;
            if (part.EndsWith(']'))
            {
                idx = int.Parse(part[(part.IndexOf('[') + 1)..^1], System.Globalization.CultureInfo.InvariantCulture);
                part = part[..part.IndexOf('[')];
            }
            var last = i == parts.Length - 1;
            if (idx >= 0)
            {
                var arr = (JsonArray)node[part]!;
                if (last) { arr[idx] = value; return; }
                node = arr[idx]!;
            }
            else if (last)
            {
                if (value is null) ((JsonObject)node).Remove(part); else node[part] = value;
                return;
            }
            else node = node[part]!;
        }
    }
}
