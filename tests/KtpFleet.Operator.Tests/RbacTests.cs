using System.Text.Json;
using System.Text.Json.Nodes;
using KtpFleet.Operator.Controller;
using KtpFleet.Operator.Kube;
using KtpFleet.Operator.Resources;
using KtpFleet.Operator.Tests.Fake;
using Microsoft.Extensions.Logging.Abstractions;

namespace KtpFleet.Operator.Tests;

/// <summary>operator/deploy's ClusterRole must allow every call the operator makes (recorded by the fake API server).</summary>
public class RbacTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Cluster_role_allows_every_request_the_operator_makes_through_a_pipeline_lifecycle()
    {
        await Rabbit.EnsureUpAsync();
        await using var server = await FakeApiServer.StartAsync(Repo.CrdPath);
        using var test = server.CreateClient();
        using var op = server.CreateClient(KubeConnection.UserAgent);
        using var broker = new RabbitMq.RabbitManagementClient(Rabbit.Management, Rabbit.User, Rabbit.Password);
        var ns = Samples.UniqueName("rbac");
        var queue = Samples.UniqueName("ktp.optest");
        var exchange = Samples.UniqueName("ktp.optest");
        var host = new OperatorHost(op, broker, new OperatorOptions
        {
            Controller = new ControllerOptions { Namespace = ns },
            LeaderElection = new LeaderElectionOptions(ns, "ktp-operator-leader", "rbac-test") { RetryPeriod = TimeSpan.FromMilliseconds(200) },
            RabbitManagementUri = Rabbit.Management, RabbitUser = Rabbit.User, RabbitPassword = Rabbit.Password,
            HealthUrl = "http://127.0.0.1:0", DrainConfirmation = TimeSpan.Zero,
        }, NullLoggerFactory.Instance);
        using var stop = new CancellationTokenSource();
        var run = host.RunAsync(stop.Token);
        try
        {
            var p = Samples.Pipeline("rbac", ns, queue);
            p.Metadata = new ObjectMeta { Name = "rbac", Namespace = ns };
            p.Spec.Queue.Exchange = exchange;
            await test.CreateAsync(ResourceKind.Pipelines, ns, JsonSerializer.SerializeToNode(p, KubeJson.Options)!.AsObject());
            await Poll.UntilAsync(() => server.Get("deployments", ns, "rbac-worker"), d => d is not null, "deployment");
            await test.MergePatchAsync(ResourceKind.Pipelines, ns, "rbac", new JsonObject { ["spec"] = new JsonObject { ["autoscaling"] = new JsonObject { ["mode"] = "Keda" } } });
            await Poll.UntilAsync(() => server.Get("scaledobjects", ns, "rbac-worker"), d => d is not null, "scaled object");
            await test.MergePatchAsync(ResourceKind.Pipelines, ns, "rbac", new JsonObject { ["spec"] = new JsonObject { ["autoscaling"] = new JsonObject { ["mode"] = "Builtin" } } });
            await Poll.UntilAsync(() => server.Get("scaledobjects", ns, "rbac-worker"), d => d is null, "scaled object removed");
            await test.DeleteAsync(ResourceKind.Pipelines, ns, "rbac");
            await Poll.UntilAsync(() => server.Get("ktpocrpipelines", ns, "rbac"), d => d is null, "pipeline finalized", TimeSpan.FromSeconds(40));
        }
        finally
        {
            await stop.CancelAsync();
            await run.WaitAsync(TimeSpan.FromSeconds(20));
            await Rabbit.DeleteQueueAsync(queue);
            await Rabbit.DeleteExchangeAsync(exchange);
        }

        // A figure for docs/operator.md: reconcile cost against the fake API server and the real RabbitMQ.
        var text = host.Metrics.Render();
        double Metric(string name) => double.Parse(text.Split('\n').First(l => l.StartsWith(name + " ", StringComparison.Ordinal)).Split(' ')[1],
            System.Globalization.CultureInfo.InvariantCulture);
        var count = Metric("ktp_operator_reconcile_duration_seconds_count");
        output.WriteLine($"reconciles: {count}, mean {Metric("ktp_operator_reconcile_duration_seconds_sum") / count * 1000:F1} ms, API requests: {server.Log.Count}");

        var allowed = Allowed();
        List<FakeApiServer.LoggedRequest> made;
        lock (server.Requests) made = server.Log.Where(r => r.UserAgent.StartsWith(KubeConnection.UserAgent, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(made);
        var needed = made.SelectMany(Verbs).Distinct().ToList();
        var missing = needed.Where(n => !allowed.Contains(n)).ToList();
        Assert.True(missing.Count == 0, "RBAC lacks: " + string.Join(", ", missing));
        foreach (var must in new[] { "apps/deployments:patch", "ocr.ktpfleet.io/ktpocrpipelines/status:patch", "coordination.k8s.io/leases:update", "keda.sh/scaledobjects:delete", "/events:create" })
            Assert.Contains(must, needed);
    }

    private static IEnumerable<string> Verbs(FakeApiServer.LoggedRequest r)
    {
        var parts = r.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var (group, i) = parts[0] == "api" ? ("", 2) : (parts[1], 3);
        if (parts.Length > i + 1 && parts[i] == "namespaces") i += 2;
        var resource = parts[i];
        var named = parts.Length > i + 1;
        if (parts.Length > i + 2) resource += "/" + parts[i + 2];
        var verbs = r.Method switch
        {
            "GET" when !named && r.Query.Contains("watch=true", StringComparison.Ordinal) => ["watch"],
            "GET" when !named => ["list"],
            "GET" => ["get"],
            "POST" => ["create"],
            "PUT" => ["update"],
            // Server-side apply may create the object, which needs create as well as patch.
            "PATCH" when r.ContentType?.Contains("apply-patch", StringComparison.Ordinal) == true && !resource.Contains('/') => ["patch", "create"],
            "PATCH" => ["patch"],
            "DELETE" => ["delete"],
            _ => new[] { r.Method },
        };
        return verbs.Select(v => $"{group}/{resource}:{v}");
    }

    private static HashSet<string> Allowed()
    {
        var docs = YamlJson.ParseAll(File.ReadAllText(Path.Combine(Repo.Root, "operator", "deploy", "rbac.yaml")));
        var role = docs.Single(d => (string?)d["kind"] == "ClusterRole");
        var set = new HashSet<string>();
        foreach (var rule in (JsonArray)role["rules"]!)
            foreach (var g in (JsonArray)rule!["apiGroups"]!)
                foreach (var res in (JsonArray)rule["resources"]!)
                    foreach (var v in (JsonArray)rule["verbs"]!)
                        set.Add($"{(string?)g}/{(string?)res}:{(string?)v}");
        return set;
    }
}
