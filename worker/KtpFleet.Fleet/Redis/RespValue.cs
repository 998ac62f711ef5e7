using System.Text;

namespace KtpFleet.Fleet.Redis;

/// <summary>A RESP2 reply.</summary>
public abstract record RespValue
{
    public sealed record Simple(string Text) : RespValue;
    public sealed record Error(string Text) : RespValue;
    public sealed record Integer(long Value) : RespValue;
    /// <summary>A bulk string; null is the RESP nil bulk.</summary>
    public sealed record Bulk(byte[]? Bytes) : RespValue;
    /// <summary>An array; null is the RESP nil array.</summary>
    public sealed record Array(IReadOnlyList<RespValue>? Items) : RespValue;

    public string? AsString() => this switch
    {
        Simple s => s.Text,
        Bulk b => b.Bytes is null ? null : Encoding.UTF8.GetString(b.Bytes),
        Integer i => i.Value.ToString(),
        _ => throw new InvalidCastException($"RESP {GetType().Name} is not a string"),
    };

    public long AsInteger() => this switch
    {
        Integer i => i.Value,
        Bulk { Bytes: not null } b => long.Parse(Encoding.UTF8.GetString(b.Bytes)),
        _ => throw new InvalidCastException($"RESP {GetType().Name} is not an integer"),
    };

    public IReadOnlyList<RespValue> AsArray() =>
        this is Array { Items: not null } a ? a.Items : throw new InvalidCastException($"RESP {GetType().Name} is not an array");
}

/// <summary>Reads RESP2 values from a stream with its own buffer.</summary>
internal sealed class RespReader(Stream stream)
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    public async ValueTask<RespValue> ReadAsync(CancellationToken ct)
    {
        var line = await ReadLineAsync(ct);
        var body = line.Length > 1 ? line[1..] : "";
        switch (line[0])
        {
            case '+': return new RespValue.Simple(body);
            case '-': return new RespValue.Error(body);
            case ':': return new RespValue.Integer(long.Parse(body));
            case '$':
            {
                var length = int.Parse(body);
                if (length < 0) return new RespValue.Bulk(null);
                var bytes = new byte[length];
                await ReadExactAsync(bytes, ct);
                await ReadExactAsync(new byte[2], ct);
                return new RespValue.Bulk(bytes);
            }
            case '*':
            {
                var count = int.Parse(body);
                if (count < 0) return new RespValue.Array(null);
                var items = new RespValue[count];
                for (var i = 0; i < count; i++) items[i] = await ReadAsync(ct);
                return new RespValue.Array(items);
            }
            default: throw new InvalidDataException($"unexpected RESP type byte 0x{(byte)line[0]:x2}");
        }
    }

    private async ValueTask<string> ReadLineAsync(CancellationToken ct)
    {
        while (true)
        {
            var span = _buffer.AsSpan(_start, _end - _start);
            var nl = span.IndexOf("\r\n"u8);
            if (nl >= 0)
            {
                var line = Encoding.UTF8.GetString(span[..nl]);
                _start += nl + 2;
                if (line.Length == 0) throw new InvalidDataException("empty RESP line");
                return line;
            }
            await FillAsync(ct);
        }
    }

    private async ValueTask ReadExactAsync(byte[] target, CancellationToken ct)
    {
        var copied = 0;
        while (copied < target.Length)
        {
            if (_start == _end) await FillAsync(ct);
            var n = Math.Min(target.Length - copied, _end - _start);
            _buffer.AsSpan(_start, n).CopyTo(target.AsSpan(copied));
            _start += n;
            copied += n;
        }
    }

    private async ValueTask FillAsync(CancellationToken ct)
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length) throw new InvalidDataException("RESP line longer than the read buffer");
        var n = await stream.ReadAsync(_buffer.AsMemory(_end), ct);
        if (n == 0) throw new RedisUnavailableException("Redis closed the connection");
        _end += n;
    }
}
