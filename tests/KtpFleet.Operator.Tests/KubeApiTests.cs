using System.Text.Json.Nodes;
using KtpFleet.Operator.Controller;
using KtpFleet.Operator.Kube;
using KtpFleet.Operator.Tests.Fake;
using Microsoft.Extensions.Logging.Abstractions;

namespace KtpFleet.Operator.Tests;

/// <summary>Our client against the fake API server, checking the documented API semantics both rely on.</summary>
public class KubeApiTests : IAsyncLifetime
{
    private FakeApiServer _server = null!;
    private KubeClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeApiServer.StartAsync(Repo.CrdPath);
        _client = _server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private static JsonObject ConfigMap(string name, string value) => new()
    {
        ["apiVersion"] = "v1", ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "ktp" },
        ["data"] = new JsonObject { ["k"] = value },
    };

    [Fact]
    public async Task Stale_resource_version_is_a_typed_409_conflict_and_missing_is_404()
    {
        var created = await _client.CreateAsync(ResourceKind.ConfigMaps, "ktp", ConfigMap("a", "1"));
        var again = await Assert.ThrowsAsync<KubeApiException>(() => _client.CreateAsync(ResourceKind.ConfigMaps, "ktp", ConfigMap("a", "1")));
        Assert.True(again.IsAlreadyExists);
        var first = (JsonObject)created.DeepClone();
        first["data"]!["k"] = "2";
        await _client.ReplaceAsync(ResourceKind.ConfigMaps, first);
        created["data"]!["k"] = "3"; // still carries the old resourceVersion
        var conflict = await Assert.ThrowsAsync<KubeApiException>(() => _client.ReplaceAsync(ResourceKind.ConfigMaps, created));
        Assert.True(conflict.IsConflict);
        Assert.Equal("Conflict", conflict.Reason);
        Assert.Null(await _client.GetAsync(ResourceKind.ConfigMaps, "ktp", "nope"));
        var missing = await Assert.ThrowsAsync<KubeApiException>(() => _client.MergePatchAsync(ResourceKind.ConfigMaps, "ktp", "nope", new JsonObject()));
        Assert.True(missing.IsNotFound);
    }

    [Fact]
    public async Task Server_side_apply_creates_updates_removes_unapplied_fields_and_reports_conflicts()
    {
        var cm = ConfigMap("ssa", "1");
        cm["data"]!["extra"] = "x";
        var created = await _client.ApplyAsync(ResourceKind.ConfigMaps, cm, "mgr-a", force: false);
        Assert.Equal("x", (string?)created["data"]!["extra"]);
        var rv1 = (string?)created["metadata"]!["resourceVersion"];

        // Re-applying the same configuration is a no-op: resourceVersion unchanged.
        var same = await _client.ApplyAsync(ResourceKind.ConfigMaps, cm, "mgr-a", force: false);
        Assert.Equal(rv1, (string?)same["metadata"]!["resourceVersion"]);

        // A field the manager stops applying is removed.
        var updated = await _client.ApplyAsync(ResourceKind.ConfigMaps, ConfigMap("ssa", "2"), "mgr-a", force: false);
        Assert.Equal("2", (string?)updated["data"]!["k"]);
        Assert.Null(updated["data"]!["extra"]);

        // Another manager changing an owned field conflicts unless it forces.
        var conflict = await Assert.ThrowsAsync<KubeApiException>(() => _client.ApplyAsync(ResourceKind.ConfigMaps, ConfigMap("ssa", "9"), "mgr-b", force: false));
        Assert.True(conflict.IsConflict);
        Assert.Contains("mgr-a", conflict.Message);
        var forced = await _client.ApplyAsync(ResourceKind.ConfigMaps, ConfigMap("ssa", "9"), "mgr-b", force: true);
        Assert.Equal("9", (string?)forced["data"]!["k"]);
        Assert.Contains(_server.Requests, r => r.StartsWith("PATCH /api/v1/namespaces/ktp/configmaps/ssa?fieldManager=mgr-b&force=true application/apply-patch+yaml", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Status_subresource_and_generation_semantics()
    {
        var p = System.Text.Json.JsonSerializer.SerializeToNode(Samples.Pipeline(), Resources.KubeJson.Options)!.AsObject();
        ((JsonObject)p["metadata"]!).Remove("uid");
        ((JsonObject)p["metadata"]!).Remove("generation");
        p["status"] = new JsonObject { ["queueDepth"] = 99 };
        var created = await _client.CreateAsync(ResourceKind.Pipelines, "ktp", p);
        Assert.Null(created["status"]); // status is ignored on create
        Assert.Equal(1, created["metadata"]!["generation"]!.GetValue<long>());

        var status = await _client.ApplyAsync(ResourceKind.Pipelines, new JsonObject
        {
            ["apiVersion"] = "ocr.ktpfleet.io/v1alpha1", ["kind"] = "KtpOcrPipeline",
            ["metadata"] = new JsonObject { ["name"] = "retail", ["namespace"] = "ktp" },
            ["status"] = new JsonObject { ["queueDepth"] = 7 },
            ["spec"] = new JsonObject { ["paused"] = true }, // ignored on /status
        }, "op", subresource: "status");
        Assert.Equal(7, status["status"]!["queueDepth"]!.GetValue<long>());
        Assert.False(status["spec"]!["paused"]!.GetValue<bool>());
        Assert.Equal(1, status["metadata"]!["generation"]!.GetValue<long>()); // status writes never bump generation

        var spec = await _client.MergePatchAsync(ResourceKind.Pipelines, "ktp", "retail", new JsonObject
        {
            ["spec"] = new JsonObject { ["paused"] = true }, ["status"] = new JsonObject { ["queueDepth"] = 1 },
        });
        Assert.Equal(2, spec["metadata"]!["generation"]!.GetValue<long>());
        Assert.Equal(7, spec["status"]!["queueDepth"]!.GetValue<long>()); // main resource writes ignore status

        var labelsOnly = await _client.MergePatchAsync(ResourceKind.Pipelines, "ktp", "retail", new JsonObject
        {
            ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["team"] = "ocr" } },
        });
        Assert.Equal(2, labelsOnly["metadata"]!["generation"]!.GetValue<long>()); // metadata is not spec
    }

    [Fact]
    public async Task Finalizers_hold_a_deleted_object_until_removed_and_owned_objects_are_collected()
    {
        var owner = ConfigMap("owner", "1");
        owner["metadata"]!["finalizers"] = new JsonArray("example.com/hold");
        var created = await _client.CreateAsync(ResourceKind.ConfigMaps, "ktp", owner);
        var child = ConfigMap("child", "1");
        child["metadata"]!["ownerReferences"] = new JsonArray(new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["name"] = "owner", ["uid"] = (string?)created["metadata"]!["uid"],
        });
        await _client.CreateAsync(ResourceKind.ConfigMaps, "ktp", child);

        Assert.True(await _client.DeleteAsync(ResourceKind.ConfigMaps, "ktp", "owner"));
        var terminating = await _client.GetAsync(ResourceKind.ConfigMaps, "ktp", "owner");
        Assert.NotNull(terminating!["metadata"]!["deletionTimestamp"]);
        var add = (JsonObject)terminating.DeepClone();
        add["metadata"]!["finalizers"] = new JsonArray("example.com/hold", "example.com/another");
        var forbidden = await Assert.ThrowsAsync<KubeApiException>(() => _client.ReplaceAsync(ResourceKind.ConfigMaps, add));
        Assert.True(forbidden.IsInvalid);

        await _client.MergePatchAsync(ResourceKind.ConfigMaps, "ktp", "owner", new JsonObject
        {
            ["metadata"] = new JsonObject { ["finalizers"] = new JsonArray(), ["resourceVersion"] = (string?)terminating["metadata"]!["resourceVersion"] },
        });
        Assert.Null(await _client.GetAsync(ResourceKind.ConfigMaps, "ktp", "owner"));
        Assert.Null(await _client.GetAsync(ResourceKind.ConfigMaps, "ktp", "child"));
    }

    [Fact]
    public async Task Watch_resumes_from_a_resource_version_sends_bookmarks_and_410_after_compaction()
    {
        _server.BookmarkInterval = TimeSpan.FromMilliseconds(100);
        await _client.CreateAsync(ResourceKind.ConfigMaps, "ktp", ConfigMap("w1", "1"));
        var list = await _client.ListAsync(ResourceKind.ConfigMaps, "ktp");
        await _client.CreateAsync(ResourceKind.ConfigMaps, "ktp", ConfigMap("w2", "1"));

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var seen = new List<WatchEvent>();
        await foreach (var e in _client.WatchAsync(ResourceKind.ConfigMaps, "ktp", list.ResourceVersion, 30, cts.Token))
        {
            seen.Add(e);
            if (e.Type == "BOOKMARK") break;
        }
        Assert.Equal("ADDED", seen[0].Type);
        Assert.Equal("w2", (string?)seen[0].Object["metadata"]!["name"]); // only what happened after the list
        Assert.Equal("BOOKMARK", seen[^1].Type);
        Assert.True(long.Parse(seen[^1].ResourceVersion!) >= long.Parse(seen[0].ResourceVersion!));

        _server.Compact();
        var gone = await Assert.ThrowsAsync<KubeApiException>(async () =>
        {
            await foreach (var _ in _client.WatchAsync(ResourceKind.ConfigMaps, "ktp", list.ResourceVersion, 30, cts.Token)) { }
        });
        Assert.True(gone.IsGone);
    }

    [Fact]
    public async Task Informer_relists_after_410_and_resumes_after_a_dropped_watch_without_losing_changes()
    {
        _server.BookmarkInterval = TimeSpan.FromMilliseconds(100);
        var informer = new Informer(_client, ResourceKind.ConfigMaps, "ktp", NullLogger.Instance);
        using var cts = new CancellationTokenSource();
        var run = informer.RunAsync(cts.Token);
        await informer.Synced.WaitAsync(TimeSpan.FromSeconds(10));

        await _client.CreateAsync(ResourceKind.ConfigMaps, "ktp", ConfigMap("i1", "1"));
        await Poll.UntilAsync(() => informer.Get("ktp/i1"), o => o is not null, "i1 in cache");

        _server.DropWatches();
        await _client.CreateAsync(ResourceKind.ConfigMaps, "ktp", ConfigMap("i2", "1"));
        await Poll.UntilAsync(() => informer.Get("ktp/i2"), o => o is not null, "i2 after dropped watch");
        Assert.Equal(1, informer.Relists); // resumed, not relisted

        // Changes made while the watch is down and history is compacted: only a relist can see them.
        _server.Stalled = true;
        await _client.DeleteAsync(ResourceKind.ConfigMaps, "ktp", "i1");
        await _client.CreateAsync(ResourceKind.ConfigMaps, "ktp", ConfigMap("i3", "1"));
        _server.Compact();
        _server.Stalled = false;
        _server.DropWatches();
        await Poll.UntilAsync(() => informer.Get("ktp/i3"), o => o is not null, "i3 after relist");
        Assert.Null(informer.Get("ktp/i1"));
        Assert.True(informer.Relists >= 2);
        await cts.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Leader_election_on_a_lease_with_fencing_on_a_failed_renew()
    {
        var options = new LeaderElectionOptions("ktp", "ktp-operator-leader", "replica-a")
        {
            LeaseDuration = TimeSpan.FromSeconds(15), RetryPeriod = TimeSpan.FromMilliseconds(100),
        };
        var a = new LeaderElector(_client, options, NullLogger.Instance);
        var b = new LeaderElector(_client, options with { Identity = "replica-b" }, NullLogger.Instance);
        Assert.True(await a.TryAcquireOrRenewAsync(CancellationToken.None));
        Assert.False(await b.TryAcquireOrRenewAsync(CancellationToken.None)); // held and not expired
        Assert.True(await a.TryAcquireOrRenewAsync(CancellationToken.None)); // renew

        var leading = new TaskCompletionSource<CancellationToken>();
        var stopped = new TaskCompletionSource();
        var run = a.RunAsync(async token =>
        {
            leading.SetResult(token);
            try { await Task.Delay(Timeout.Infinite, token); } catch (OperationCanceledException) { stopped.SetResult(); }
        }, CancellationToken.None);
        var tokenOfLeader = await leading.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(a.IsLeader);

        // Another replica takes the lease over (e.g. after a network partition): a's next renew fails.
        var lease = (await _client.GetAsync(ResourceKind.Leases, "ktp", "ktp-operator-leader"))!;
        lease["spec"]!["holderIdentity"] = "replica-b";
        await _client.ReplaceAsync(ResourceKind.Leases, lease);
        await stopped.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(tokenOfLeader.IsCancellationRequested);
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(a.IsLeader);
    }

    [Fact]
    public async Task An_expired_lease_is_taken_over_and_the_transition_counted()
    {
        await _client.CreateAsync(ResourceKind.Leases, "ktp", new JsonObject
        {
            ["apiVersion"] = "coordination.k8s.io/v1", ["kind"] = "Lease",
            ["metadata"] = new JsonObject { ["name"] = "ktp-operator-leader", ["namespace"] = "ktp" },
            ["spec"] = new JsonObject
            {
                ["holderIdentity"] = "crashed-replica", ["leaseDurationSeconds"] = 15, ["leaseTransitions"] = 3,
                ["acquireTime"] = "2026-01-01T00:00:00.000000Z", ["renewTime"] = DateTime.UtcNow.AddMinutes(-1).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'"),
            },
        });
        var b = new LeaderElector(_client, new LeaderElectionOptions("ktp", "ktp-operator-leader", "replica-b"), NullLogger.Instance);
        Assert.True(await b.TryAcquireOrRenewAsync(CancellationToken.None));
        var lease = (await _client.GetAsync(ResourceKind.Leases, "ktp", "ktp-operator-leader"))!["spec"]!;
        Assert.Equal("replica-b", (string?)lease["holderIdentity"]);
        Assert.Equal(4, lease["leaseTransitions"]!.GetValue<int>());
        Assert.NotEqual("2026-01-01T00:00:00.000000Z", (string?)lease["acquireTime"]);
    }

    [Fact]
    public async Task A_hung_request_times_out_instead_of_stalling_the_caller()
    {
        var http = new HttpClient { BaseAddress = _server.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        using var client = new KubeClient(http) { RequestTimeout = TimeSpan.FromMilliseconds(300) };
        _server.HangRequests = true;
        var started = DateTime.UtcNow;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetAsync(ResourceKind.ConfigMaps, "ktp", "x"));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
        _server.HangRequests = false;
        // The same connection pool answers again once the server does. With the default timeout: 300 ms also cut
        // this healthy request short now and then on a loaded 2-core CI machine.
        var after = new KubeClient(http);
        Assert.Null(await after.GetAsync(ResourceKind.ConfigMaps, "ktp", "x"));
    }
}
