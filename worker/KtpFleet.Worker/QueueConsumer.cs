using KtpFleet.Fleet;
using KtpFleet.Fleet.Messaging;
using KtpFleet.Fleet.Metrics;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Serilog.Context;

namespace KtpFleet.Worker;

/// <summary>
/// Consumes the pipeline's work queue with prefetch = engines, hands each message to <see cref="JobProcessor"/>,
/// and acks only after the outcome is committed. On a broken connection everything is dropped and rebuilt (unacked
/// messages come back and are recognised as done). On shutdown it stops consuming, lets in-flight jobs finish within
/// the drain timeout, acks them, then closes.
/// </summary>
public sealed class QueueConsumer(
    FleetSettings settings,
    WorkerOptions options,
    JobProcessor processor,
    FleetMetrics metrics,
    IHostApplicationLifetime lifetime,
    ILogger<QueueConsumer> log) : BackgroundService
{
    private readonly Topology _topology = new(settings.Pipeline);
    private int _inFlight;
    private int _busy;

    /// <summary>Extraction slots free right now (for the engine pool gauge).</summary>
    public int IdleEngines => options.Engines - Volatile.Read(ref _busy);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromMilliseconds(500);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunConnectionAsync(stoppingToken);
                backoff = TimeSpan.FromMilliseconds(500);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                log.LogWarning("Broker connection lost or refused, reconnecting in {DelayMs} ms: {Error}", backoff.TotalMilliseconds, e.Message);
                await Task.Delay(backoff, CancellationToken.None);
                backoff = TimeSpan.FromMilliseconds(Math.Min(backoff.TotalMilliseconds * 2, 5000));
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task RunConnectionAsync(CancellationToken stoppingToken)
    {
        await using var connection = await AmqpConnector.ConnectAsync(settings.Amqp, $"ktp-worker-{options.Name}", stoppingToken);
        await using var retries = new JobPublisher(settings.Amqp, $"ktp-worker-{options.Name}-retry", channels: 1);
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(false, false, consumerDispatchConcurrency: (ushort)options.Engines), stoppingToken);
        await _topology.DeclareAsync(channel, ct: stoppingToken);
        await channel.BasicQosAsync(0, (ushort)options.Engines, false, stoppingToken);

        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.ConnectionShutdownAsync += (_, _) => { lost.TrySetResult(); return Task.CompletedTask; };
        channel.ChannelShutdownAsync += (_, _) => { lost.TrySetResult(); return Task.CompletedTask; };
        var ackLock = new SemaphoreSlim(1, 1);

        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) => HandleAsync(channel, ackLock, retries, delivery);
        var tag = await channel.BasicConsumeAsync(_topology.WorkQueue, autoAck: false, consumer, stoppingToken);
        log.LogInformation("Consuming {Queue} with {Engines} engines", _topology.WorkQueue, options.Engines);

        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var reg = stoppingToken.Register(() => stopping.TrySetResult());
        if (await Task.WhenAny(lost.Task, stopping.Task) == lost.Task)
            throw new IOException("broker connection closed");

        // Graceful drain: no new deliveries, finish and ack what is in hand.
        log.LogInformation("Draining: {InFlight} jobs in flight", Volatile.Read(ref _inFlight));
        try { await channel.BasicCancelAsync(tag, noWait: false, CancellationToken.None); } catch (Exception) { /* closing anyway */ }
        var deadline = DateTime.UtcNow + options.DrainTimeout;
        while (Volatile.Read(ref _inFlight) > 0 && DateTime.UtcNow < deadline) await Task.Delay(50, CancellationToken.None);
        log.LogInformation("Drained, {Left} jobs left to redelivery", Volatile.Read(ref _inFlight));
        try { await channel.CloseAsync(); await connection.CloseAsync(); } catch (Exception) { /* already gone */ }
    }

    private async Task HandleAsync(IChannel channel, SemaphoreSlim ackLock, JobPublisher retries, BasicDeliverEventArgs delivery)
    {
        Interlocked.Increment(ref _inFlight);
        try
        {
            JobMessage message;
            try
            {
                message = JobMessage.Parse(delivery.Body.Span);
            }
            catch (FormatException e)
            {
                log.LogError("Unreadable message dead-lettered: {Error}", e.Message);
                metrics.JobsFailed.Add(1, new KeyValuePair<string, object?>("reason", "bad_message"));
                await Settle(ackLock, () => channel.BasicRejectAsync(delivery.DeliveryTag, false).AsTask());
                return;
            }
            using var _ = LogContext.PushProperty("job_id", message.JobId);
            using var __ = LogContext.PushProperty("tenant", message.Tenant);
            Disposition outcome;
            Interlocked.Increment(ref _busy);
            metrics.EnginesBusy.Add(1);
            try
            {
                // In-flight work is not cancelled by SIGTERM (drain); only the application's hard stop ends it.
                outcome = await processor.ProcessAsync(message, lifetime.ApplicationStopped);
            }
            finally
            {
                metrics.EnginesBusy.Add(-1);
                Interlocked.Decrement(ref _busy);
            }
            switch (outcome)
            {
                case Disposition.Ack:
                    await Settle(ackLock, () => channel.BasicAckAsync(delivery.DeliveryTag, false).AsTask());
                    break;
                case Disposition.Retry retry:
                    await retries.PublishRawAsync("", _topology.RetryQueue, (message with { Attempt = message.Attempt + 1 }).ToBytes(),
                        ((long)retry.Delay.TotalMilliseconds).ToString());
                    await Settle(ackLock, () => channel.BasicAckAsync(delivery.DeliveryTag, false).AsTask());
                    break;
                case Disposition.DeadLetter dead:
                    log.LogWarning("Dead-lettering job: {Why}", dead.Why);
                    await Settle(ackLock, () => channel.BasicRejectAsync(delivery.DeliveryTag, false).AsTask());
                    break;
            }
        }
        catch (Exception e)
        {
            // The message stays unacked and comes back after a reconnect: nothing is lost.
            log.LogWarning("Job left for redelivery: {Error}", e.Message);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static async Task Settle(SemaphoreSlim ackLock, Func<Task> settle)
    {
        await ackLock.WaitAsync();
        try { await settle(); } finally { ackLock.Release(); }
    }
}
