using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using KtpFleet.Deploy.Tests.Infrastructure;
using KtpFleet.Operator.Kube;

namespace KtpFleet.Deploy.Tests;

/// <summary>charts/ktp-fleet through the real helm 3.17 binary: lint, render per environment, check what it renders.</summary>
public class HelmChartTests
{
    public static TheoryData<string> Environments => ["", "dev", "staging", "prod"];

    [Theory]
    [MemberData(nameof(Environments))]
    public async Task Lint_strict_passes_for_each_environment(string env)
    {
        var args = new List<string> { "lint", "--strict", Repo.Chart, "--namespace", "ktp" };
        if (env.Length > 0) args.AddRange(["-f", Path.Combine(Repo.Chart, $"values-{env}.yaml")]);
        var r = await Tool.HelmAsync([.. args]);
        Assert.True(r.ExitCode == 0, r.All);
        Assert.Contains("0 chart(s) failed", r.All);
    }

    [Theory]
    [InlineData("", new[] { "CustomResourceDefinition", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Deployment", "Service", "PodDisruptionBudget", "Job", "ConfigMap" }, new[] { "Ingress", "HorizontalPodAutoscaler", "ServiceMonitor", "KtpOcrPipeline", "Secret" })]
    [InlineData("dev", new[] { "CustomResourceDefinition", "Deployment", "Service", "Job", "KtpOcrPipeline" }, new[] { "PodDisruptionBudget", "Ingress", "HorizontalPodAutoscaler", "ConfigMap", "Secret" })]
    [InlineData("staging", new[] { "Deployment", "Service", "Ingress", "PodDisruptionBudget", "ServiceMonitor", "PodMonitor", "KtpOcrPipeline", "ConfigMap" }, new[] { "HorizontalPodAutoscaler", "Secret" })]
    [InlineData("prod", new[] { "Deployment", "Service", "Ingress", "PodDisruptionBudget", "HorizontalPodAutoscaler", "ServiceMonitor", "PodMonitor", "KtpOcrPipeline", "ConfigMap" }, new[] { "Secret" })]
    public async Task Renders_the_kinds_each_environment_needs(string env, string[] present, string[] absent)
    {
        var kinds = Manifests.Parse(await Tool.TemplateAsync(env)).All.Select(o => (string)o["kind"]!).ToHashSet();
        foreach (var k in present) Assert.Contains(k, kinds);
        foreach (var k in absent) Assert.DoesNotContain(k, kinds);
    }

    [Fact]
    public async Task Chart_packages_with_its_crd_values_files_and_dashboard()
    {
        var dir = Directory.CreateTempSubdirectory("ktp-helm-package-").FullName;
        try
        {
            var r = await Tool.HelmAsync("package", Repo.Chart, "--destination", dir);
            Assert.True(r.ExitCode == 0, r.All);
            var tgz = Assert.Single(Directory.GetFiles(dir, "ktp-fleet-*.tgz"));
            var list = await Tool.RunAsync("tar", ["-tzf", tgz]);
            foreach (var f in new[] { "crds/ocr.ktpfleet.io_ktpocrpipelines.yaml", "values.schema.json", "values-prod.yaml", "dashboards/ktp-fleet.json" })
                Assert.Contains($"ktp-fleet/{f}", list.StdOut);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Chart_crd_is_the_generated_crd()
    {
        var inChart = await File.ReadAllTextAsync(Path.Combine(Repo.Chart, "crds", Path.GetFileName(Repo.Crd)));
        Assert.True(inChart == await File.ReadAllTextAsync(Repo.Crd),
            "charts/ktp-fleet/crds is stale: cp crds/ocr.ktpfleet.io_ktpocrpipelines.yaml charts/ktp-fleet/crds/");
        var crd = Manifests.Parse(await Tool.TemplateAsync("")).Single("CustomResourceDefinition", "ktpocrpipelines.ocr.ktpfleet.io");
        Assert.Equal("KtpOcrPipeline", (string?)crd["spec"]!["names"]!["kind"]);
    }

    /// <summary>
    /// The chart's rules must be exactly operator/deploy/rbac.yaml's, which KtpFleet.Operator.Tests' RbacTests checks
    /// against every request the operator makes: leases moved to a Role in the release namespace, nothing else.
    /// </summary>
    [Theory]
    [MemberData(nameof(Environments))]
    public async Task Rbac_is_exactly_what_the_operator_calls_with_leases_only_in_its_namespace(string env)
    {
        var m = Manifests.Parse(await Tool.TemplateAsync(env));
        var expected = Manifests.Permissions(YamlJson.ParseAll(await File.ReadAllTextAsync(Repo.OperatorRbac))
            .OfType<JsonObject>().Where(o => (string?)o["kind"] == "ClusterRole"));
        var cluster = Manifests.Permissions(m.OfKind("ClusterRole"));
        var role = m.OfKind("Role").Single();
        var ns = Manifests.Permissions([role]);

        Assert.Equal(expected.OrderBy(x => x), cluster.Union(ns).OrderBy(x => x));
        Assert.Empty(cluster.Intersect(ns));
        Assert.All(ns, p => Assert.StartsWith("coordination.k8s.io/leases:", p));
        Assert.DoesNotContain(cluster, p => p.Contains("leases", StringComparison.Ordinal) || p.Contains("secrets", StringComparison.Ordinal) || p.Contains('*'));
        Assert.Equal("ktp", (string?)role["metadata"]!["namespace"]);

        var sa = m.OfKind("ServiceAccount").Single();
        var saName = (string)sa["metadata"]!["name"]!;
        var op = m.Single("Deployment", "-operator");
        Assert.Equal(saName, (string?)op["spec"]!["template"]!["spec"]!["serviceAccountName"]);
        foreach (var binding in m.OfKind("ClusterRoleBinding").Concat(m.OfKind("RoleBinding")))
        {
            var subject = binding["subjects"]!.AsArray().Single()!;
            Assert.Equal(saName, (string?)subject["name"]);
            Assert.Equal("ktp", (string?)subject["namespace"]);
        }
    }

    [Fact]
    public async Task Images_and_versions_are_the_ones_set()
    {
        var m = Manifests.Parse(await Tool.TemplateAsync("staging",
            "--set", "image.registry=reg.internal:5000/ktp", "--set", "ingest.image.tag=2.3.4",
            "--set", "worker.image.tag=2.3.5", "--set", "tessdata.version=4.1.1-best"));
        string Image(string suffix) => (string)Manifests.Containers(m.Single("Deployment", suffix)).First()["image"]!;
        Assert.Equal("reg.internal:5000/ktp/ingest-api:2.3.4", Image("-ingest-api"));
        Assert.Equal("reg.internal:5000/ktp/operator:1.0.0", Image("-operator")); // appVersion by default
        Assert.Equal("reg.internal:5000/ktp/ingest-api:2.3.4", (string?)Manifests.Containers(m.Single("Job", "-migrations")).Single()["image"]);
        var spec = m.OfKind("KtpOcrPipeline").Single()["spec"]!;
        Assert.Equal("reg.internal:5000/ktp/worker:2.3.5", (string?)spec["worker"]!["image"]);
        Assert.Equal("4.1.1-best", (string?)spec["model"]!["tessdataVersion"]);
        Assert.Equal("reg.internal:5000/ktp/tessdata:4.1.1-best", (string?)spec["model"]!["source"]!["image"]);
        Assert.Equal("ktp.jobs.retail", (string?)spec["queue"]!["name"]);
        Assert.Equal("ktp-rabbitmq", (string?)spec["queue"]!["connectionSecret"]);
        var workerEnv = spec["worker"]!["env"]!.AsArray().ToDictionary(e => (string)e!["name"]!, e => (string?)e!["value"]);
        Assert.Equal("retail", workerEnv["KTP_PIPELINE"]);
        Assert.Equal("/tessdata", workerEnv["KTP_TESSDATA"]);
        var apiEnv = Manifests.Containers(m.Single("Deployment", "-ingest-api")).First()["env"]!.AsArray();
        Assert.Equal("retail", (string?)apiEnv.Single(e => (string?)e!["name"] == "KTP_PIPELINE")!["value"]);
        // Quoted, as every env value must be; and a value the API's settings accept.
        var retention = (string?)apiEnv.Single(e => (string?)e!["name"] == "KTP_IMAGE_RETENTION_DAYS")!["value"];
        Assert.Equal(TimeSpan.FromDays(30), KtpFleet.Fleet.FleetSettings.RetentionDays(retention!));

        var prod = Manifests.Parse(await Tool.TemplateAsync("prod"));
        Assert.All(prod.OfKind("Deployment").Concat(prod.OfKind("Job")).SelectMany(Manifests.Containers),
            c => Assert.EndsWith(":1.0.0", (string)c["image"]!));
    }

    private static readonly Regex SecretLike = new(@"(?i)(password|passwd|pwd)\s*[=:]\s*\S|amqp://[^@\s]+:[^@\s]+@|ktp-dev|BEGIN [A-Z ]*PRIVATE KEY");

    [Theory]
    [MemberData(nameof(Environments))]
    public async Task No_secret_in_plain_text_every_credential_comes_from_a_secret(string env)
    {
        var yaml = await Tool.TemplateAsync(env);
        var m = Manifests.Parse(yaml);
        Assert.Empty(m.OfKind("Secret"));
        var outsideDashboard = string.Join('\n', m.All.Where(o => (string?)o["kind"] != "CustomResourceDefinition").Select(o => o.ToJsonString()));
        Assert.DoesNotMatch(SecretLike, outsideDashboard);

        var credentialEnv = new Regex("^KTP_(POSTGRES|AMQP|REDIS|RABBITMQ_USER|RABBITMQ_PASSWORD|RABBITMQ_URI)$");
        var checkedVars = 0;
        foreach (var c in m.OfKind("Deployment").Concat(m.OfKind("Job")).SelectMany(Manifests.Containers))
            foreach (var e in c["env"]?.AsArray() ?? [])
            {
                if (!credentialEnv.IsMatch((string)e!["name"]!)) continue;
                checkedVars++;
                Assert.Null(e["value"]);
                Assert.NotNull(e["valueFrom"]?["secretKeyRef"]?["name"]);
            }
        Assert.True(checkedVars >= 6, $"only {checkedVars} credential variables found");
    }

    [Theory]
    [InlineData("operator.replicas=0")]
    [InlineData("logLevel=verbose")]
    [InlineData("tessdata.version=latest")]
    [InlineData("ingest.service.type=ExternalName")]
    [InlineData("ingest.replica=3")] // a typo: unknown keys are refused, not silently ignored
    [InlineData("connections.postgres.password=hunter2")] // passwords are not values
    [InlineData("pipelines[0].name=Retail_1")]
    [InlineData("ingest.autoscaling.targetCPUUtilizationPercentage=150")]
    [InlineData("metrics.serviceMonitor.interval=soon")]
    [InlineData("imageSegments.claimName=Shared_Images")]
    public async Task Schema_rejects_bad_values(string set)
    {
        var args = new List<string> { "template", "ktp", Repo.Chart, "--set", set };
        if (set.StartsWith("pipelines", StringComparison.Ordinal)) args.AddRange(["--set", "pipelines[0].tenants[0].id=t1"]);
        var r = await Tool.HelmAsync([.. args]);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("values don't meet the specifications of the schema", r.All);
    }

    [Fact]
    public async Task An_image_segments_claim_is_mounted_by_the_api_and_handed_to_the_operator_for_the_workers()
    {
        var plain = Manifests.Parse(await Tool.TemplateAsync("staging"));
        Assert.DoesNotContain(Manifests.Containers(plain.Single("Deployment", "-ingest-api")).First()["env"]!.AsArray(),
            e => (string?)e!["name"] == "KTP_IMAGE_STORE"); // PostgreSQL by default
        Assert.Null(plain.OfKind("KtpOcrPipeline").First()["spec"]!["worker"]!["imageSegmentsClaim"]);

        var m = Manifests.Parse(await Tool.TemplateAsync("staging", "--set", "imageSegments.claimName=ktp-images"));
        var api = m.Single("Deployment", "-ingest-api")["spec"]!["template"]!["spec"]!;
        var container = Manifests.Containers(m.Single("Deployment", "-ingest-api")).First();
        var store = (string?)container["env"]!.AsArray().Single(e => (string?)e!["name"] == "KTP_IMAGE_STORE")!["value"];
        var mount = container["volumeMounts"]!.AsArray().Single(v => (string?)v!["name"] == "image-segments")!;
        Assert.Equal($"segments:{(string?)mount["mountPath"]}", store);
        Assert.Null(mount["readOnly"]); // the API appends
        Assert.Equal("ktp-images", (string?)api["volumes"]!.AsArray().Single(v => (string?)v!["name"] == "image-segments")!["persistentVolumeClaim"]!["claimName"]);
        Assert.Equal(1654L, (long)api["securityContext"]!["fsGroup"]!);

        // The workers the operator renders from the chart's pipeline read the same path.
        var pipeline = m.OfKind("KtpOcrPipeline").First().Deserialize<KtpFleet.Operator.Resources.KtpOcrPipeline>(KtpFleet.Operator.Resources.KubeJson.Options)!;
        Assert.Equal("ktp-images", pipeline.Spec.Worker.ImageSegmentsClaim);
        pipeline.Metadata.Uid = Guid.NewGuid().ToString(); // what the API server assigns on create
        var worker = Manifests.Containers(KtpFleet.Operator.Desired.DesiredObjects.WorkerDeployment(pipeline, 1)).Single(c => (string?)c["name"] == "worker");
        Assert.Equal(store, (string?)worker["env"]!.AsArray().Single(e => (string?)e!["name"] == "KTP_IMAGE_STORE")!["value"]);
        Assert.Equal((string?)mount["mountPath"], (string?)worker["volumeMounts"]!.AsArray().Single(v => (string?)v!["name"] == "image-segments")!["mountPath"]);
    }

    [Fact]
    public async Task Schema_accepts_a_valid_override()
    {
        var r = await Tool.HelmAsync("template", "ktp", Repo.Chart, "--set", "operator.replicas=3", "--set", "logLevel=error",
            "--set", "pipelines[0].name=retail-1", "--set", "pipelines[0].tenants[0].id=t1");
        Assert.True(r.ExitCode == 0, r.All);
    }

    [Fact]
    public async Task Environments_differ_the_way_the_values_files_say()
    {
        var dev = Manifests.Parse(await Tool.TemplateAsync("dev"));
        var prod = Manifests.Parse(await Tool.TemplateAsync("prod"));
        static string? Env(JsonObject deployment, string name) =>
            (string?)Manifests.Containers(deployment).First()["env"]!.AsArray().FirstOrDefault(e => (string?)e!["name"] == name)?["value"];

        Assert.Equal(1L, (long?)dev.Single("Deployment", "-ingest-api")["spec"]!["replicas"]);
        Assert.Equal(1L, (long?)dev.Single("Deployment", "-operator")["spec"]!["replicas"]);
        Assert.Equal("debug", Env(dev.Single("Deployment", "-ingest-api"), "KTP_LOG_LEVEL"));
        Assert.Equal("Manual", (string?)dev.OfKind("KtpOcrPipeline").Single()["spec"]!["autoscaling"]!["mode"]);

        var api = prod.Single("Deployment", "-ingest-api");
        Assert.Null(api["spec"]!["replicas"]); // the HPA owns it
        Assert.Equal("warning", Env(api, "KTP_LOG_LEVEL"));
        var hpa = prod.OfKind("HorizontalPodAutoscaler").Single()["spec"]!;
        Assert.Equal((string?)api["metadata"]!["name"], (string?)hpa["scaleTargetRef"]!["name"]);
        Assert.Equal("cpu", (string?)hpa["metrics"]![0]!["resource"]!["name"]);
        Assert.Equal(2L, (long?)prod.OfKind("PodDisruptionBudget").Single()["spec"]!["minAvailable"]);
        var ingress = prod.OfKind("Ingress").Single()["spec"]!;
        Assert.Equal("ktp-prod-tls", (string?)ingress["tls"]![0]!["secretName"]);
        Assert.All(prod.OfKind("KtpOcrPipeline"), p => Assert.Equal("Keda", (string?)p["spec"]!["autoscaling"]!["mode"]));
        Assert.All(prod.OfKind("KtpOcrPipeline"), p => Assert.Equal("4.1.0-best", (string?)p["spec"]!["model"]!["tessdataVersion"]));
    }

    [Fact]
    public async Task Migrations_run_as_a_pre_install_and_pre_upgrade_hook_with_the_fleet_migrator()
    {
        var job = Manifests.Parse(await Tool.TemplateAsync("")).Single("Job", "-migrations");
        var hooks = ((string)job["metadata"]!["annotations"]!["helm.sh/hook"]!).Split(',');
        Assert.Equal(["pre-install", "pre-upgrade"], hooks);
        var c = Manifests.Containers(job).Single();
        Assert.Equal(["migrate"], c["args"]!.AsArray().Select(a => (string)a!));
        Assert.Equal("Never", (string?)job["spec"]!["template"]!["spec"]!["restartPolicy"]);
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public async Task Every_container_runs_non_root_on_a_read_only_root_with_probes(string env)
    {
        var m = Manifests.Parse(await Tool.TemplateAsync(env));
        foreach (var c in m.OfKind("Deployment").Concat(m.OfKind("Job")).SelectMany(Manifests.Containers))
        {
            var sc = c["securityContext"]!;
            Assert.True((bool?)sc["runAsNonRoot"] == true && (bool?)sc["readOnlyRootFilesystem"] == true && (bool?)sc["allowPrivilegeEscalation"] == false,
                $"{c["name"]}: {sc.ToJsonString()}");
            Assert.NotNull(c["resources"]!["requests"]);
        }
        foreach (var d in m.OfKind("Deployment"))
        {
            var c = Manifests.Containers(d).First();
            Assert.NotNull(c["livenessProbe"]);
            Assert.NotNull(c["readinessProbe"]);
        }
    }

    [Fact]
    public async Task Pods_carry_prometheus_scrape_annotations_and_the_service_monitor_targets_the_api()
    {
        var m = Manifests.Parse(await Tool.TemplateAsync("staging"));
        var api = m.Single("Deployment", "-ingest-api");
        var annotations = api["spec"]!["template"]!["metadata"]!["annotations"]!;
        Assert.Equal("true", (string?)annotations["prometheus.io/scrape"]);
        Assert.Equal("8080", (string?)annotations["prometheus.io/port"]);
        Assert.Equal("/metrics", (string?)annotations["prometheus.io/path"]);
        var sm = m.OfKind("ServiceMonitor").Single()["spec"]!;
        var serviceLabels = m.OfKind("Service").Single()["spec"]!["selector"]!.AsObject();
        foreach (var (k, v) in sm["selector"]!["matchLabels"]!.AsObject()) Assert.Equal((string?)v, (string?)serviceLabels[k]);
        Assert.Equal("http", (string?)sm["endpoints"]![0]!["port"]);

        var off = Manifests.Parse(await Tool.TemplateAsync("", "--set", "metrics.podAnnotations=false"));
        Assert.Null(off.Single("Deployment", "-ingest-api")["spec"]!["template"]!["metadata"]!["annotations"]);
    }

    [Fact]
    public async Task Dashboard_ships_as_a_configmap_labelled_for_the_grafana_sidecar()
    {
        var cm = Manifests.Parse(await Tool.TemplateAsync("prod")).OfKind("ConfigMap").Single();
        Assert.Equal("1", (string?)cm["metadata"]!["labels"]!["grafana_dashboard"]);
        var json = (string)cm["data"]!["ktp-fleet.json"]!;
        Assert.Equal((await File.ReadAllTextAsync(Repo.Dashboard)).TrimEnd(), json.TrimEnd());
        var panels = JsonNode.Parse(json)!["panels"]!.AsArray();
        Assert.True(panels.Count >= 10);
    }
}
