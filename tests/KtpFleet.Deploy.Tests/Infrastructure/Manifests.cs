using System.Text.Json.Nodes;
using KtpFleet.Operator.Kube;

namespace KtpFleet.Deploy.Tests.Infrastructure;

/// <summary>A rendered chart as JSON objects, with the lookups the tests need.</summary>
public sealed class Manifests(IReadOnlyList<JsonObject> objects)
{
    public IReadOnlyList<JsonObject> All { get; } = objects;

    public static Manifests Parse(string yaml) =>
        new(YamlJson.ParseAll(yaml).OfType<JsonObject>().Where(o => o["kind"] is not null).ToList());

    public IEnumerable<JsonObject> OfKind(string kind) => All.Where(o => (string?)o["kind"] == kind);

    public JsonObject Single(string kind, string nameSuffix) =>
        OfKind(kind).Single(o => ((string)o["metadata"]!["name"]!).EndsWith(nameSuffix, StringComparison.Ordinal));

    public static IEnumerable<JsonObject> Containers(JsonObject workload)
    {
        var pod = workload["spec"]!["template"]!["spec"]!;
        foreach (var list in new[] { "initContainers", "containers" })
            if (pod[list] is JsonArray a)
                foreach (var c in a) yield return c!.AsObject();
    }

    /// <summary>"group/resource:verb" for every rule of a Role or ClusterRole.</summary>
    public static HashSet<string> Permissions(IEnumerable<JsonObject> roles)
    {
        var set = new HashSet<string>();
        foreach (var role in roles)
            foreach (var rule in (JsonArray)role["rules"]!)
                foreach (var g in (JsonArray)rule!["apiGroups"]!)
                    foreach (var res in (JsonArray)rule["resources"]!)
                        foreach (var v in (JsonArray)rule["verbs"]!)
                            set.Add($"{(string?)g}/{(string?)res}:{(string?)v}");
        return set;
    }
}
