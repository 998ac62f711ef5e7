using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using KtpFleet.Operator.Kube;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KtpFleet.Operator.Tests.Fake;

/// <summary>
/// An in-process Kubernetes API server (Kestrel on loopback) faithful to the documented behaviour the operator
/// relies on: one resourceVersion sequence, optimistic concurrency (409 Conflict), list + watch with replay from a
/// resourceVersion, bookmarks, 410 Expired for compacted history, server-side apply (create, update, field
/// ownership per manager, conflicts unless forced, removal of fields a manager stops applying), merge patch,
/// status subresource (main writes ignore status, status writes ignore the rest, generation bumps only on spec),
/// finalizers and deletionTimestamp, owner-reference garbage collection, discovery and Table output for kubectl.
/// Simplifications (documented in docs/operator.md): lists are atomic in apply (no merge by list-map key), no
/// admission, no schema validation (the CRD schema is checked offline by the tests instead).
/// </summary>
public sealed class FakeApiServer : IAsyncDisposable
{
    public sealed record Kind(string Group, string Version, string Plural, string KindName, bool Namespaced, bool StatusSubresource,
        string[]? ShortNames = null)
    {
        public string GroupVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";
    }

    public static readonly Kind[] Kinds =
    [
        new("", "v1", "configmaps", "ConfigMap", true, false, ["cm"]),
        new("", "v1", "events", "Event", true, false, ["ev"]),
        new("", "v1", "namespaces", "Namespace", false, true, ["ns"]),
        new("apps", "v1", "deployments", "Deployment", true, true, ["deploy"]),
        new("coordination.k8s.io", "v1", "leases", "Lease", true, false),
        new("ocr.ktpfleet.io", "v1alpha1", "ktpocrpipelines", "KtpOcrPipeline", true, true, ["ktpp"]),
        new("keda.sh", "v1alpha1", "scaledobjects", "ScaledObject", true, true, ["so"]),
        new("keda.sh", "v1alpha1", "triggerauthentications", "TriggerAuthentication", true, false),
    ];

    private sealed record Stored(Kind Kind, JsonObject Obj, Dictionary<string, HashSet<string>> Owners);
    private sealed record HistoryEntry(long Rv, Kind Kind, string? Ns, string Type, JsonObject Obj);
    private sealed record Watcher(Kind Kind, string? Ns, Channel<string> Events, CancellationTokenSource Drop);

    private readonly Lock _gate = new();
    private readonly Dictionary<(string Plural, string? Ns, string Name), Stored> _objects = [];
    private readonly List<HistoryEntry> _history = [];
    private readonly List<Watcher> _watchers = [];
    private long _rv = 100;
    private long _compactedBefore;
    private volatile bool _stalled;
    private readonly WebApplication _app;
    private readonly JsonArray? _pipelineColumns;
    private readonly JsonObject? _pipelineScale;

    public Uri BaseAddress { get; }
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromMilliseconds(500);
    /// <summary>Every request as "METHOD path?query content-type" for assertions.</summary>
    public List<string> Requests { get; } = [];
    public int WatchRequests;
    /// <summary>The Authorization header and client certificate subject of the latest request.</summary>
    public string? LastAuthorization { get; private set; }
    public string? LastClientCertificate { get; private set; }

    private FakeApiServer(WebApplication app, Uri baseAddress, JsonArray? columns, JsonObject? scale)
    {
        _app = app;
        BaseAddress = baseAddress;
        _pipelineColumns = columns;
        _pipelineScale = scale;
    }

    /// <param name="crdPath">The committed CRD: its printer columns drive the Table output kubectl asks for.</param>
    /// <param name="tls">Serve HTTPS with this certificate; client certificates are then requested and, when sent, must
    /// chain to <paramref name="clientCa"/>.</param>
    public static async Task<FakeApiServer> StartAsync(string? crdPath = null,
        System.Security.Cryptography.X509Certificates.X509Certificate2? tls = null,
        System.Security.Cryptography.X509Certificates.X509Certificate2? clientCa = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.UseUrls(tls is null ? "http://127.0.0.1:0" : "https://127.0.0.1:0");
        if (tls is not null)
            builder.WebHost.ConfigureKestrel(k => k.ConfigureHttpsDefaults(h =>
            {
                h.ServerCertificate = tls;
                h.ClientCertificateMode = Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.AllowCertificate;
                h.ClientCertificateValidation = (cert, _, _) =>
                {
                    if (clientCa is null) return false;
                    using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
                    chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(clientCa);
                    chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
                    return chain.Build(cert);
                };
            }));
        var app = builder.Build();
        JsonArray? columns = null;
        JsonObject? scale = null;
        if (crdPath is not null)
        {
            var version = YamlJson.Parse(File.ReadAllText(crdPath))["spec"]?["versions"]?[0];
            columns = version?["additionalPrinterColumns"] as JsonArray;
            scale = version?["subresources"]?["scale"] as JsonObject;
        }
        FakeApiServer? self = null;
        app.Run(ctx => self!.HandleAsync(ctx));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new FakeApiServer(app, new Uri(address), columns, scale);
        return self;
    }

