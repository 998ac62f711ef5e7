using System.Text.Json.Nodes;
using KtpFleet.Operator.Desired;
using KtpFleet.Operator.Resources;

namespace KtpFleet.Operator.Tests;

public class DesiredObjectsTests
{
    [Fact]
    public void Worker_deployment_carries_image_engines_thread_limit_probes_grace_and_model()
    {
        var p = Samples.Pipeline();
        p.Spec.Worker.Resources = new ResourceRequirements { Requests = new() { ["cpu"] = "1" }, Limits = new() { ["memory"] = "1Gi" } };
        p.Spec.Worker.Env = [new EnvVar { Name = "OMP_THREAD_LIMIT", Value = "8" }, new EnvVar { Name = "KTP_LOG_LEVEL", Value = "debug" }, new EnvVar { Name = "KTP_PIPELINE", Value = "elsewhere" }];
        var d = DesiredObjects.WorkerDeployment(p, 3);
        Assert.Equal("retail-worker", (string?)d["metadata"]!["name"]);
        Assert.Equal(3, d["spec"]!["replicas"]!.GetValue<int>());
        var pod = d["spec"]!["template"]!["spec"]!;
        var c = pod["containers"]![0]!;
        Assert.Equal(p.Spec.Worker.Image, (string?)c["image"]);
        var env = ((JsonArray)c["env"]!).ToDictionary(e => (string)e!["name"]!, e => (string?)e!["value"]);
        Assert.Equal("1", env["OMP_THREAD_LIMIT"]); // a user's env cannot lift the thread limit
        Assert.Equal("3", env["KTP_ENGINES"]);
        Assert.Equal("debug", env["KTP_LOG_LEVEL"]);
        // The worker's own setting names (FleetSettings, ExtractorFactory): models from /tessdata/<version>/.
        Assert.Equal("/tessdata", env["KTP_TESSDATA"]);
        Assert.Equal("4.1.0-fast", env["KTP_TESSDATA_VERSION"]);
        Assert.Equal(DesiredObjects.WorkerPipeline(p.Spec.Queue), env["KTP_PIPELINE"]);
        Assert.Equal($"{PipelineNames.PolicyMountPath}/{PipelineNames.PolicyFile}", env["KTP_TENANT_POLICY_FILE"]);
        var amqp = ((JsonArray)c["env"]!).Single(e => (string?)e!["name"] == "KTP_AMQP")!["valueFrom"]!["secretKeyRef"]!;
        Assert.Equal(p.Spec.Queue.ConnectionSecret, (string?)amqp["name"]);
        Assert.Equal("uri", (string?)amqp["key"]);
        Assert.Equal("/readyz", (string?)c["readinessProbe"]!["httpGet"]!["path"]);
        Assert.Equal("/healthz", (string?)c["livenessProbe"]!["httpGet"]!["path"]);
        Assert.Equal("1", (string?)c["resources"]!["requests"]!["cpu"]);
        Assert.Equal(60, pod["terminationGracePeriodSeconds"]!.GetValue<int>());
        Assert.Equal("4.1.0-fast", (string?)d["spec"]!["template"]!["metadata"]!["annotations"]![PipelineNames.TessdataAnnotation]);
        Assert.Equal(p.Spec.Model.Source.Image, (string?)pod["initContainers"]![0]!["image"]);
        // Every model set of the image is copied (the worker's second opinion is a set of its own), the pipeline's checked.
        var copy = (string?)pod["initContainers"]![0]!["command"]![2];
        Assert.StartsWith("cp -R /tessdata/. ", copy);
        Assert.Contains("/4.1.0-fast/ind.traineddata", copy);
        var owner = d["metadata"]!["ownerReferences"]![0]!;
        Assert.Equal(p.Metadata.Uid, (string?)owner["uid"]);
        Assert.True(owner["controller"]!.GetValue<bool>());
    }

    [Fact]
    public void Keda_mode_leaves_replicas_out_of_the_apply()
    {
        var d = DesiredObjects.WorkerDeployment(Samples.Pipeline(), replicas: null);
        Assert.False(((JsonObject)d["spec"]!).ContainsKey("replicas"));
    }

