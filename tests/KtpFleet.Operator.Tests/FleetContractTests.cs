using KtpFleet.Fleet.Messaging;
using KtpFleet.Fleet.Tenants;
using System.Text.Json;
using KtpFleet.Operator.Desired;
using KtpFleet.Operator.Kube;
using KtpFleet.Operator.Resources;

namespace KtpFleet.Operator.Tests;

/// <summary>What the operator writes for the workers is what the fleet's own code reads.</summary>
public sealed class FleetContractTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("policy-contract").FullName;

    [Fact]
    public void The_tenant_policy_file_is_read_by_the_fleets_reader_with_every_threshold()
    {
        var p = Samples.Pipeline();
        var path = Path.Combine(_dir, PipelineNames.PolicyFile);
        File.WriteAllText(path, DesiredObjects.TenantPolicyDocument(p).ToJsonString());
        using var file = new TenantPolicyFile(path, TimeSpan.FromHours(1));
        Exception? failed = null;
        file.ReloadFailed += e => failed = e;
        file.Reload();
        Assert.Null(failed);

        var bank = p.Spec.Tenants.Single(t => t.Id == "bank-satu");
        var policy = file.For("bank-satu");
        Assert.Equal(bank.AutoAcceptConfidence, policy.Verdict.AutoAcceptConfidence);
        Assert.Equal(0.97, policy.Verdict.ThresholdFor("nik"));
        Assert.Equal(["nik", "nama"], policy.Verdict.RequiredFields);
        Assert.Equal(bank.FailedCheckForcesReview, policy.Verdict.FailedCheckForcesReview);
        Assert.Equal(bank.Upload.MaxBytes, policy.MaxImageBytes);
        Assert.Equal(bank.RateLimit.RequestsPerSecond, policy.RateLimitPerSecond);
        // A tenant the pipeline does not list gets the defaults, not another tenant's thresholds.
        Assert.Equal(TenantPolicy.Default.Verdict.AutoAcceptConfidence, file.For("someone-else").Verdict.AutoAcceptConfidence);
    }

    [Fact]
    public void Tenants_are_bound_with_the_routing_key_the_ingest_api_publishes_with() =>
        Assert.Equal(Topology.RoutingKeyFor("bank-satu"), PipelineNames.RoutingKey("bank-satu"));

    [Fact]
    public void The_worker_consumes_the_queue_the_operator_declares_when_named_exchange_dot_pipeline()
    {
        // The shipped example (and the chart's default, ktp.jobs.<pipeline>) follow the worker's naming.
        var example = YamlJson.Parse(File.ReadAllText(Repo.ExamplePath)).Deserialize<KtpOcrPipeline>(KubeJson.Options)!;
        var queue = example.Spec.Queue;
        Assert.Equal(queue.Name, new Topology(DesiredObjects.WorkerPipeline(queue), queue.Exchange).WorkQueue);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