    public KubeClient CreateClient(string? userAgent = null)
    {
        var http = new HttpClient { BaseAddress = BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        if (userAgent is not null) http.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        return new KubeClient(http);
    }

    public sealed record LoggedRequest(string UserAgent, string Method, string Path, string Query, string? ContentType);

    /// <summary>Every request with its User-Agent, for checks such as "RBAC allows what the operator does".</summary>
    public List<LoggedRequest> Log { get; } = [];

    // ---------- test hooks ----------

    public long CurrentResourceVersion { get { lock (_gate) return _rv; } }

    /// <summary>Forget the event history (etcd compaction): watches from older resourceVersions get 410.</summary>
    public void Compact() { lock (_gate) { _compactedBefore = _rv + 1; _history.Clear(); } }

    /// <summary>Cut every open watch connection, as a load balancer or API server restart would.</summary>
    public void DropWatches()
    {
        lock (_gate) foreach (var w in _watchers) w.Drop.Cancel();
    }

    /// <summary>Keep watch connections open but send nothing at all, not even bookmarks (a hung connection).</summary>
    public bool Stalled { get => _stalled; set => _stalled = value; }

    /// <summary>Resource types this server does not serve (e.g. "scaledobjects": a cluster without KEDA).</summary>
    public HashSet<string> NotServed { get; } = [];

    /// <summary>Accept requests (not watches) but never answer them.</summary>
    public bool HangRequests { get; set; }

    public JsonObject? Get(string plural, string? ns, string name)
    {
        lock (_gate) return _objects.TryGetValue((plural, ns, name), out var s) ? (JsonObject)s.Obj.DeepClone() : null;
    }

    public IReadOnlyList<JsonObject> List(string plural, string? ns = null)
    {
        lock (_gate) return _objects.Values.Where(s => s.Kind.Plural == plural && (ns is null || (string?)s.Obj["metadata"]!["namespace"] == ns))
            .Select(s => (JsonObject)s.Obj.DeepClone()).ToList();
    }

    /// <summary>What kube-controller-manager would do for a Deployment: report every pod updated, ready and available.</summary>
    public void CompleteDeploymentRollout(string ns, string name, int? readyOverride = null)
    {
        lock (_gate)
        {
            if (!_objects.TryGetValue(("deployments", ns, name), out var s)) throw new InvalidOperationException($"no deployment {ns}/{name}");
            var replicas = s.Obj["spec"]?["replicas"] is { } rn ? (int)Long(rn) : 1;
            var ready = readyOverride ?? replicas;
            var before = (JsonObject)s.Obj.DeepClone();
            s.Obj["status"] = new JsonObject
            {
                ["observedGeneration"] = Long(s.Obj["metadata"]!["generation"]),
                ["replicas"] = replicas,
                ["updatedReplicas"] = replicas,
                ["readyReplicas"] = ready,
                ["availableReplicas"] = ready,
            };
            Commit(s, before, "MODIFIED");
        }
    }

    /// <summary>The controller-manager has seen the new template but pods are still the old ones.</summary>
    public void StartDeploymentRollout(string ns, string name)
    {
        lock (_gate)
        {
            var s = _objects[("deployments", ns, name)];
            var replicas = s.Obj["spec"]?["replicas"] is { } rn ? (int)Long(rn) : 1;
            var before = (JsonObject)s.Obj.DeepClone();
            s.Obj["status"] = new JsonObject
            {
                ["observedGeneration"] = Long(s.Obj["metadata"]!["generation"]),
                ["replicas"] = replicas + 1,
                ["updatedReplicas"] = 1,
                ["readyReplicas"] = replicas,
                ["availableReplicas"] = replicas,
            };
            Commit(s, before, "MODIFIED");
        }
    }

    // ---------- HTTP ----------

    private async Task HandleAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value!.TrimEnd('/');
        lock (Requests)
        {
            Requests.Add($"{ctx.Request.Method} {path}{ctx.Request.QueryString} {ctx.Request.ContentType}");
            Log.Add(new LoggedRequest(ctx.Request.Headers.UserAgent.ToString(), ctx.Request.Method, path, ctx.Request.QueryString.Value ?? "", ctx.Request.ContentType));
        }
        LastAuthorization = ctx.Request.Headers.Authorization.ToString();
        LastClientCertificate = ctx.Connection.ClientCertificate?.Subject ?? (await ctx.Connection.GetClientCertificateAsync())?.Subject;
        try
        {
            if (HangRequests && !IsWatch(ctx)) await Task.Delay(Timeout.Infinite, ctx.RequestAborted);
            if (await DiscoveryAsync(ctx, path)) return;
            if (!TryRoute(path, out var kind, out var ns, out var name, out var sub))
            {
                await StatusAsync(ctx, HttpStatusCode.NotFound, "NotFound", $"the server could not find the requested resource ({path})");
                return;
            }
            if (sub == "scale")
            {
                await ScaleAsync(ctx, kind, ns, name!);
                return;
            }
            switch (ctx.Request.Method)
            {
                case "GET" when name is null && IsWatch(ctx): await WatchAsync(ctx, kind, ns); break;
                case "GET" when name is null: await ListAsync(ctx, kind, ns); break;
                case "GET": await ReadAsync(ctx, kind, ns, name); break;
                case "POST" when name is null: await CreateAsync(ctx, kind, ns); break;
                case "PUT" when name is not null: await ReplaceAsync(ctx, kind, ns, name, sub); break;
                case "PATCH" when name is not null: await PatchAsync(ctx, kind, ns, name, sub); break;
                case "DELETE" when name is not null: await DeleteAsync(ctx, kind, ns, name); break;
                default: await StatusAsync(ctx, HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", "method not allowed"); break;
            }
        }
        catch (ApiError e)
        {
            if (!ctx.Response.HasStarted) await StatusAsync(ctx, e.Code, e.Reason, e.Message);
        }
        catch (OperationCanceledException) { }
        catch (Exception e) when (!ctx.Response.HasStarted)
        {
            await StatusAsync(ctx, HttpStatusCode.InternalServerError, "InternalError", $"fake API server bug: {e}");
        }
    }

    private static bool IsWatch(HttpContext ctx) => ctx.Request.Query["watch"] is var w && (w == "true" || w == "1");

    private sealed class ApiError(HttpStatusCode code, string reason, string message) : Exception(message)
    {
        public HttpStatusCode Code { get; } = code;
        public string Reason { get; } = reason;
    }

    private static JsonObject StatusBody(HttpStatusCode code, string reason, string message) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = message,
        ["reason"] = reason,
        ["code"] = (int)code,
    };

