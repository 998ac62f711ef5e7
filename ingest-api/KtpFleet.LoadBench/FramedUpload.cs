using System.Text;
using System.Text.Json;

namespace KtpFleet.LoadBench;

/// <summary>
/// A connection with one multipart upload request framed once (headers, part heads, images) and reused: each post
/// only stamps its images unique (<see cref="UniqueImages.Stamp"/>) and sends the same array again.
/// </summary>
public sealed class FramedUpload : IDisposable
{
    private const string Boundary = "ktp-load-bench-boundary";
    private static readonly byte[] PartHead = Encoding.ASCII.GetBytes(
        $"--{Boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"card\"\r\nContent-Type: application/octet-stream\r\n\r\n");
    private static readonly byte[] Close = Encoding.ASCII.GetBytes($"--{Boundary}--\r\n");

    private readonly Uri _url;
    private readonly byte[] _request;
    private readonly int[] _imageAt;
    private readonly int _imageSize;
    private RawHttpConnection? _connection;

    private FramedUpload(Uri url, byte[] request, int[] imageAt, int imageSize)
    {
        _url = url;
        _request = request;
        _imageAt = imageAt;
        _imageSize = imageSize;
    }

    /// <param name="parts">images per request: 1 for <c>/v1/ktp-jobs</c>, more for the batch endpoint</param>
    public static FramedUpload Create(Uri url, string bearer, string path, UniqueImages images, int parts)
    {
        var partBytes = PartHead.Length + images.Size + 2;
        var bodyLength = (long)partBytes * parts + Close.Length;
        var head = RawHttpConnection.PostHead(url, path, bearer, $"multipart/form-data; boundary={Boundary}", bodyLength);
        var request = new byte[head.Length + bodyLength];
        head.CopyTo(request, 0);
        var imageAt = new int[parts];
        var at = head.Length;
        for (var i = 0; i < parts; i++)
        {
            PartHead.CopyTo(request, at);
            imageAt[i] = at + PartHead.Length;
            images.CopyTo(request.AsSpan(imageAt[i]));
            "\r\n"u8.CopyTo(request.AsSpan(imageAt[i] + images.Size));
            at += partBytes;
        }
        Close.CopyTo(request, at);
        return new FramedUpload(url, request, imageAt, images.Size);
    }

    public int Parts => _imageAt.Length;

    /// <summary>Posts the request with its images stamped <c>n * Parts</c> and on.</summary>
    /// <returns>the answer, or null when the connection broke (a new one is opened for the next post)</returns>
    public async Task<RawHttpResponse?> PostAsync(long n)
    {
        for (var i = 0; i < _imageAt.Length; i++) UniqueImages.Stamp(_request.AsSpan(_imageAt[i], _imageSize), n * _imageAt.Length + i);
        try
        {
            _connection ??= await RawHttpConnection.OpenAsync(_url);
            return await _connection.SendAsync(_request);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            _connection?.Dispose();
            _connection = null;
            return null;
        }
    }

    /// <returns>items accepted and not accepted, from a batch answer</returns>
    public static (int Accepted, int Other) BatchCounts(RawHttpResponse? response, int parts)
    {
        if (response is not { Status: 200 }) return (0, parts);
        using var doc = JsonDocument.Parse(response.Body);
        var accepted = doc.RootElement.GetProperty("accepted").GetInt32();
        return (accepted, parts - accepted);
    }

    public void Dispose() => _connection?.Dispose();
}
