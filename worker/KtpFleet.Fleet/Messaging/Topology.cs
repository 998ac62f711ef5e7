using RabbitMQ.Client;

namespace KtpFleet.Fleet.Messaging;

/// <summary>
/// The broker layout. Jobs are published to the topic exchange <c>ktp.jobs</c> with routing key
/// <c>tenant.&lt;id&gt;</c>; each pipeline has a durable quorum queue bound by its tenants' keys (the default
/// pipeline takes <c>tenant.*</c>). Rejected messages dead-letter through <c>ktp.jobs.dlx</c> into the pipeline's
/// <c>.dead</c> queue. Delayed retries wait in the pipeline's <c>.retry</c> queue (per-message TTL) and dead-letter
/// back into the work queue when their TTL expires.
/// </summary>
public sealed record Topology(string Pipeline, string ExchangePrefix = "ktp.jobs")
{
    public string Exchange => ExchangePrefix;
    public string DeadLetterExchange => $"{ExchangePrefix}.dlx";
    public string WorkQueue => $"{ExchangePrefix}.{Pipeline}";
    public string DeadQueue => $"{WorkQueue}.dead";
    public string RetryQueue => $"{WorkQueue}.retry";

    public static string RoutingKeyFor(string tenant) => $"tenant.{tenant}";

    /// <summary>Declares everything (idempotent). <paramref name="tenants"/> null binds every tenant.</summary>
    public async Task DeclareAsync(IChannel channel, IReadOnlyCollection<string>? tenants = null, CancellationToken ct = default)
    {
        await channel.ExchangeDeclareAsync(Exchange, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: ct);
        await channel.ExchangeDeclareAsync(DeadLetterExchange, ExchangeType.Direct, durable: true, autoDelete: false, cancellationToken: ct);
        await channel.QueueDeclareAsync(WorkQueue, durable: true, exclusive: false, autoDelete: false, arguments: new Dictionary<string, object?>
        {
            ["x-queue-type"] = "quorum",
            ["x-dead-letter-exchange"] = DeadLetterExchange,
            ["x-dead-letter-routing-key"] = DeadQueue,
        }, cancellationToken: ct);
        await channel.QueueDeclareAsync(DeadQueue, durable: true, exclusive: false, autoDelete: false, arguments: new Dictionary<string, object?>
        {
            ["x-queue-type"] = "quorum",
        }, cancellationToken: ct);
        await channel.QueueBindAsync(DeadQueue, DeadLetterExchange, DeadQueue, cancellationToken: ct);
        // Classic on purpose: per-message TTL is what makes the retry delay, and classic queues expire from the head.
        await channel.QueueDeclareAsync(RetryQueue, durable: true, exclusive: false, autoDelete: false, arguments: new Dictionary<string, object?>
        {
            ["x-dead-letter-exchange"] = "",
            ["x-dead-letter-routing-key"] = WorkQueue,
        }, cancellationToken: ct);
        if (tenants is null)
            await channel.QueueBindAsync(WorkQueue, Exchange, "tenant.*", cancellationToken: ct);
        else
            foreach (var t in tenants) await channel.QueueBindAsync(WorkQueue, Exchange, RoutingKeyFor(t), cancellationToken: ct);
    }
}
