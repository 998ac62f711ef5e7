using System.Net.Sockets;
using System.Text;

namespace KtpFleet.LoadBench;

/// <summary>The status and body of one answer.</summary>
public sealed record RawHttpResponse(int Status, byte[] Body);

/// <summary>
/// One keep-alive HTTP/1.1 connection that sends a request the caller framed completely (request line, headers and
/// body in one array, reused from upload to upload) and reads the answer (Content-Length or chunked). The load
/// client shares two cores with the API and its services; with <c>HttpClient</c> and a fresh 200 KB body per upload
/// it spent ~0.6 ms of CPU per upload, which the ingest figures then paid for.
/// </summary>
public sealed class RawHttpConnection : IDisposable
{
    private readonly Socket _socket;
    private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();
    private static readonly byte[] LineEnd = "\r\n"u8.ToArray();
    private byte[] _buffer = new byte[16 * 1024];
    private int _start, _end;

    private RawHttpConnection(Socket socket) => _socket = socket;

    public static async Task<RawHttpConnection> OpenAsync(Uri url, CancellationToken ct = default)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(url.Host, url.Port, ct);
            return new RawHttpConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Request line and headers of a POST whose body follows them.</summary>
    public static byte[] PostHead(Uri url, string path, string bearer, string contentType, long contentLength) =>
        Encoding.ASCII.GetBytes($"POST {path} HTTP/1.1\r\nHost: {url.Authority}\r\nAuthorization: Bearer {bearer}\r\n" +
                                $"Content-Type: {contentType}\r\nContent-Length: {contentLength}\r\n\r\n");

    /// <exception cref="IOException">the connection broke or the answer is not HTTP/1.1</exception>
    public async Task<RawHttpResponse> SendAsync(ReadOnlyMemory<byte> request, CancellationToken ct = default)
    {
        try
        {
            while (!request.IsEmpty) request = request[await _socket.SendAsync(request, SocketFlags.None, ct)..];
            var headEnd = await FillUntilAsync(HeadEnd, ct);
            var head = Encoding.ASCII.GetString(_buffer, _start, headEnd - _start);
            _start = headEnd + 4;
            if (head.Length < 12 || !head.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) || !int.TryParse(head.AsSpan(9, 3), out var status))
                throw new IOException($"not an HTTP/1.1 answer: '{head[..Math.Min(head.Length, 40)]}'");
            var body = Header(head, "transfer-encoding") is { } te && te.Contains("chunked", StringComparison.OrdinalIgnoreCase)
                ? await ReadChunkedAsync(ct)
                : await ReadExactAsync(int.Parse(Header(head, "content-length") ?? "0"), ct);
            return new RawHttpResponse(status, body);
        }
        catch (SocketException e)
        {
            throw new IOException("the connection broke: " + e.Message, e);
        }
    }

    private static string? Header(string head, string name)
    {
        foreach (var line in head.Split("\r\n").Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon > 0 && line.AsSpan(0, colon).Trim().Equals(name, StringComparison.OrdinalIgnoreCase)) return line[(colon + 1)..].Trim();
        }
        return null;
    }

    private async Task<byte[]> ReadChunkedAsync(CancellationToken ct)
    {
        using var body = new MemoryStream();
        while (true)
        {
            var lineEnd = await FillUntilAsync(LineEnd, ct);
            var sizeText = Encoding.ASCII.GetString(_buffer, _start, lineEnd - _start).Split(';')[0].Trim();
            _start = lineEnd + 2;
            var size = Convert.ToInt32(sizeText, 16);
            if (size == 0)
            {
                // Trailers (none expected) end with an empty line.
                _start = await FillUntilAsync(LineEnd, ct) + 2;
                return body.ToArray();
            }
            body.Write(await ReadExactAsync(size, ct));
            await ReadExactAsync(2, ct); // the CRLF after the chunk
        }
    }

    private async Task<byte[]> ReadExactAsync(int count, CancellationToken ct)
    {
        var result = new byte[count];
        var copied = 0;
        while (copied < count)
        {
            if (_start == _end) await ReceiveAsync(ct);
            var n = Math.Min(count - copied, _end - _start);
            _buffer.AsSpan(_start, n).CopyTo(result.AsSpan(copied));
            _start += n;
            copied += n;
        }
        return result;
    }

    /// <returns>the index in the buffer where <paramref name="marker"/> starts</returns>
    private async Task<int> FillUntilAsync(ReadOnlyMemory<byte> marker, CancellationToken ct)
    {
        while (true)
        {
            var at = _buffer.AsSpan(_start, _end - _start).IndexOf(marker.Span);
            if (at >= 0) return _start + at;
            await ReceiveAsync(ct);
        }
    }

    private async Task ReceiveAsync(CancellationToken ct)
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= 1 << 20) throw new IOException("an answer's head or chunk line is over 1 MB");
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
        var n = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, ct);
        if (n == 0) throw new IOException("the server closed the connection");
        _end += n;
    }

    public void Dispose() => _socket.Dispose();
}
