using System.Threading.Channels;
using RabbitMQ.Client;

namespace KtpFleet.Fleet.Messaging;

/// <summary>
/// Publishes job messages with publisher confirms: <see cref="PublishAsync"/> returns only after the broker has taken
/// responsibility (the message is on a quorum queue's majority). A few channels are kept so concurrent uploads do
/// not queue behind one confirm round trip. Any broker failure drops the connection; the next call reconnects.
/// </summary>
public sealed class JobPublisher(Uri amqp, string clientName, int channels = 4, string exchange = "ktp.jobs") : IAsyncDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private IConnection? _connection;
    private Channel<IChannel>? _pool;

    /// <summary>Publishes to <c>ktp.jobs</c> with the tenant's routing key; throws when not confirmed.</summary>
    public Task PublishAsync(JobMessage message, CancellationToken ct = default) =>
        PublishRawAsync(exchange, Topology.RoutingKeyFor(message.Tenant), message.ToBytes(), null, ct);

    /// <summary>Publishes any body with confirms (the worker uses it for delayed retries).</summary>
    public async Task PublishRawAsync(string targetExchange, string routingKey, byte[] body, string? expirationMs, CancellationToken ct = default)
    {
        var pool = await GetPoolAsync(ct);
        var channel = await pool.Reader.ReadAsync(ct);
        var healthy = true;
        try
        {
            var props = new BasicProperties
            {
                Persistent = true,
                ContentType = "application/json",
                Type = "ktp.job.v1",
                Expiration = expirationMs,
            };
            // mandatory: an unroutable job (no queue bound for its tenant) must fail loudly, not vanish.
            await channel.BasicPublishAsync(targetExchange, routingKey, mandatory: true, props, body, ct);
        }
        catch (Exception)
        {
            healthy = channel.IsOpen;
            throw;
        }
        finally
        {
            if (healthy && channel.IsOpen) pool.Writer.TryWrite(channel);
            else await ResetAsync(pool);
        }
    }

    private async Task<Channel<IChannel>> GetPoolAsync(CancellationToken ct)
    {
        var pool = _pool;
        if (pool is not null && _connection is { IsOpen: true }) return pool;
        await _lock.WaitAsync(ct);
        try
        {
            if (_pool is not null && _connection is { IsOpen: true }) return _pool;
            await DisposeConnectionAsync();
            var connection = await AmqpConnector.ConnectAsync(amqp, clientName, ct);
            var fresh = System.Threading.Channels.Channel.CreateUnbounded<IChannel>();
            for (var i = 0; i < channels; i++)
                fresh.Writer.TryWrite(await connection.CreateChannelAsync(
                    new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct));
            _connection = connection;
            _pool = fresh;
            return fresh;
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task ResetAsync(Channel<IChannel> broken)
    {
        await _lock.WaitAsync();
        try
        {
            if (ReferenceEquals(_pool, broken)) await DisposeConnectionAsync();
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task DisposeConnectionAsync()
    {
        _pool = null;
        var c = _connection;
        _connection = null;
        if (c is null) return;
        try { await c.CloseAsync(TimeSpan.FromSeconds(2)); } catch (Exception) { /* already gone */ }
        c.Dispose();
    }

    public bool IsConnected => _connection is { IsOpen: true };

    public async ValueTask DisposeAsync()
    {
        await _lock.WaitAsync();
        try { await DisposeConnectionAsync(); } finally { _lock.Release(); }
    }
}
