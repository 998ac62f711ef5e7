using RabbitMQ.Client;

namespace KtpFleet.Fleet.Messaging;

/// <summary>
/// Opens AMQP connections. Automatic recovery is off on purpose: after a broker restart the old delivery tags are
/// void, so the fleet's own loops drop everything and reconnect from scratch (redelivery + idempotent results make
/// that safe).
/// </summary>
public static class AmqpConnector
{
    public static Task<IConnection> ConnectAsync(Uri uri, string clientName, CancellationToken ct = default)
    {
        var factory = new ConnectionFactory
        {
            Uri = uri,
            ClientProvidedName = clientName,
            AutomaticRecoveryEnabled = false,
            TopologyRecoveryEnabled = false,
            RequestedHeartbeat = TimeSpan.FromSeconds(10),
            RequestedConnectionTimeout = TimeSpan.FromSeconds(5),
        };
        return factory.CreateConnectionAsync(clientName, ct);
    }
}
