using System.Text.Json.Nodes;

namespace KtpFleet.Operator.Tests.Fake;

/// <summary>JSON tree helpers of the fake API server: RFC 7386 merge patch, leaf paths, removal by path.</summary>
internal static class Merge
{
    /// <summary>RFC 7386: objects merge recursively, null deletes, anything else (arrays included) replaces.</summary>
    public static JsonNode? MergePatch(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject po) return patch?.DeepClone();
        var result = target is JsonObject to ? (JsonObject)to.DeepClone() : new JsonObject();
        foreach (var (key, value) in po)
        {
            if (value is null) result.Remove(key);
            else result[key] = MergePatch(result[key], value);
        }
        return result;
    }

    /// <summary>Leaf paths of an applied configuration; arrays are atomic leaves (list-maps are not merged by key here).</summary>
    public static IEnumerable<(string Path, JsonNode? Value)> Leaves(JsonNode? node, string prefix = "")
    {
        if (node is JsonObject o && o.Count > 0)
        {
            foreach (var (k, v) in o)
                foreach (var leaf in Leaves(v, prefix.Length == 0 ? k : $"{prefix}.{k}")) yield return leaf;
        }
        else yield return (prefix, node);
    }

    public static JsonNode? At(JsonNode? node, string path)
    {
        foreach (var part in path.Split('.'))
        {
            if (node is not JsonObject o || !o.TryGetPropertyValue(part, out node)) return null;
        }
        return node;
    }

    public static bool Has(JsonNode? node, string path)
    {
        foreach (var part in path.Split('.'))
        {
            if (node is not JsonObject o || !o.TryGetPropertyValue(part, out node)) return false;
        }
        return true;
    }

    public static void Remove(JsonObject root, string path)
    {
        var parts = path.Split('.');
        var stack = new List<JsonObject> { root };
        JsonNode? node = root;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            if (node is not JsonObject o || o[parts[i]] is not JsonObject next) return;
            stack.Add(next);
            node = next;
        }
        ((JsonObject)node!).Remove(parts[^1]);
        // Drop objects left empty by the removal, as SSA does for fields nobody owns.
        for (var i = stack.Count - 1; i > 0; i--)
            if (stack[i].Count == 0) stack[i - 1].Remove(parts[i - 1]);
    }
}
