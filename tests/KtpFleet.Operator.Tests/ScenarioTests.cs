using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using KtpFleet.Operator.Controller;
using KtpFleet.Operator.Desired;
using KtpFleet.Operator.Kube;
using KtpFleet.Operator.RabbitMq;
using KtpFleet.Operator.Resources;
using KtpFleet.Operator.Tests.Fake;
using Microsoft.Extensions.Logging.Abstractions;

namespace KtpFleet.Operator.Tests;

/// <summary>
/// The operator end to end: the real controller against the fake API server, and the real RabbitMQ management API
/// for queues, bindings and depth. Each test uses its own namespace and queue names.
/// </summary>
public class ScenarioTests : IAsyncLifetime
{
    private FakeApiServer _server = null!;
    private KubeClient _client = null!;
    private RabbitManagementClient _broker = null!;
    private OperatorHost _host = null!;
    private CancellationTokenSource _stop = null!;
    private Task _run = null!;
    private readonly string _ns = Samples.UniqueName("ns");
    // Own exchange per test: tenant routing keys repeat across tests, and a shared exchange would route one test's
    // messages into another's queue.
    private readonly string _exchange = Samples.UniqueName("ktp.optest");
    private readonly List<string> _queues = [];
    private int _healthPort;
    private RabbitManagementClient? _otherBroker;

    public async Task InitializeAsync()
    {
        await Rabbit.EnsureUpAsync();
        _server = await FakeApiServer.StartAsync(Repo.CrdPath);
        _server.BookmarkInterval = TimeSpan.FromMilliseconds(200);
        _client = _server.CreateClient();
        _broker = new RabbitManagementClient(Rabbit.Management, Rabbit.User, Rabbit.Password);
    }

    private void StartOperator(LeaderElectionOptions? leaderElection = null, TimeSpan? stallAfter = null, Uri? rabbit = null)
    {
        _healthPort = FreePort();
        var options = new OperatorOptions
        {
            Controller = new ControllerOptions
            {
                Namespace = _ns, ResyncPeriod = TimeSpan.FromSeconds(30), BackoffBase = TimeSpan.FromMilliseconds(50),
                BackoffMax = TimeSpan.FromSeconds(2), WatchStallAfter = stallAfter ?? TimeSpan.FromMinutes(5), WatchTimeoutSeconds = 60,
            },
            LeaderElection = leaderElection,
            RabbitManagementUri = rabbit ?? Rabbit.Management, RabbitUser = Rabbit.User, RabbitPassword = Rabbit.Password,
            HealthUrl = $"http://127.0.0.1:{_healthPort}",
            DrainConfirmation = TimeSpan.FromSeconds(6), // just above RabbitMQ's 5 s statistics interval
        };
        IQueueBroker broker = _broker;
        if (rabbit is not null) broker = _otherBroker = OperatorHost.CreateBroker(options);
        _host = new OperatorHost(_client, broker, options, NullLoggerFactory.Instance);
        _stop = new CancellationTokenSource();
        _run = _host.RunAsync(_stop.Token);
    }

