using System.Buffers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;

namespace KtpFleet.Fleet.Redis;

/// <summary>Redis answered with an error reply (e.g. <c>NOSCRIPT</c>, <c>WRONGTYPE</c>).</summary>
public sealed class RedisServerException(string message) : Exception(message)
{
    public bool IsNoScript => Message.StartsWith("NOSCRIPT", StringComparison.Ordinal);
}

/// <summary>Redis could not be reached, or the connection broke before the reply came.</summary>
public sealed class RedisUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// A small pipelined RESP2 client for the few commands the fleet uses (stand-in for StackExchange.Redis, which
/// cannot be restored here). One TCP connection; commands from many threads are written in order and their replies
/// matched in order (RESP replies come back in command order). A broken connection fails every pending command
/// with <see cref="RedisUnavailableException"/> and the next command reconnects.
/// </summary>
public sealed class RespClient : IRedisClient
{
    private readonly string _host;
    private readonly int _port;
    private readonly TimeSpan _timeout;
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private Connection? _connection;
    private bool _disposed;

    public RespClient(string host = "127.0.0.1", int port = 6380, TimeSpan? timeout = null)
    {
        _host = host;
        _port = port;
        _timeout = timeout ?? TimeSpan.FromSeconds(2);
    }

    /// <summary>Parses <c>host:port</c>.</summary>
    public static RespClient FromEndpoint(string endpoint, TimeSpan? timeout = null)
    {
        var i = endpoint.LastIndexOf(':');
        return i < 0 ? new RespClient(endpoint, 6379, timeout) : new RespClient(endpoint[..i], int.Parse(endpoint[(i + 1)..]), timeout);
    }

    public async Task<bool> PingAsync(CancellationToken ct = default) =>
        await ExecuteAsync(["PING"], ct) is RespValue.Simple { Text: "PONG" };

    /// <summary>SET key value NX PX ms: true when the key was set (it did not exist).</summary>
    public async Task<bool> SetNxPxAsync(string key, string value, TimeSpan ttl, CancellationToken ct = default) =>
        await ExecuteAsync(["SET", key, value, "NX", "PX", ((long)ttl.TotalMilliseconds).ToString()], ct) is RespValue.Simple;

    public async Task SetPxAsync(string key, string value, TimeSpan ttl, CancellationToken ct = default) =>
        await ExecuteAsync(["SET", key, value, "PX", ((long)ttl.TotalMilliseconds).ToString()], ct);

    public async Task<string?> GetAsync(string key, CancellationToken ct = default) =>
        (await ExecuteAsync(["GET", key], ct)).AsString();

    public async Task<long> DelAsync(string key, CancellationToken ct = default) =>
        (await ExecuteAsync(["DEL", key], ct)).AsInteger();

    public async Task<long> IncrAsync(string key, CancellationToken ct = default) =>
        (await ExecuteAsync(["INCR", key], ct)).AsInteger();

    public async Task<bool> PExpireAsync(string key, TimeSpan ttl, CancellationToken ct = default) =>
        (await ExecuteAsync(["PEXPIRE", key, ((long)ttl.TotalMilliseconds).ToString()], ct)).AsInteger() == 1;

    public async Task<RespValue> EvalAsync(string script, IReadOnlyList<string> keys, IReadOnlyList<string> args, CancellationToken ct = default) =>
        await ExecuteAsync(["EVAL", script, keys.Count.ToString(), .. keys, .. args], ct);

    public async Task<RespValue> EvalShaAsync(string sha1, IReadOnlyList<string> keys, IReadOnlyList<string> args, CancellationToken ct = default) =>
        await ExecuteAsync(["EVALSHA", sha1, keys.Count.ToString(), .. keys, .. args], ct);

    /// <summary>EVALSHA, falling back to EVAL when the server does not know the script (after a restart or flush).</summary>
    public async Task<RespValue> RunScriptAsync(LuaScript script, IReadOnlyList<string> keys, IReadOnlyList<string> args, CancellationToken ct = default)
    {
        try
        {
            return await EvalShaAsync(script.Sha1, keys, args, ct);
        }
        catch (RedisServerException e) when (e.IsNoScript)
        {
            return await EvalAsync(script.Source, keys, args, ct);
        }
    }

    /// <summary>Sends one command and awaits its reply. Server errors throw <see cref="RedisServerException"/>.</summary>
    public async Task<RespValue> ExecuteAsync(string[] command, CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var connection = await GetConnectionAsync(ct);
        var reply = await connection.SendAsync(command, ct).WaitAsync(_timeout, ct).ConfigureAwait(false);
        return reply is RespValue.Error e ? throw new RedisServerException(e.Text) : reply;
    }

