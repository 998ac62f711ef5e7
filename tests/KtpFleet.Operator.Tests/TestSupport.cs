using System.Net.Http.Headers;
using System.Text;
using KtpFleet.Operator.Kube;
using KtpFleet.Operator.Resources;

namespace KtpFleet.Operator.Tests;

internal static class Repo
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "KtpFleet.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root (KtpFleet.sln) not found");
    }

    public static string CrdPath => Path.Combine(Root, "crds", Crd.CrdFiles.PipelineFile);
    public static string ExamplePath => Path.Combine(Root, "crds", "examples", "ktpocrpipeline.yaml");
}

internal static class Poll
{
    /// <summary>Wait for a condition by polling (never a fixed sleep as synchronisation).</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        T last = await probe();
        while (!done(last))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting for {what}; last: {last}");
            await Task.Delay(50);
            last = await probe();
        }
        return last;
    }

    public static Task<T> UntilAsync<T>(Func<T> probe, Func<T, bool> done, string what, TimeSpan? timeout = null) =>
        UntilAsync(() => Task.FromResult(probe()), done, what, timeout);
}

/// <summary>The RabbitMQ the project's scripts start for tests (scripts/services.sh): management API on 15673.</summary>
internal static class Rabbit
{
    public static readonly Uri Management = new(Environment.GetEnvironmentVariable("KTP_RABBITMQ_MANAGEMENT_URL") ?? "http://127.0.0.1:15673/");
    public const string User = "ktp";
    public const string Password = "ktp-dev";

    public static async Task EnsureUpAsync()
    {
        using var http = Http();
        try
        {
            using var resp = await http.GetAsync("api/overview");
            if (resp.IsSuccessStatusCode) return;
            throw new InvalidOperationException($"RabbitMQ management API at {Management} answered {(int)resp.StatusCode}");
        }
        catch (HttpRequestException e)
        {
            throw new InvalidOperationException(
                $"RabbitMQ management API not reachable at {Management} ({e.Message}). Start it with scripts/services.sh start (./ktp test does).", e);
        }
    }

    public static HttpClient Http() => new()
    {
        BaseAddress = Management,
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}"))) },
    };

    public static async Task PublishAsync(string exchange, string routingKey, int count)
    {
        using var http = Http();
        for (var i = 0; i < count; i++)
        {
            var body = new System.Text.Json.Nodes.JsonObject
            {
                ["properties"] = new System.Text.Json.Nodes.JsonObject(), ["routing_key"] = routingKey,
                ["payload"] = $"{{\"job\":{i}}}", ["payload_encoding"] = "string",
            };
            using var resp = await http.PostAsync($"api/exchanges/%2F/{Uri.EscapeDataString(exchange)}/publish",
                new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
            resp.EnsureSuccessStatusCode();
            var routed = System.Text.Json.Nodes.JsonNode.Parse(await resp.Content.ReadAsStringAsync())!["routed"]!.GetValue<bool>();
            if (!routed) throw new InvalidOperationException($"message to {exchange}/{routingKey} was not routed");
        }
    }

    /// <summary>Take messages off the queue (ack), as workers would.</summary>
    public static async Task DrainAsync(string queue, int count)
    {
        using var http = Http();
        var body = new System.Text.Json.Nodes.JsonObject { ["count"] = count, ["ackmode"] = "ack_requeue_false", ["encoding"] = "auto" };
        using var resp = await http.PostAsync($"api/queues/%2F/{Uri.EscapeDataString(queue)}/get",
            new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        resp.EnsureSuccessStatusCode();
    }

    public static async Task<bool> QueueExistsAsync(string queue)
    {
        using var http = Http();
        using var resp = await http.GetAsync($"api/queues/%2F/{Uri.EscapeDataString(queue)}");
        return resp.IsSuccessStatusCode;
    }

    public static async Task DeleteExchangeAsync(string exchange)
    {
        using var http = Http();
        using var _ = await http.DeleteAsync($"api/exchanges/%2F/{Uri.EscapeDataString(exchange)}");
    }

    public static async Task DeleteQueueAsync(string queue)
    {
        using var http = Http();
        using var _ = await http.DeleteAsync($"api/queues/%2F/{Uri.EscapeDataString(queue)}");
    }
}

internal static class Samples
{
    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    public static KtpOcrPipeline Pipeline(string name = "retail", string ns = "ktp", string? queue = null) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns, Uid = "0b7c2a8e-1111-4222-8333-444455556666", Generation = 1 },
        Spec = new PipelineSpec
        {
            Queue = new QueueSpec { Name = queue ?? $"ktp.test.{name}" },
            Tenants =
            [
                new TenantSpec { Id = "bank-satu", AutoAcceptConfidence = 0.92, FieldConfidence = new() { ["nik"] = 0.97 }, RequiredFields = ["nik", "nama"] },
                new TenantSpec { Id = "koperasi-dua" },
            ],
            Worker = new WorkerSpec { Image = "registry.example.com/ktpfleet/worker:1.0.0", EnginesPerPod = 3 },
            Model = new ModelSpec { TessdataVersion = "4.1.0-fast", Source = new ModelSource { Image = "registry.example.com/ktpfleet/tessdata:4.1.0-fast" } },
        },
    };

    public static KubeClient Client(Fake.FakeApiServer server) => server.CreateClient();
}