    public async Task DisposeAsync()
    {
        if (_stop is not null)
        {
            await _stop.CancelAsync();
            await _run.WaitAsync(TimeSpan.FromSeconds(20));
        }
        foreach (var q in _queues) await Rabbit.DeleteQueueAsync(q);
        await Rabbit.DeleteExchangeAsync(_exchange);
        _broker.Dispose();
        _otherBroker?.Dispose();
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private KtpOcrPipeline NewPipeline(string name, Action<KtpOcrPipeline>? change = null)
    {
        var queue = Samples.UniqueName("ktp.optest");
        _queues.Add(queue);
        var p = Samples.Pipeline(name, _ns, queue);
        p.Metadata = new ObjectMeta { Name = name, Namespace = _ns };
        p.Spec.Queue.Exchange = _exchange;
        p.Spec.Autoscaling = new AutoscalingSpec
        {
            Mode = ScalingMode.Builtin, MinReplicas = 1, MaxReplicas = 4, MessagesPerReplica = 20,
            ScaleDownStabilizationSeconds = 0, PollingIntervalSeconds = 1,
        };
        change?.Invoke(p);
        return p;
    }

    private async Task<JsonObject> CreateAsync(KtpOcrPipeline p) =>
        await _client.CreateAsync(ResourceKind.Pipelines, _ns, JsonSerializer.SerializeToNode(p, KubeJson.Options)!.AsObject());

    private async Task<KtpOcrPipeline> PipelineAsync(string name) =>
        (await _client.GetAsync(ResourceKind.Pipelines, _ns, name))?.Deserialize<KtpOcrPipeline>(KubeJson.Options)
        ?? throw new InvalidOperationException($"pipeline {name} is gone");

    private Task<KtpOcrPipeline> StatusUntil(string name, Func<KtpOcrPipeline, bool> done, string what, int seconds = 30) =>
        Poll.UntilAsync(() => PipelineAsync(name), done, what, TimeSpan.FromSeconds(seconds));

    private static string? Cond(KtpOcrPipeline? p, string type) => Conditions.Find(p?.Status?.Conditions, type) is { } c ? $"{c.Status}/{c.Reason}" : null;

    private Task PatchSpecAsync(string name, JsonObject spec) =>
        _client.MergePatchAsync(ResourceKind.Pipelines, _ns, name, new JsonObject { ["spec"] = spec });

    [Fact]
    public async Task Create_makes_queue_bindings_deployment_configmap_finalizer_events_and_status()
    {
        StartOperator();
        var p = NewPipeline("create");
        await CreateAsync(p);

        var deployment = await Poll.UntilAsync(() => _server.Get("deployments", _ns, "create-worker"), d => d is not null, "worker deployment");
        Assert.Equal(1, deployment!["spec"]!["replicas"]!.GetValue<long>());
        Assert.Equal("KtpOcrPipeline", (string?)deployment["metadata"]!["ownerReferences"]![0]!["kind"]);
        Assert.NotNull(_server.Get("configmaps", _ns, "create-tenant-policy"));
        Assert.Equal(["tenant.bank-satu", "tenant.koperasi-dua"], (await _broker.GetBindingsAsync("/", _exchange, p.Spec.Queue.Name, default)).Order().ToArray());

        _server.CompleteDeploymentRollout(_ns, "create-worker");
        var ready = await StatusUntil("create", s => Cond(s, Conditions.Ready) == "True/Available", "Ready");
        Assert.Equal(ready.Metadata.Generation, ready.Status!.ObservedGeneration);
        Assert.Equal("4.1.0-fast", ready.Status.ActiveModelVersion);
        Assert.Equal("False/RolloutComplete", Cond(ready, Conditions.Progressing));
        Assert.Equal("False/AsExpected", Cond(ready, Conditions.Degraded));
        Assert.Equal(PipelineNames.Selector(ready), ready.Status.Selector);
        Assert.Contains(PipelineNames.Finalizer, ready.Metadata.Finalizers!);
        await Poll.UntilAsync(() => _server.List("events", _ns), l => l.Any(e => (string?)e["reason"] == "WorkersCreated"), "created event");

        // Keda mode: an owned ScaledObject, and replicas no longer in our apply.
        await PatchSpecAsync("create", new JsonObject { ["autoscaling"] = new JsonObject { ["mode"] = "Keda" } });
        var so = await Poll.UntilAsync(() => _server.Get("scaledobjects", _ns, "create-worker"), o => o is not null, "ScaledObject");
        Assert.Equal(p.Spec.Queue.Name, (string?)so!["spec"]!["triggers"]![0]!["metadata"]!["queueName"]);
        await Poll.UntilAsync(() => _server.Get("deployments", _ns, "create-worker"), d => d!["spec"]!["replicas"] is null,
            "replicas left to KEDA (no longer owned, so removed by apply)");
    }

    [Fact]
    public async Task Model_version_change_rolls_workers_and_status_shows_old_to_new()
    {
        StartOperator();
        await CreateAsync(NewPipeline("model"));
        await Poll.UntilAsync(() => _server.Get("deployments", _ns, "model-worker"), d => d is not null, "deployment");
        _server.CompleteDeploymentRollout(_ns, "model-worker");
        await StatusUntil("model", s => s.Status?.ActiveModelVersion == "4.1.0-fast", "first model active");

        await PatchSpecAsync("model", new JsonObject { ["model"] = new JsonObject { ["tessdataVersion"] = "4.2.0", ["source"] = new JsonObject { ["image"] = "registry.example.com/ktpfleet/tessdata:4.2.0" } } });
        await Poll.UntilAsync(() => _server.Get("deployments", _ns, "model-worker"),
            d => (string?)d!["spec"]!["template"]!["metadata"]!["annotations"]![PipelineNames.TessdataAnnotation] == "4.2.0", "new template");
        _server.StartDeploymentRollout(_ns, "model-worker");
        var rolling = await StatusUntil("model", s => s.Status?.ModelRollout == "4.1.0-fast → 4.2.0", "rollout in status");
        Assert.Equal("4.1.0-fast", rolling.Status!.ActiveModelVersion);
        Assert.Equal("True/RollingOut", Cond(rolling, Conditions.Progressing));

        _server.CompleteDeploymentRollout(_ns, "model-worker");
        var done = await StatusUntil("model", s => s.Status?.ActiveModelVersion == "4.2.0", "new model active");
        Assert.Null(done.Status!.ModelRollout);
        await Poll.UntilAsync(() => _server.List("events", _ns), l => l.Any(e => (string?)e["reason"] == "ModelRollout"), "rollout event");
    }

    [Fact]
    public async Task Tenant_threshold_change_updates_the_configmap_without_restarting_workers()
    {
        StartOperator();
        await CreateAsync(NewPipeline("tenant"));
        var before = await Poll.UntilAsync(() => _server.Get("deployments", _ns, "tenant-worker"), d => d is not null, "deployment");
        var p = await PipelineAsync("tenant");
        p.Spec.Tenants[0].AutoAcceptConfidence = 0.75;
        await PatchSpecAsync("tenant", new JsonObject { ["tenants"] = JsonSerializer.SerializeToNode(p.Spec.Tenants, KubeJson.Options) });

        var cm = await Poll.UntilAsync(() => _server.Get("configmaps", _ns, "tenant-tenant-policy"),
            c => JsonNode.Parse((string)c!["data"]![PipelineNames.PolicyFile]!)!["tenants"]!["bank-satu"]!["verdict"]!["auto_accept_confidence"]!.GetValue<double>() == 0.75,
            "threshold in ConfigMap");
        Assert.NotNull(cm);
        var after = _server.Get("deployments", _ns, "tenant-worker")!;
        Assert.Equal(before!["metadata"]!["generation"]!.ToJsonString(), after["metadata"]!["generation"]!.ToJsonString()); // no rollout
        Assert.True(JsonNode.DeepEquals(before["spec"]!["template"], after["spec"]!["template"]));
    }

    [Fact]
    public async Task Replicas_follow_queue_depth_up_and_down_within_bounds()
    {
        StartOperator();
        var p = NewPipeline("depth");
        await CreateAsync(p);
        await Poll.UntilAsync(() => _server.Get("deployments", _ns, "depth-worker"), d => d is not null, "deployment");
        await Poll.UntilAsync(() => Rabbit.QueueExistsAsync(p.Spec.Queue.Name), e => e, "queue");

        await Rabbit.PublishAsync(_exchange, PipelineNames.RoutingKey("bank-satu"), 70);
        await Rabbit.PublishAsync(_exchange, PipelineNames.RoutingKey("koperasi-dua"), 30);
        // 100 messages / 20 per replica = 5, bounded by maxReplicas 4.
        var up = await StatusUntil("depth", s => s.Status?.DesiredReplicas == 4, "scale up to max", 40);
        Assert.True(up.Status!.QueueDepth >= 100);
        Assert.StartsWith("True/", Cond(up, Conditions.ScalingActive));
        Assert.NotNull(up.Status.LastScaleTime);
        Assert.Equal(4, _server.Get("deployments", _ns, "depth-worker")!["spec"]!["replicas"]!.GetValue<long>());

        await Rabbit.DrainAsync(p.Spec.Queue.Name, 100);
        var down = await StatusUntil("depth", s => s.Status?.DesiredReplicas == 1 && s.Status.QueueDepth == 0, "scale down to min", 40);
        Assert.Equal(1, _server.Get("deployments", _ns, "depth-worker")!["spec"]!["replicas"]!.GetValue<long>());
        await Poll.UntilAsync(() => _server.List("events", _ns), l => l.Any(e => (string?)e["reason"] == "Scaled"), "scaled event");
        Assert.True((_host.Metrics.Value("ktp_operator_desired_replicas", ("namespace", _ns), ("pipeline", "depth")) ?? -1) == 1);
        Assert.NotNull(down);
    }

    [Fact]
    public async Task Delete_waits_for_the_queue_to_drain_then_removes_it_and_the_finalizer()
    {
        StartOperator();
        var p = NewPipeline("gone", x => x.Spec.Queue.DrainGraceSeconds = 600);
        await CreateAsync(p);
        await StatusUntil("gone", s => s.Metadata.Finalizers?.Contains(PipelineNames.Finalizer) == true && s.Status is not null, "finalizer");
        await Rabbit.PublishAsync(_exchange, PipelineNames.RoutingKey("bank-satu"), 3);
        await Poll.UntilAsync(() => _broker.GetDepthAsync("/", p.Spec.Queue.Name, default), d => d == 3, "depth visible", TimeSpan.FromSeconds(30));
        await _client.DeleteAsync(ResourceKind.Pipelines, _ns, "gone");

        var draining = await StatusUntil("gone", s => Cond(s, Conditions.Ready) == "False/Draining", "draining", 40);
        Assert.NotNull(draining.Metadata.DeletionTimestamp);
        Assert.True(await Rabbit.QueueExistsAsync(p.Spec.Queue.Name));

        await Rabbit.DrainAsync(p.Spec.Queue.Name, 3);
        await Poll.UntilAsync<JsonObject?>(async () => await _client.GetAsync(ResourceKind.Pipelines, _ns, "gone"), o => o is null, "pipeline gone", TimeSpan.FromSeconds(40));
        Assert.False(await Rabbit.QueueExistsAsync(p.Spec.Queue.Name));
        Assert.Null(_server.Get("deployments", _ns, "gone-worker")); // owned objects collected
    }

    [Fact]
    public async Task Delete_after_the_grace_period_removes_a_queue_that_still_has_messages()
    {
        StartOperator();
        var p = NewPipeline("grace", x => x.Spec.Queue.DrainGraceSeconds = 2);
        await CreateAsync(p);
        await StatusUntil("grace", s => s.Metadata.Finalizers?.Contains(PipelineNames.Finalizer) == true && s.Status is not null, "finalizer");
        await Rabbit.PublishAsync(_exchange, PipelineNames.RoutingKey("bank-satu"), 2);
        await Poll.UntilAsync(() => _broker.GetDepthAsync("/", p.Spec.Queue.Name, default), d => d == 2, "depth visible", TimeSpan.FromSeconds(30));
        await _client.DeleteAsync(ResourceKind.Pipelines, _ns, "grace");
        await Poll.UntilAsync<JsonObject?>(async () => await _client.GetAsync(ResourceKind.Pipelines, _ns, "grace"), o => o is null, "pipeline gone", TimeSpan.FromSeconds(30));
        Assert.False(await Rabbit.QueueExistsAsync(p.Spec.Queue.Name));
        await Poll.UntilAsync(() => _server.List("events", _ns), l => l.Any(e => (string?)e["reason"] == "QueueDeleted" && (string?)e["type"] == "Warning"), "queue deleted event");
    }

    [Fact]
    public async Task Invalid_spec_is_reported_in_conditions_and_changes_nothing()
    {
        StartOperator();
        // The fake API server, like a cluster without CEL, lets min > max through; the operator must not.
        await CreateAsync(NewPipeline("invalid", x => { x.Spec.Autoscaling.MinReplicas = 5; x.Spec.Autoscaling.MaxReplicas = 2; }));
        var bad = await StatusUntil("invalid", s => Cond(s, Conditions.Degraded) == "True/InvalidSpec", "InvalidSpec");
        Assert.Contains("minReplicas must not exceed maxReplicas", Conditions.Find(bad.Status!.Conditions, Conditions.Degraded)!.Message);
        Assert.Equal("False/InvalidSpec", Cond(bad, Conditions.Ready));
        Assert.Null(_server.Get("deployments", _ns, "invalid-worker"));
        await Poll.UntilAsync(() => _server.List("events", _ns), l => l.Any(e => (string?)e["reason"] == "InvalidSpec" && (string?)e["type"] == "Warning"), "warning event");

        await PatchSpecAsync("invalid", new JsonObject { ["autoscaling"] = new JsonObject { ["maxReplicas"] = 6 } });
        await StatusUntil("invalid", s => Cond(s, Conditions.Degraded) == "False/AsExpected", "fixed spec accepted");
        Assert.NotNull(_server.Get("deployments", _ns, "invalid-worker"));
    }

    [Fact]
    public async Task Recovers_from_dropped_watches_and_410_and_health_fails_on_a_stalled_watch()
    {
        StartOperator(stallAfter: TimeSpan.FromSeconds(2));
        await CreateAsync(NewPipeline("watch"));
        await Poll.UntilAsync(() => _server.Get("deployments", _ns, "watch-worker"), d => d is not null, "deployment");

        _server.Compact();
        _server.DropWatches();
        await PatchSpecAsync("watch", new JsonObject { ["worker"] = new JsonObject { ["enginesPerPod"] = 4 } });
        await Poll.UntilAsync(() => _server.Get("deployments", _ns, "watch-worker"),
            d => ((JsonArray)d!["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!).Any(e => (string?)e!["name"] == "KTP_ENGINES" && (string?)e["value"] == "4"),
            "change seen after 410 and relist");

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_healthPort}") };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
        var metrics = await http.GetStringAsync("/metrics");
        Assert.Contains("ktp_operator_reconciles_total{result=\"success\"}", metrics);
        Assert.Contains("ktp_operator_reconcile_duration_seconds_bucket", metrics);
        Assert.Contains($"ktp_operator_queue_depth{{namespace=\"{_ns}\",pipeline=\"watch\"}}", metrics);

        _server.Stalled = true;
        await Poll.UntilAsync<HttpStatusCode>(async () => (await http.GetAsync("/healthz")).StatusCode, c => c == HttpStatusCode.ServiceUnavailable, "healthz failing");
        _server.Stalled = false;
        await Poll.UntilAsync<HttpStatusCode>(async () => (await http.GetAsync("/healthz")).StatusCode, c => c == HttpStatusCode.OK, "healthz recovering");
    }

    [Fact]
    public async Task Losing_the_lease_stops_all_reconciling()
    {
        StartOperator(new LeaderElectionOptions(_ns, "ktp-operator-leader", "replica-a") { RetryPeriod = TimeSpan.FromMilliseconds(200) });
        await CreateAsync(NewPipeline("leader"));
        await Poll.UntilAsync(() => _server.Get("deployments", _ns, "leader-worker"), d => d is not null, "deployment while leading");

        var lease = (await _client.GetAsync(ResourceKind.Leases, _ns, "ktp-operator-leader"))!;
        lease["spec"]!["holderIdentity"] = "replica-b";
        await _client.ReplaceAsync(ResourceKind.Leases, lease);
        await _run.WaitAsync(TimeSpan.FromSeconds(10)); // the host returns: the process exits and restarts as a candidate
        Assert.False(_host.Elector!.IsLeader);

        var reconciles = _host.Controller!.Reconciles;
        await PatchSpecAsync("leader", new JsonObject { ["worker"] = new JsonObject { ["enginesPerPod"] = 5 } });
        await Task.Delay(1500); // nothing to poll for: asserting that nothing happens
        Assert.Equal(reconciles, _host.Controller.Reconciles);
        Assert.DoesNotContain(((JsonArray)_server.Get("deployments", _ns, "leader-worker")!["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!),
            e => (string?)e!["name"] == "KTP_ENGINES" && (string?)e["value"] == "5");
    }

    [Fact]
    public async Task Manual_mode_sets_replicas_and_paused_leaves_objects_alone()
    {
        StartOperator();
        await CreateAsync(NewPipeline("manual", x => x.Spec.Autoscaling = new AutoscalingSpec { Mode = ScalingMode.Manual, Replicas = 3, MinReplicas = 0, MaxReplicas = 5, PollingIntervalSeconds = 1 }));
        await Poll.UntilAsync(() => _server.Get("deployments", _ns, "manual-worker"), d => d?["spec"]?["replicas"]?.ToJsonString() == "3", "3 replicas");
        var s = await StatusUntil("manual", x => Cond(x, Conditions.ScalingActive) == "False/ManualScaling", "manual scaling condition");
        Assert.Equal(3, s.Status!.DesiredReplicas);

        await PatchSpecAsync("manual", new JsonObject { ["paused"] = true, ["autoscaling"] = new JsonObject { ["replicas"] = 1 } });
        await StatusUntil("manual", x => Cond(x, Conditions.Progressing) == "False/Paused" && x.Status!.ObservedGeneration == x.Metadata.Generation, "paused");
        Assert.Equal("3", _server.Get("deployments", _ns, "manual-worker")!["spec"]!["replicas"]!.ToJsonString());

        await PatchSpecAsync("manual", new JsonObject { ["paused"] = false });
        await Poll.UntilAsync(() => _server.Get("deployments", _ns, "manual-worker"), d => d?["spec"]?["replicas"]?.ToJsonString() == "1", "unpaused: 1 replica");
    }

    [Fact]
    public async Task The_command_line_runs_against_a_kubeconfig_as_from_a_laptop()
    {
        var dir = Directory.CreateTempSubdirectory("ktp-laptop-").FullName;
        try
        {
            var kubeconfig = Path.Combine(dir, "config");
            await File.WriteAllTextAsync(kubeconfig, $"""
                apiVersion: v1
                kind: Config
                clusters: [{"{"}name: fake, cluster: {"{"}server: "{_server.BaseAddress.ToString().TrimEnd('/')}"{"}"}{"}"}]
                users: [{"{"}name: me, user: {"{"}token: laptop{"}"}{"}"}]
                contexts: [{"{"}name: fake, context: {"{"}cluster: fake, user: me, namespace: {_ns}{"}"}{"}"}]
                current-context: fake
                """);
            await CreateAsync(NewPipeline("laptop"));
            using var stop = new CancellationTokenSource();
            var port = FreePort();
            var run = OperatorCommandLine.RunAsync(["run", "--kubeconfig", kubeconfig, "--health-url", $"http://127.0.0.1:{port}",
                "--rabbitmq-management", Rabbit.Management.ToString()], stop.Token);
            await Poll.UntilAsync(() => _server.Get("deployments", _ns, "laptop-worker"), d => d is not null, "deployment from the CLI-run operator");
            Assert.NotNull(_server.Get("leases", _ns, "ktp-operator-leader")); // leader election in the context's namespace
            Assert.Equal("Bearer laptop", _server.LastAuthorization);
            await stop.CancelAsync();
            Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(20)));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_spec_that_does_not_parse_is_reported_not_crashed_on()
    {
        StartOperator();
        var raw = JsonSerializer.SerializeToNode(NewPipeline("garbled"), KubeJson.Options)!.AsObject();
        raw["spec"]!["worker"]!["enginesPerPod"] = "many";
        await _client.CreateAsync(ResourceKind.Pipelines, _ns, raw);
        await CreateAsync(NewPipeline("healthy"));

        var bad = await Poll.UntilAsync(() => _server.Get("ktpocrpipelines", _ns, "garbled"),
            o => (o?["status"]?["conditions"] as JsonArray)?.Any(c => (string?)c!["reason"] == "InvalidSpec") == true, "InvalidSpec on garbled");
        var degraded = ((JsonArray)bad!["status"]!["conditions"]!).First(c => (string?)c!["type"] == "Degraded")!;
        Assert.Contains("spec could not be read", (string?)degraded["message"]);
        // The other pipeline is served normally.
        await Poll.UntilAsync(() => _server.Get("deployments", _ns, "healthy-worker"), d => d is not null, "healthy pipeline's workers");
        Assert.Null(_server.Get("deployments", _ns, "garbled-worker"));
    }

    [Fact]
    public async Task Unreachable_broker_is_reported_as_degraded_and_retried()
    {
        StartOperator(rabbit: new Uri($"http://127.0.0.1:{FreePort()}/"));
        await CreateAsync(NewPipeline("nobroker"));
        var s = await StatusUntil("nobroker", x => Cond(x, Conditions.Degraded) == "True/BrokerUnavailable", "BrokerUnavailable");
        Assert.Equal("False/BrokerUnavailable", Cond(s, Conditions.Ready));
        Assert.Null(_server.Get("deployments", _ns, "nobroker-worker"));
        await Poll.UntilAsync(() => _host.Metrics.Value("ktp_operator_reconciles_total", ("result", "success")) ?? 0, n => n >= 3,
            "retries with backoff");
    }

    [Fact]
    public async Task Keda_mode_without_keda_installed_is_reported_and_the_workers_still_run()
    {
        _server.NotServed.Add("scaledobjects");
        _server.NotServed.Add("triggerauthentications");
        StartOperator();
        await CreateAsync(NewPipeline("nokeda", x => x.Spec.Autoscaling.Mode = ScalingMode.Keda));
        var s = await StatusUntil("nokeda", x => Cond(x, Conditions.Degraded) == "True/KedaNotInstalled", "KedaNotInstalled");
        Assert.Equal("False/KedaNotInstalled", Cond(s, Conditions.ScalingActive));
        Assert.NotNull(_server.Get("deployments", _ns, "nokeda-worker"));
    }
}