    [Fact]
    public void An_image_segments_claim_is_mounted_read_only_and_becomes_the_workers_image_store()
    {
        var p = Samples.Pipeline();
        var without = DesiredObjects.WorkerDeployment(p, 1)["spec"]!["template"]!["spec"]!;
        Assert.DoesNotContain(((JsonArray)without["containers"]![0]!["env"]!), e => (string?)e!["name"] == "KTP_IMAGE_STORE");
        Assert.DoesNotContain(((JsonArray)without["volumes"]!), v => (string?)v!["name"] == "image-segments");

        p.Spec.Worker.ImageSegmentsClaim = "ktp-images";
        p.Spec.Worker.Env = [new EnvVar { Name = "KTP_IMAGE_STORE", Value = "postgres" }];
        var pod = DesiredObjects.WorkerDeployment(p, 1)["spec"]!["template"]!["spec"]!;
        var c = pod["containers"]![0]!;
        var store = ((JsonArray)c["env"]!).Where(e => (string?)e!["name"] == "KTP_IMAGE_STORE").Select(e => (string?)e!["value"]).ToList();
        Assert.Equal([$"segments:{PipelineNames.ImageSegmentsMountPath}"], store); // the claim wins over a stray env entry
        var mount = ((JsonArray)c["volumeMounts"]!).Single(m => (string?)m!["name"] == "image-segments")!;
        Assert.Equal(PipelineNames.ImageSegmentsMountPath, (string?)mount["mountPath"]);
        Assert.True(mount["readOnly"]!.GetValue<bool>());
        var claim = ((JsonArray)pod["volumes"]!).Single(v => (string?)v!["name"] == "image-segments")!["persistentVolumeClaim"]!;
        Assert.Equal("ktp-images", (string?)claim["claimName"]);
        Assert.True(claim["readOnly"]!.GetValue<bool>());
    }

    [Fact]
    public void Model_from_a_volume_claim_is_mounted_read_only_by_version()
    {
        var p = Samples.Pipeline();
        p.Spec.Model.Source = new ModelSource { PersistentVolumeClaim = "tessdata" };
        var pod = DesiredObjects.WorkerDeployment(p, 1)["spec"]!["template"]!["spec"]!;
        Assert.Null(pod["initContainers"]);
        var mount = ((JsonArray)pod["containers"]![0]!["volumeMounts"]!).First(m => (string?)m!["name"] == "tessdata")!;
        Assert.Equal("4.1.0-fast", (string?)mount["subPath"]);
        Assert.True(mount["readOnly"]!.GetValue<bool>());
    }

    [Fact]
    public void Tenant_policy_mirrors_the_verdict_policy_shape()
    {
        var doc = DesiredObjects.TenantPolicyDocument(Samples.Pipeline());
        var bank = doc["tenants"]!["bank-satu"]!["verdict"]!;
        Assert.Equal(0.92, bank["auto_accept_confidence"]!.GetValue<double>());
        Assert.Equal(0.97, bank["field_confidence"]!["nik"]!.GetValue<double>());
        Assert.Equal(["nik", "nama"], ((JsonArray)bank["required_fields"]!).Select(f => (string)f!).ToArray());
        Assert.True(bank["failed_check_forces_review"]!.GetValue<bool>());
        // Omitted required fields mean all of them, as in VerdictPolicy.Default.
        Assert.Equal(KtpFields.All.Count, ((JsonArray)doc["tenants"]!["koperasi-dua"]!["verdict"]!["required_fields"]!).Count);
        var cm = DesiredObjects.TenantPolicyConfigMap(Samples.Pipeline());
        Assert.Equal(doc.ToJsonString(), JsonNode.Parse((string)cm["data"]![PipelineNames.PolicyFile]!)!.ToJsonString());
    }

    [Fact]
    public void Scaled_object_counts_ready_and_unacked_in_queue_length_mode()
    {
        var p = Samples.Pipeline();
        p.Spec.Autoscaling = new AutoscalingSpec { Mode = ScalingMode.Keda, MinReplicas = 0, MaxReplicas = 7, MessagesPerReplica = 30, ActivationMessages = 2 };
        var so = DesiredObjects.ScaledObject(p);
        var trig = so["spec"]!["triggers"]![0]!;
        Assert.Equal("rabbitmq", (string?)trig["type"]);
        Assert.Equal("QueueLength", (string?)trig["metadata"]!["mode"]);
        Assert.Equal("http", (string?)trig["metadata"]!["protocol"]);
        Assert.Equal("false", (string?)trig["metadata"]!["excludeUnacknowledged"]);
        Assert.Equal("30", (string?)trig["metadata"]!["value"]);
        Assert.Equal("2", (string?)trig["metadata"]!["activationValue"]);
        Assert.Equal(7, so["spec"]!["maxReplicaCount"]!.GetValue<int>());
        Assert.Equal("retail-worker", (string?)so["spec"]!["scaleTargetRef"]!["name"]);
    }

    [Theory]
    [InlineData("ktp.jobs.retail", "ktp.jobs", "retail")]
    [InlineData("retail", "ktp.jobs", "retail")]
    [InlineData("bank.jobs.kyc", "bank.jobs", "kyc")]
    public void The_worker_pipeline_is_the_queue_name_without_its_exchange_prefix(string queue, string exchange, string pipeline) =>
        Assert.Equal(pipeline, DesiredObjects.WorkerPipeline(new QueueSpec { Name = queue, Exchange = exchange }));
}