    private async Task<Connection> GetConnectionAsync(CancellationToken ct)
    {
        var current = _connection;
        if (current is { IsBroken: false }) return current;
        await _connectLock.WaitAsync(ct);
        try
        {
            if (_connection is { IsBroken: false }) return _connection;
            if (_connection is not null) await _connection.DisposeAsync();
            _connection = null;
            _connection = await Connection.OpenAsync(_host, _port, _timeout, ct);
            return _connection;
        }
        finally
        {
            _connectLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        if (_connection is not null) await _connection.DisposeAsync();
    }

    /// <summary>One socket: a writer loop and a reader loop; replies complete the oldest pending command.</summary>
    private sealed class Connection : IAsyncDisposable
    {
        private readonly Socket _socket;
        private readonly NetworkStream _stream;
        private readonly Channel<(byte[] Frame, TaskCompletionSource<RespValue> Reply)> _outbox =
            Channel.CreateUnbounded<(byte[], TaskCompletionSource<RespValue>)>(new UnboundedChannelOptions { SingleReader = true });
        private readonly Queue<TaskCompletionSource<RespValue>> _pending = new();
        private readonly CancellationTokenSource _stop = new();
        private volatile bool _broken;

        private Connection(Socket socket)
        {
            _socket = socket;
            _stream = new NetworkStream(socket, ownsSocket: true);
            _ = Task.Run(WriteLoopAsync);
            _ = Task.Run(ReadLoopAsync);
        }

        public bool IsBroken => _broken;

        public static async Task<Connection> OpenAsync(string host, int port, TimeSpan timeout, CancellationToken ct)
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
                cts.CancelAfter(timeout);
                await socket.ConnectAsync(host, port, cts.Token);
                return new Connection(socket);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
            {
                socket.Dispose();
                throw new RedisUnavailableException($"cannot connect to Redis at {host}:{port}", e);
            }
        }

        public Task<RespValue> SendAsync(string[] command, CancellationToken ct)
        {
            if (_broken) throw new RedisUnavailableException("Redis connection is broken");
            var reply = new TaskCompletionSource<RespValue>(TaskCreationOptions.RunContinuationsAsynchronously);
            // Queue order = write order = reply order: the pending queue is filled by the writer loop.
            if (!_outbox.Writer.TryWrite((Encode(command), reply))) throw new RedisUnavailableException("Redis connection is closed");
            return reply.Task;
        }

        internal static byte[] Encode(string[] parts)
        {
            var buffer = new ArrayBufferWriter<byte>(64);
            Write(buffer, $"*{parts.Length}\r\n");
            foreach (var part in parts)
            {
                var bytes = Encoding.UTF8.GetBytes(part);
                Write(buffer, $"${bytes.Length}\r\n");
                buffer.Write(bytes);
                Write(buffer, "\r\n");
            }
            return buffer.WrittenSpan.ToArray();

            static void Write(ArrayBufferWriter<byte> b, string s) => b.Write(Encoding.ASCII.GetBytes(s));
        }

        private async Task WriteLoopAsync()
        {
            try
            {
                var reader = _outbox.Reader;
                while (await reader.WaitToReadAsync(_stop.Token))
                {
                    // Drain everything queued into one write: that is the pipelining.
                    var batch = new ArrayBufferWriter<byte>(4096);
                    while (reader.TryRead(out var item))
                    {
                        lock (_pending) _pending.Enqueue(item.Reply);
                        batch.Write(item.Frame);
                        if (batch.WrittenCount > 1 << 20) break;
                    }
                    await _stream.WriteAsync(batch.WrittenMemory, _stop.Token);
                }
            }
            catch (Exception e)
            {
                Break(e);
            }
        }

        private async Task ReadLoopAsync()
        {
            try
            {
                var reader = new RespReader(_stream);
                while (!_stop.IsCancellationRequested)
                {
                    var value = await reader.ReadAsync(_stop.Token);
                    TaskCompletionSource<RespValue>? next;
                    lock (_pending) _pending.TryDequeue(out next);
                    if (next is null) throw new InvalidDataException("Redis sent a reply nobody asked for");
                    next.TrySetResult(value);
                }
            }
            catch (Exception e)
            {
                Break(e);
            }
        }

        private void Break(Exception cause)
        {
            if (_broken) return;
            _broken = true;
            _outbox.Writer.TryComplete();
            var error = cause as RedisUnavailableException ?? new RedisUnavailableException("Redis connection lost", cause);
            lock (_pending)
                while (_pending.TryDequeue(out var p)) p.TrySetException(error);
            while (_outbox.Reader.TryRead(out var item)) item.Reply.TrySetException(error);
            try { _stop.Cancel(); } catch (ObjectDisposedException) { }
            _stream.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Break(new RedisUnavailableException("Redis client disposed"));
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>A Lua script with its SHA-1, for EVALSHA.</summary>
public sealed class LuaScript(string source)
{
    public string Source { get; } = source;
    public string Sha1 { get; } = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(source)));
}
