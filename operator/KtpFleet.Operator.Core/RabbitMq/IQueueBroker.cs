namespace KtpFleet.Operator.RabbitMq;

/// <summary>The broker operations a pipeline needs: its queue, the tenant bindings, and the depth.</summary>
public interface IQueueBroker
{
    Task EnsureExchangeAsync(string vhost, string exchange, CancellationToken ct);
    Task EnsureQueueAsync(string vhost, string queue, CancellationToken ct);
    /// <summary>Make the queue's bindings from the exchange exactly these routing keys.</summary>
    Task SyncBindingsAsync(string vhost, string exchange, string queue, IReadOnlyCollection<string> routingKeys, CancellationToken ct);
    Task<IReadOnlyList<string>> GetBindingsAsync(string vhost, string exchange, string queue, CancellationToken ct);
    /// <summary>Ready + unacked messages; null when the queue does not exist.</summary>
    Task<long?> GetDepthAsync(string vhost, string queue, CancellationToken ct);
    /// <summary>Delete the queue (its bindings go with it); false when it was already gone.</summary>
    Task<bool> DeleteQueueAsync(string vhost, string queue, CancellationToken ct);
}

/// <summary>A management API call that failed, with RabbitMQ's own reason.</summary>
public sealed class BrokerException(string message, int statusCode) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}
