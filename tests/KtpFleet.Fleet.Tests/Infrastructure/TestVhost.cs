using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;

namespace KtpFleet.Fleet.Tests.Infrastructure;

/// <summary>A RabbitMQ vhost of its own for one test class (created and deleted through the management API).</summary>
public sealed class TestVhost : IAsyncLifetime
{
    public string Name { get; } = "ktp-test-" + Guid.NewGuid().ToString("N")[..10];
    public Uri Amqp => new($"amqp://ktp:ktp-dev@127.0.0.1:{Services.AmqpPort}/{Name}");
    public static HttpClient Management { get; } = CreateManagementClient();

    public async Task InitializeAsync()
    {
        await Services.EnsureRunningAsync("rabbitmq");
        (await Management.PutAsync($"api/vhosts/{Name}", null)).EnsureSuccessStatusCode();
        (await Management.PutAsJsonAsync($"api/permissions/{Name}/ktp", new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        try { await Management.DeleteAsync($"api/vhosts/{Name}"); } catch (HttpRequestException) { /* broker down: nothing to clean */ }
    }

    /// <summary>Messages in a queue (ready + unacked), from the management API (its stats lag ~5 s behind).</summary>
    public async Task<JsonElement> QueueAsync(string queue)
    {
        var json = await Management.GetStringAsync($"api/queues/{Name}/{Uri.EscapeDataString(queue)}");
        return JsonDocument.Parse(json).RootElement;
    }

    /// <summary>Ready messages in a queue (passive declare over AMQP: exact, unlike the management API's sampled stats).</summary>
    public async Task<uint> ReadyCountAsync(string queue)
    {
        await using var conn = await KtpFleet.Fleet.Messaging.AmqpConnector.ConnectAsync(Amqp, "test-count");
        await using var channel = await conn.CreateChannelAsync();
        return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
    }

    private static HttpClient CreateManagementClient()
    {
        var c = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Services.ManagementPort}/"), Timeout = TimeSpan.FromSeconds(30) };
        c.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("ktp:ktp-dev")));
        return c;
    }
}