    private static Task StatusAsync(HttpContext ctx, HttpStatusCode code, string reason, string message)
    {
        ctx.Response.StatusCode = (int)code;
        return WriteJsonAsync(ctx, StatusBody(code, reason, message), status: (int)code);
    }

    private static Task WriteJsonAsync(HttpContext ctx, JsonNode body, int status = 200)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        return ctx.Response.WriteAsync(body.ToJsonString());
    }

    private bool TryRoute(string path, out Kind kind, out string? ns, out string? name, out string? sub)
    {
        kind = null!; ns = null; name = null; sub = null;
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        int i;
        string group, version;
        if (parts.Length >= 3 && parts[0] == "api") { group = ""; version = parts[1]; i = 2; }
        else if (parts.Length >= 4 && parts[0] == "apis") { group = parts[1]; version = parts[2]; i = 3; }
        else return false;
        if (parts.Length > i + 2 && parts[i] == "namespaces") { ns = Uri.UnescapeDataString(parts[i + 1]); i += 2; }
        var plural = parts[i];
        var k = Kinds.FirstOrDefault(x => x.Group == group && x.Version == version && x.Plural == plural);
        if (k is null || NotServed.Contains(k.Plural)) return false;
        kind = k;
        if (!k.Namespaced) ns = null;
        if (parts.Length > i + 1) name = Uri.UnescapeDataString(parts[i + 1]);
        if (parts.Length > i + 2) sub = parts[i + 2];
        if (sub == "scale") return k.Plural == "ktpocrpipelines" && _pipelineScale is not null;
        if (sub is not null and not "status") return false;
        if (sub == "status" && !k.StatusSubresource) return false;
        return true;
    }

    private async Task<bool> DiscoveryAsync(HttpContext ctx, string path)
    {
        if (ctx.Request.Method != "GET") return false;
        JsonNode? body = null;
        if (path == "/version")
            body = new JsonObject { ["major"] = "1", ["minor"] = "32", ["gitVersion"] = "v1.32.0-fake", ["platform"] = "linux/amd64" };
        else if (path == "/api")
            body = new JsonObject { ["kind"] = "APIVersions", ["versions"] = new JsonArray("v1"), ["serverAddressByClientCIDRs"] = new JsonArray() };
        else if (path == "/apis")
            body = new JsonObject
            {
                ["kind"] = "APIGroupList",
                ["apiVersion"] = "v1",
                ["groups"] = new JsonArray(Kinds.Where(k => k.Group.Length > 0).GroupBy(k => k.Group).Select(g => (JsonNode?)new JsonObject
                {
                    ["name"] = g.Key,
                    ["versions"] = new JsonArray(new JsonObject { ["groupVersion"] = g.First().GroupVersion, ["version"] = g.First().Version }),
                    ["preferredVersion"] = new JsonObject { ["groupVersion"] = g.First().GroupVersion, ["version"] = g.First().Version },
                }).ToArray()),
            };
        else
        {
            var gv = path.StartsWith("/api/", StringComparison.Ordinal) ? path[5..] : path.StartsWith("/apis/", StringComparison.Ordinal) ? path[6..] : null;
            var kinds = gv is null ? [] : Kinds.Where(k => k.GroupVersion == gv && !NotServed.Contains(k.Plural)).ToList();
            if (kinds.Count > 0)
            {
                var resources = new JsonArray();
                foreach (var k in kinds)
                {
                    var r = new JsonObject
                    {
                        ["name"] = k.Plural, ["singularName"] = k.KindName.ToLowerInvariant(), ["namespaced"] = k.Namespaced, ["kind"] = k.KindName,
                        ["verbs"] = new JsonArray("create", "delete", "get", "list", "patch", "update", "watch"),
                    };
                    if (k.ShortNames is not null) r["shortNames"] = new JsonArray(k.ShortNames.Select(s => (JsonNode?)s).ToArray());
                    resources.Add(r);
                    if (k.Plural == "ktpocrpipelines" && _pipelineScale is not null)
                        resources.Add(new JsonObject
                        {
                            ["name"] = k.Plural + "/scale", ["singularName"] = "", ["namespaced"] = true, ["group"] = "autoscaling",
                            ["version"] = "v1", ["kind"] = "Scale", ["verbs"] = new JsonArray("get", "patch", "update"),
                        });
                    if (k.StatusSubresource)
                        resources.Add(new JsonObject
                        {
                            ["name"] = k.Plural + "/status", ["singularName"] = "", ["namespaced"] = k.Namespaced, ["kind"] = k.KindName,
                            ["verbs"] = new JsonArray("get", "patch", "update"),
                        });
                }
                body = new JsonObject { ["kind"] = "APIResourceList", ["apiVersion"] = "v1", ["groupVersion"] = gv, ["resources"] = resources };
            }
        }
        if (body is null) return false;
        await WriteJsonAsync(ctx, body);
        return true;
    }

    // ---------- scale subresource (autoscaling/v1 Scale over the CRD's scale paths) ----------

    private async Task ScaleAsync(HttpContext ctx, Kind kind, string? ns, string name)
    {
        var specPath = ((string)_pipelineScale!["specReplicasPath"]!).TrimStart('.');
        JsonObject? patch = ctx.Request.Method is "PATCH" or "PUT" ? await ReadBodyAsync(ctx) : null;
        JsonObject scale;
        lock (_gate)
        {
            if (!_objects.TryGetValue((kind.Plural, ns, name), out var s)) throw NotFound(kind, name);
            if (patch is not null)
            {
                var current = ScaleOf(s.Obj, specPath);
                var merged = (JsonObject)Merge.MergePatch(current, patch)!;
                if (ctx.Request.Method == "PUT") CheckPrecondition(s, (string?)patch["metadata"]?["resourceVersion"], kind, name);
                var replicas = merged["spec"]?["replicas"]?.DeepClone();
                var before = (JsonObject)s.Obj.DeepClone();
                var next = (JsonObject)before.DeepClone();
                var parts = specPath.Split('.');
                JsonObject node = next;
                foreach (var part in parts[..^1]) node = (JsonObject)(node[part] ??= new JsonObject());
                node[parts[^1]] = replicas;
                Write(s, before, next);
            }
            scale = ScaleOf(s.Obj, specPath);
        }
        await WriteJsonAsync(ctx, scale);
    }

    private JsonObject ScaleOf(JsonObject obj, string specPath) => new()
    {
        ["kind"] = "Scale",
        ["apiVersion"] = "autoscaling/v1",
        ["metadata"] = new JsonObject
        {
            ["name"] = obj["metadata"]!["name"]!.DeepClone(), ["namespace"] = obj["metadata"]!["namespace"]?.DeepClone(),
            ["uid"] = obj["metadata"]!["uid"]!.DeepClone(), ["resourceVersion"] = obj["metadata"]!["resourceVersion"]!.DeepClone(),
        },
        ["spec"] = new JsonObject { ["replicas"] = Merge.At(obj, specPath)?.DeepClone() ?? 0 },
        ["status"] = new JsonObject
        {
            ["replicas"] = JsonPath(obj, (string)_pipelineScale!["statusReplicasPath"]!)?.DeepClone() ?? 0,
            ["selector"] = JsonPath(obj, (string)_pipelineScale!["labelSelectorPath"]!)?.DeepClone() ?? "",
        },
    };

    // ---------- reads ----------

    private async Task ReadAsync(HttpContext ctx, Kind kind, string? ns, string name)
    {
        JsonObject obj;
        lock (_gate)
        {
            if (!_objects.TryGetValue((kind.Plural, ns, name), out var s)) throw NotFound(kind, name);
            obj = (JsonObject)s.Obj.DeepClone();
        }
        await WriteJsonAsync(ctx, obj);
    }

    private static ApiError NotFound(Kind kind, string name) =>
        new(HttpStatusCode.NotFound, "NotFound", $"{kind.Plural}.{kind.Group} \"{name}\" not found");

    private async Task ListAsync(HttpContext ctx, Kind kind, string? ns)
    {
        var selector = ParseSelector(ctx.Request.Query["labelSelector"]);
        JsonArray items;
        long rv;
        lock (_gate)
        {
            rv = _rv;
            items = new JsonArray(_objects.Values
                .Where(s => s.Kind == kind && (ns is null || (string?)s.Obj["metadata"]!["namespace"] == ns) && Matches(s.Obj, selector))
                .OrderBy(s => (string?)s.Obj["metadata"]!["name"], StringComparer.Ordinal)
                .Select(s => (JsonNode?)s.Obj.DeepClone()).ToArray());
        }
        if (kind.Plural == "ktpocrpipelines" && _pipelineColumns is not null && WantsTable(ctx))
        {
            await WriteJsonAsync(ctx, Table(items, rv));
            return;
        }
        await WriteJsonAsync(ctx, new JsonObject
        {
            ["apiVersion"] = kind.GroupVersion,
            ["kind"] = kind.KindName + "List",
            ["metadata"] = new JsonObject { ["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture) },
            ["items"] = items,
        });
    }

    private static Dictionary<string, string> ParseSelector(string? s) =>
        string.IsNullOrEmpty(s) ? [] : s.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");

    private static bool Matches(JsonObject obj, Dictionary<string, string> selector) =>
        selector.All(kv => (string?)obj["metadata"]?["labels"]?[kv.Key] == kv.Value);

    private static bool WantsTable(HttpContext ctx) => ctx.Request.Headers.Accept.ToString().Contains("as=Table", StringComparison.Ordinal);

    /// <summary>meta.k8s.io/v1 Table from the CRD's additionalPrinterColumns, as the API server renders it for kubectl get.</summary>
    private JsonObject Table(JsonArray items, long rv)
    {
        var columns = new JsonArray(new JsonObject { ["name"] = "Name", ["type"] = "string", ["format"] = "name", ["description"] = "Name", ["priority"] = 0 });
        foreach (var c in _pipelineColumns!.OfType<JsonObject>())
            columns.Add(new JsonObject
            {
                ["name"] = (string?)c["name"], ["type"] = (string?)c["type"], ["format"] = "",
                ["description"] = (string?)c["description"] ?? "", ["priority"] = Long(c["priority"]),
            });
        var rows = new JsonArray();
        foreach (var item in items.OfType<JsonObject>())
        {
            var cells = new JsonArray((string?)item["metadata"]!["name"]);
            foreach (var c in _pipelineColumns!.OfType<JsonObject>())
            {
                var v = JsonPath(item, (string)c["jsonPath"]!);
                if ((string?)c["type"] == "date" && v is not null)
                {
                    var age = DateTimeOffset.UtcNow - DateTimeOffset.Parse((string)v!, CultureInfo.InvariantCulture);
                    v = age.TotalMinutes < 2 ? $"{(int)age.TotalSeconds}s" : $"{(int)age.TotalMinutes}m";
                }
                cells.Add(v?.DeepClone());
            }
            rows.Add(new JsonObject
            {
                ["cells"] = cells,
                ["object"] = new JsonObject { ["kind"] = "PartialObjectMetadata", ["apiVersion"] = "meta.k8s.io/v1", ["metadata"] = item["metadata"]!.DeepClone() },
            });
        }
        return new JsonObject
        {
            ["kind"] = "Table", ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture) },
            ["columnDefinitions"] = columns, ["rows"] = rows,
        };
    }

    /// <summary>The JSONPath subset printer columns use: .a.b.c and .list[?(@.key=="value")].field.</summary>
    internal static JsonNode? JsonPath(JsonNode? node, string path)
    {
        var i = 0;
        while (node is not null && i < path.Length)
        {
            if (path[i] == '.') i++;
            if (i < path.Length && path[i] == '[')
            {
                var end = path.IndexOf(']', i);
                var filter = path[(i + 1)..end];
                i = end + 1;
                var m = System.Text.RegularExpressions.Regex.Match(filter, "^\\?\\(@\\.(\\w+)==\"([^\"]*)\"\\)$");
                if (!m.Success) return null;
                node = (node as JsonArray)?.OfType<JsonObject>().FirstOrDefault(o => (string?)o[m.Groups[1].Value] == m.Groups[2].Value);
                continue;
            }
            var start = i;
            while (i < path.Length && path[i] != '.' && path[i] != '[') i++;
            node = (node as JsonObject)?[path[start..i]];
        }
        return node;
    }

    private async Task WatchAsync(HttpContext ctx, Kind kind, string? ns)
    {
        Interlocked.Increment(ref WatchRequests);
        var fromText = (string?)ctx.Request.Query["resourceVersion"];
        var bookmarks = ctx.Request.Query["allowWatchBookmarks"] == "true";
        var timeout = int.TryParse(ctx.Request.Query["timeoutSeconds"], out var t) ? TimeSpan.FromSeconds(t) : TimeSpan.FromMinutes(30);
        var watcher = new Watcher(kind, ns, Channel.CreateUnbounded<string>(), CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted));
        var replay = new List<string>();
        var expired = false;
        lock (_gate)
        {
            if (string.IsNullOrEmpty(fromText) || fromText == "0")
            {
                // No resourceVersion: synthetic ADDED events for the current state, then changes.
                foreach (var s in _objects.Values.Where(s => s.Kind == kind && (ns is null || (string?)s.Obj["metadata"]!["namespace"] == ns)))
                    replay.Add(Line("ADDED", s.Obj));
            }
            else
            {
                var from = long.Parse(fromText, CultureInfo.InvariantCulture);
                if (from < _compactedBefore - 1)
                {
                    // Like the real server: 200, one ERROR event carrying a 410 Status, then the stream ends.
                    replay.Add(Line("ERROR", StatusBody(HttpStatusCode.Gone, "Expired", $"too old resource version: {from} ({_compactedBefore - 1})")));
                    expired = true;
                }
                else
                {
                    foreach (var h in _history.Where(h => h.Rv > from && h.Kind == kind && (ns is null || h.Ns == ns)))
                        replay.Add(Line(h.Type, h.Obj));
                }
            }
            if (!expired) _watchers.Add(watcher);
        }
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json";
        var body = ctx.Response.Body;
        try
        {
            foreach (var line in replay) await body.WriteAsync(Encoding.UTF8.GetBytes(line));
            await body.FlushAsync();
            if (expired) return;
            using var timeoutCts = new CancellationTokenSource(timeout);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeoutCts.Token, watcher.Drop.Token);
            var nextBookmark = DateTime.UtcNow + BookmarkInterval;
            while (!linked.IsCancellationRequested)
            {
                var wait = nextBookmark - DateTime.UtcNow;
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(linked.Token);
                tick.CancelAfter(wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
                try
                {
                    var line = await watcher.Events.Reader.ReadAsync(tick.Token);
                    if (_stalled) continue;
                    await body.WriteAsync(Encoding.UTF8.GetBytes(line), linked.Token);
                    await body.FlushAsync(linked.Token);
                }
                catch (OperationCanceledException) when (!linked.IsCancellationRequested)
                {
                    nextBookmark = DateTime.UtcNow + BookmarkInterval;
                    if (!bookmarks || _stalled) continue;
                    string rv;
                    lock (_gate) rv = _rv.ToString(CultureInfo.InvariantCulture);
                    var bm = new JsonObject { ["kind"] = kind.KindName, ["apiVersion"] = kind.GroupVersion, ["metadata"] = new JsonObject { ["resourceVersion"] = rv } };
                    await body.WriteAsync(Encoding.UTF8.GetBytes(Line("BOOKMARK", bm)), linked.Token);
                    await body.FlushAsync(linked.Token);
                }
            }
        }
        catch (OperationCanceledException) { }
        catch (IOException) { }
        finally
        {
            lock (_gate) _watchers.Remove(watcher);
            // A dropped connection is cut, not ended cleanly, so the client sees the failure it would in production.
            if (!expired && watcher.Drop.IsCancellationRequested && !ctx.RequestAborted.IsCancellationRequested) ctx.Abort();
        }
    }

    private static string Line(string type, JsonObject obj) =>
        new JsonObject { ["type"] = type, ["object"] = obj.DeepClone() }.ToJsonString() + "\n";

    // ---------- writes ----------

    private static async Task<JsonObject> ReadBodyAsync(HttpContext ctx)
    {
        using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        try
        {
            var isYaml = ctx.Request.ContentType?.Contains("yaml", StringComparison.Ordinal) == true;
            return (isYaml ? YamlJson.Parse(text) : JsonNode.Parse(text)) as JsonObject
                ?? throw new ApiError(HttpStatusCode.BadRequest, "BadRequest", "body is not an object");
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or YamlDotNet.Core.YamlException or FormatException)
        {
            throw new ApiError(HttpStatusCode.BadRequest, "BadRequest", $"body could not be decoded: {e.Message}");
        }
    }

    private async Task CreateAsync(HttpContext ctx, Kind kind, string? ns)
    {
        var body = await ReadBodyAsync(ctx);
        JsonObject created;
        lock (_gate) created = CreateLocked(kind, ns, body, ctx.Request.Query["fieldManager"]);
        await WriteJsonAsync(ctx, created, 201);
    }

    private JsonObject CreateLocked(Kind kind, string? ns, JsonObject body, string? manager)
    {
        var meta = body["metadata"] as JsonObject ?? throw new ApiError(HttpStatusCode.UnprocessableEntity, "Invalid", "metadata is required");
        var name = (string?)meta["name"];
        if (name is null && (string?)meta["generateName"] is { } gen) name = gen + Guid.NewGuid().ToString("N")[..5];
        if (string.IsNullOrEmpty(name)) throw new ApiError(HttpStatusCode.UnprocessableEntity, "Invalid", "metadata.name: Required value");
        if (kind.Namespaced && (string?)meta["namespace"] is { } bodyNs && ns is not null && bodyNs != ns)
            throw new ApiError(HttpStatusCode.BadRequest, "BadRequest", "the namespace of the object does not match the namespace on the request");
        if (_objects.ContainsKey((kind.Plural, ns, name)))
            throw new ApiError(HttpStatusCode.Conflict, "AlreadyExists", $"{kind.Plural}.{kind.Group} \"{name}\" already exists");
        var obj = (JsonObject)body.DeepClone();
        obj["apiVersion"] = kind.GroupVersion;
        obj["kind"] = kind.KindName;
        var m = (JsonObject)obj["metadata"]!;
        m["name"] = name;
        if (kind.Namespaced) m["namespace"] = ns; else m.Remove("namespace");
        m["uid"] = Guid.NewGuid().ToString();
        m["creationTimestamp"] = Now();
        m.Remove("resourceVersion");
        m.Remove("deletionTimestamp");
        if (kind.StatusSubresource)
        {
            m["generation"] = 1;
            // Status is not settable on create when the status subresource is on.
            obj.Remove("status");
        }
        var stored = new Stored(kind, obj, []);
        if (manager is { Length: > 0 }) Own(stored, manager, body, statusOnly: false);
        _objects[(kind.Plural, ns, name)] = stored;
        Commit(stored, null, "ADDED");
        return (JsonObject)obj.DeepClone();
    }

    private async Task ReplaceAsync(HttpContext ctx, Kind kind, string? ns, string name, string? sub)
    {
        var body = await ReadBodyAsync(ctx);
        JsonObject result;
        lock (_gate)
        {
            if (!_objects.TryGetValue((kind.Plural, ns, name), out var s)) throw NotFound(kind, name);
            CheckPrecondition(s, (string?)body["metadata"]?["resourceVersion"], kind, name);
            var before = (JsonObject)s.Obj.DeepClone();
            var next = (JsonObject)body.DeepClone();
            result = Write(s, before, Restrict(kind, sub, before, next));
        }
        await WriteJsonAsync(ctx, result);
    }

    private async Task PatchAsync(HttpContext ctx, Kind kind, string? ns, string name, string? sub)
    {
        var type = ctx.Request.ContentType?.Split(';')[0].Trim();
        var body = await ReadBodyAsync(ctx);
        JsonObject result;
        int status = 200;
        lock (_gate)
        {
            if (type == "application/apply-patch+yaml")
            {
                var manager = (string?)ctx.Request.Query["fieldManager"];
                if (string.IsNullOrEmpty(manager))
                    throw new ApiError(HttpStatusCode.BadRequest, "BadRequest", "PATCH with apply-patch+yaml requires a fieldManager");
                var force = ctx.Request.Query["force"] == "true";
                if (!_objects.ContainsKey((kind.Plural, ns, name)))
                {
                    if (sub is not null) throw NotFound(kind, name);
                    var meta = (body["metadata"] as JsonObject) ?? [];
                    meta["name"] = name;
                    body["metadata"] = meta;
                    result = CreateLocked(kind, ns, body, manager);
                    status = 201;
                }
                else result = Apply(_objects[(kind.Plural, ns, name)], body, manager, force, sub);
            }
            else if (type is "application/merge-patch+json" or "application/strategic-merge-patch+json")
            {
                if (!_objects.TryGetValue((kind.Plural, ns, name), out var s)) throw NotFound(kind, name);
                CheckPrecondition(s, (string?)body["metadata"]?["resourceVersion"], kind, name);
                var before = (JsonObject)s.Obj.DeepClone();
                var next = (JsonObject)Merge.MergePatch(before, body)!;
                result = Write(s, before, Restrict(kind, sub, before, next));
            }
            else throw new ApiError(HttpStatusCode.UnsupportedMediaType, "UnsupportedMediaType", $"the body of the request was in an unknown format ({type})");
        }
        await WriteJsonAsync(ctx, result, status);
    }

    private static void CheckPrecondition(Stored s, string? rv, Kind kind, string name)
    {
        if (!string.IsNullOrEmpty(rv) && rv != (string?)s.Obj["metadata"]!["resourceVersion"])
            throw new ApiError(HttpStatusCode.Conflict, "Conflict",
                $"Operation cannot be fulfilled on {kind.Plural}.{kind.Group} \"{name}\": the object has been modified; please apply your changes to the latest version and try again");
    }

    /// <summary>Status subresource semantics: the main resource ignores status, /status ignores everything else.</summary>
    private static JsonObject Restrict(Kind kind, string? sub, JsonObject before, JsonObject next)
    {
        if (!kind.StatusSubresource) return next;
        if (sub == "status")
        {
            var result = (JsonObject)before.DeepClone();
            if (next["status"] is { } st) result["status"] = st.DeepClone(); else result.Remove("status");
            return result;
        }
        if (before["status"] is { } old) next["status"] = old.DeepClone(); else next.Remove("status");
        return next;
    }

    /// <summary>Server-side apply: per-manager field ownership, conflicts unless forced, removal of fields no longer applied.</summary>
    private JsonObject Apply(Stored s, JsonObject applied, string manager, bool force, string? sub)
    {
        var kind = s.Kind;
        var config = (JsonObject)applied.DeepClone();
        config.Remove("apiVersion");
        config.Remove("kind");
        if (config["metadata"] is JsonObject cm)
        {
            foreach (var k in new[] { "name", "namespace", "resourceVersion", "uid", "managedFields", "creationTimestamp", "generation" }) cm.Remove(k);
            if (cm.Count == 0) config.Remove("metadata");
        }
        var statusOnly = kind.StatusSubresource && sub == "status";
        if (kind.StatusSubresource)
        {
            if (statusOnly) { var st = config["status"]; config.Clear(); if (st is not null) config["status"] = st.DeepClone(); }
            else config.Remove("status");
        }
        var before = (JsonObject)s.Obj.DeepClone();
        var leaves = Merge.Leaves(config).Where(l => l.Path.Length > 0).ToList();
        var conflicts = new List<string>();
        foreach (var (path, value) in leaves)
            foreach (var (other, fields) in s.Owners)
                if (other != manager && fields.Contains(path) && !JsonNode.DeepEquals(Merge.At(before, path), value))
                    conflicts.Add($"conflict with \"{other}\": .{path}");
        if (conflicts.Count > 0 && !force)
            throw new ApiError(HttpStatusCode.Conflict, "Conflict", $"Apply failed with {conflicts.Count} conflict(s): {string.Join("; ", conflicts)}");

        var next = (JsonObject)before.DeepClone();
        var mine = s.Owners.GetValueOrDefault(manager) ?? [];
        var scope = mine.Where(p => statusOnly ? p.StartsWith("status", StringComparison.Ordinal) : !p.StartsWith("status", StringComparison.Ordinal) || !kind.StatusSubresource);
        foreach (var dropped in scope.Where(p => leaves.All(l => l.Path != p)).ToList())
        {
            var ownedByOthers = s.Owners.Any(o => o.Key != manager && o.Value.Contains(dropped));
            if (!ownedByOthers) Merge.Remove(next, dropped);
            mine.Remove(dropped);
        }
        next = (JsonObject)Merge.MergePatch(next, Nullless(config))!;
        foreach (var (path, _) in leaves)
        {
            foreach (var other in s.Owners.Where(o => o.Key != manager)) other.Value.Remove(path);
            mine.Add(path);
        }
        s.Owners[manager] = mine;
        return Write(s, before, next);
    }

    private static JsonNode Nullless(JsonObject config) => config; // apply configurations carry no nulls worth keeping

    private void Own(Stored s, string manager, JsonObject body, bool statusOnly)
    {
        var set = s.Owners.GetValueOrDefault(manager) ?? [];
        foreach (var (path, _) in Merge.Leaves(body).Where(l => l.Path.Length > 0 && !l.Path.StartsWith("metadata.name", StringComparison.Ordinal)
                     && l.Path is not "apiVersion" and not "kind" && !l.Path.StartsWith("metadata.namespace", StringComparison.Ordinal)))
            if (!statusOnly || path.StartsWith("status", StringComparison.Ordinal)) set.Add(path);
        s.Owners[manager] = set;
    }

    /// <summary>Store a new version: no-op writes change nothing; spec changes bump generation; finalizer-less deleted objects go.</summary>
    private JsonObject Write(Stored s, JsonObject before, JsonObject next)
    {
        var m = (JsonObject)next["metadata"]!;
        var bm = (JsonObject)before["metadata"]!;
        // Immutable and server-owned metadata.
        foreach (var k in new[] { "name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "generation" })
        {
            if (bm[k] is { } v) m[k] = v.DeepClone(); else m.Remove(k);
        }
        m["resourceVersion"] = bm["resourceVersion"]!.DeepClone();
        next["apiVersion"] = before["apiVersion"]!.DeepClone();
        next["kind"] = before["kind"]!.DeepClone();
        if (bm["deletionTimestamp"] is not null && m["finalizers"] is JsonArray fin && bm["finalizers"] is JsonArray oldFin
            && fin.Any(f => !oldFin.Any(o => (string?)o == (string?)f)))
            throw new ApiError(HttpStatusCode.UnprocessableEntity, "Invalid", "metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted");
        if (JsonNode.DeepEquals(before, next)) return before;
        if (s.Kind.StatusSubresource && !JsonNode.DeepEquals(SpecPart(before), SpecPart(next)))
            m["generation"] = Long(bm["generation"]) + 1;
        s.Obj.Clear();
        foreach (var (k, v) in next.ToList()) { next.Remove(k); s.Obj[k] = v; }
        Commit(s, before, "MODIFIED");
        if (s.Obj["metadata"]!["deletionTimestamp"] is not null && (s.Obj["metadata"]!["finalizers"] as JsonArray ?? []).Count == 0)
            Remove(s);
        return (JsonObject)s.Obj.DeepClone();
    }

    private static JsonObject SpecPart(JsonObject o)
    {
        var c = (JsonObject)o.DeepClone();
        c.Remove("metadata");
        c.Remove("status");
        return c;
    }

    private async Task DeleteAsync(HttpContext ctx, Kind kind, string? ns, string name)
    {
        JsonObject result;
        lock (_gate)
        {
            if (!_objects.TryGetValue((kind.Plural, ns, name), out var s)) throw NotFound(kind, name);
            var meta = (JsonObject)s.Obj["metadata"]!;
            if ((meta["finalizers"] as JsonArray ?? []).Count > 0)
            {
                if (meta["deletionTimestamp"] is null)
                {
                    var before = (JsonObject)s.Obj.DeepClone();
                    meta["deletionTimestamp"] = Now();
                    meta["deletionGracePeriodSeconds"] = 0;
                    Commit(s, before, "MODIFIED");
                }
                result = (JsonObject)s.Obj.DeepClone();
            }
            else
            {
                result = (JsonObject)s.Obj.DeepClone();
                Remove(s);
            }
        }
        await WriteJsonAsync(ctx, result);
    }

    /// <summary>Remove the object and, like the garbage collector, its dependents (owner references by uid).</summary>
    private void Remove(Stored s)
    {
        var meta = (JsonObject)s.Obj["metadata"]!;
        _objects.Remove((s.Kind.Plural, (string?)meta["namespace"], (string)meta["name"]!));
        _rv++;
        meta["resourceVersion"] = _rv.ToString(CultureInfo.InvariantCulture);
        Publish(s.Kind, (string?)meta["namespace"], "DELETED", s.Obj);
        var uid = (string?)meta["uid"];
        foreach (var dependent in _objects.Values.Where(o => (o.Obj["metadata"]!["ownerReferences"] as JsonArray ?? [])
                     .OfType<JsonObject>().Any(r => (string?)r["uid"] == uid)).ToList())
        {
            var dm = (JsonObject)dependent.Obj["metadata"]!;
            if ((dm["finalizers"] as JsonArray ?? []).Count > 0)
            {
                var before = (JsonObject)dependent.Obj.DeepClone();
                dm["deletionTimestamp"] ??= Now();
                Commit(dependent, before, "MODIFIED");
            }
            else Remove(dependent);
        }
    }

    private void Commit(Stored s, JsonObject? before, string type)
    {
        _rv++;
        var meta = (JsonObject)s.Obj["metadata"]!;
        meta["resourceVersion"] = _rv.ToString(CultureInfo.InvariantCulture);
        meta["managedFields"] = new JsonArray(s.Owners.Where(o => o.Value.Count > 0).Select(o => (JsonNode?)new JsonObject
        {
            ["manager"] = o.Key, ["operation"] = "Apply", ["apiVersion"] = s.Kind.GroupVersion, ["time"] = Now(),
        }).ToArray());
        if (((JsonArray)meta["managedFields"]!).Count == 0) meta.Remove("managedFields");
        Publish(s.Kind, (string?)meta["namespace"], type, s.Obj);
    }

    private void Publish(Kind kind, string? ns, string type, JsonObject obj)
    {
        var snapshot = (JsonObject)obj.DeepClone();
        _history.Add(new HistoryEntry(_rv, kind, ns, type, snapshot));
        if (_history.Count > 5000) _history.RemoveRange(0, 1000);
        var line = Line(type, snapshot);
        foreach (var w in _watchers.Where(w => w.Kind == kind && (w.Ns is null || w.Ns == ns)))
            w.Events.Writer.TryWrite(line);
    }

    private static long Long(JsonNode? n) => n is null ? 0 : long.Parse(n.ToJsonString(), CultureInfo.InvariantCulture);

    private static string Now() => DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        DropWatches();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
