using System.Text.Json.Nodes;
using KtpFleet.Deploy.Tests.Infrastructure;
using KtpFleet.Operator.Kube;

namespace KtpFleet.Deploy.Tests;

/// <summary>
/// Offline, kubectl cannot reach an API server's OpenAPI, but its <c>--local</c> commands decode every file into
/// kubectl's own typed Go structs (client-go's scheme): a wrong type or structure anywhere in a built-in object
/// fails the decode. <c>set selector --local</c> decodes first and only then refuses non-Services, so it checks
/// every built-in kind. Custom kinds (our CRD's, the Prometheus Operator's) are not in that scheme: the pipelines
/// are checked against the CRD's own structural schema instead.
/// </summary>
public class KubectlValidationTests
{
    public static TheoryData<string> Environments => ["", "dev", "staging", "prod"];

    // Not in kubectl's scheme; the CRD itself is generated and checked by KtpFleet.Operator.Tests.
    private static readonly HashSet<string> CustomKinds = ["CustomResourceDefinition", "KtpOcrPipeline", "ServiceMonitor", "PodMonitor"];

    [Theory]
    [MemberData(nameof(Environments))]
    public async Task Kubectl_decodes_every_built_in_object_of_the_rendered_chart(string env)
    {
        var objects = Manifests.Parse(await Tool.TemplateAsync(env)).All.Where(o => !CustomKinds.Contains((string)o["kind"]!)).ToList();
        Assert.True(objects.Count >= 9, $"{objects.Count} objects");
        var failures = new List<string>();
        foreach (var o in objects)
        {
            var error = await DecodeErrorAsync(o);
            if (error is not null) failures.Add($"{o["kind"]}/{o["metadata"]!["name"]}: {error}");
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public async Task The_decode_check_catches_a_wrongly_typed_field()
    {
        var deployment = Manifests.Parse(await Tool.TemplateAsync("")).Single("Deployment", "-ingest-api");
        Assert.Null(await DecodeErrorAsync(deployment));
        Manifests.Containers(deployment).First()["ports"]![0]!["containerPort"] = "http";
        Assert.Contains("containerPort", await DecodeErrorAsync(deployment));
        var pdb = Manifests.Parse(await Tool.TemplateAsync("")).OfKind("PodDisruptionBudget").Single();
        pdb["spec"]!["selector"] = "app=ingest";
        Assert.Contains("LabelSelector", await DecodeErrorAsync(pdb));
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("staging")]
    [InlineData("prod")]
    public async Task Default_pipelines_validate_against_the_crd_schema(string env)
    {
        var pipelines = Manifests.Parse(await Tool.TemplateAsync(env)).OfKind("KtpOcrPipeline").ToList();
        Assert.NotEmpty(pipelines);
        var crd = (JsonObject)YamlJson.Parse(await File.ReadAllTextAsync(Repo.Crd));
        var schemaNode = crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!;
        foreach (var p in pipelines)
        {
            var errors = new List<string>();
            CrdSchema.Validate(schemaNode, p, "", errors);
            Assert.True(errors.Count == 0, $"{p["metadata"]!["name"]}: {string.Join("; ", errors)}");
        }
    }

    [Fact]
    public void The_crd_schema_check_catches_bad_pipelines()
    {
        var crd = (JsonObject)YamlJson.Parse(File.ReadAllText(Repo.Crd));
        var schemaNode = crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!;
        var bad = (JsonObject)JsonNode.Parse("""
            {"apiVersion":"ocr.ktpfleet.io/v1alpha1","kind":"KtpOcrPipeline","metadata":{"name":"x"},
             "spec":{"queue":{"name":"q","connectionSecret":"s"},"tenants":[{"id":"t","autoAcceptConfidence":3}],
                     "worker":{"image":"w","enginesPerPod":99},"model":{"tessdataVersion":"latest","source":{"image":"m"}},
                     "autoscaling":{"mode":"Sometimes"},"bogus":1}}
            """)!;
        var errors = new List<string>();
        CrdSchema.Validate(schemaNode, bad, "", errors);
        foreach (var field in new[] { "autoAcceptConfidence", "enginesPerPod", "tessdataVersion", "mode", "bogus" })
            Assert.Contains(errors, e => e.Contains(field, StringComparison.Ordinal));
    }

    /// <returns>null when kubectl decoded the object, else its error</returns>
    private static async Task<string?> DecodeErrorAsync(JsonObject o)
    {
        var file = Path.Combine(Path.GetTempPath(), $"ktp-decode-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, o.ToJsonString());
        try
        {
            var r = await Tool.KubectlAsync("set", "selector", "--local", "-f", file, "ktp-check=1", "-o", "name");
            if (r.ExitCode == 0) return (string)o["kind"]! == "Service" ? null : "unexpected success: " + r.All;
            return r.StdErr.Contains("setting a selector is only supported for Services", StringComparison.Ordinal) ? null : r.StdErr.Trim();
        }
        finally
        {
            File.Delete(file);
        }
    }
}
