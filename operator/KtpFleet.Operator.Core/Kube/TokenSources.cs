using System.Diagnostics;
using System.Text.Json.Nodes;

namespace KtpFleet.Operator.Kube;

/// <summary>Where the bearer token of a request comes from; asked before every request so rotation is picked up.</summary>
public interface ITokenSource
{
    ValueTask<string?> GetTokenAsync(CancellationToken ct);
}

public sealed class StaticToken(string token) : ITokenSource
{
    public ValueTask<string?> GetTokenAsync(CancellationToken ct) => ValueTask.FromResult<string?>(token);
}

/// <summary>
/// A token file re-read whenever it changes: projected service-account tokens are rotated by the kubelet
/// (hourly by default) and an old token stops working after it expires.
/// </summary>
public sealed class FileToken(string path) : ITokenSource
{
    private readonly Lock _gate = new();
    private DateTime _readAt = DateTime.MinValue;
    private long _readLength = -1;
    private string? _token;

    public ValueTask<string?> GetTokenAsync(CancellationToken ct)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException("service account token not found", path);
        lock (_gate)
        {
            if (_token is null || info.LastWriteTimeUtc != _readAt || info.Length != _readLength)
            {
                _token = File.ReadAllText(path).Trim();
                _readAt = info.LastWriteTimeUtc;
                _readLength = info.Length;
            }
            return ValueTask.FromResult<string?>(_token);
        }
    }
}

/// <summary>
/// A client-go exec credential plugin (client.authentication.k8s.io/v1 or v1beta1): runs the command, reads an
/// ExecCredential from its stdout, caches the token until its expirationTimestamp.
/// </summary>
public sealed class ExecCredentialToken(string command, IReadOnlyList<string> args,
    IReadOnlyDictionary<string, string> env, string apiVersion, TimeProvider? clock = null) : ITokenSource
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _token;
    private DateTimeOffset? _expires;

    public async ValueTask<string?> GetTokenAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_token is not null && (_expires is null || _expires > _clock.GetUtcNow().AddSeconds(10))) return _token;
            var psi = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in args) psi.ArgumentList.Add(a);
            foreach (var kv in env) psi.Environment[kv.Key] = kv.Value;
            psi.Environment["KUBERNETES_EXEC_INFO"] = new JsonObject
            {
                ["apiVersion"] = apiVersion,
                ["kind"] = "ExecCredential",
                ["spec"] = new JsonObject { ["interactive"] = false },
            }.ToJsonString();
            using var proc = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {command}");
            var stdout = await proc.StandardOutput.ReadToEndAsync(ct).ConfigureAwait(false);
            var stderr = await proc.StandardError.ReadToEndAsync(ct).ConfigureAwait(false);
            await proc.WaitForExitAsync(ct).ConfigureAwait(false);
            if (proc.ExitCode != 0)
                throw new InvalidOperationException($"exec credential plugin {command} exited {proc.ExitCode}: {stderr.Trim()}");
            var status = (JsonNode.Parse(stdout) as JsonObject)?["status"]
                ?? throw new FormatException($"exec credential plugin {command} printed no status");
            _token = (string?)status["token"] ?? throw new FormatException("the ExecCredential has no status.token");
            _expires = status["expirationTimestamp"] is { } exp ? DateTimeOffset.Parse((string)exp!, System.Globalization.CultureInfo.InvariantCulture) : null;
            return _token;
        }
        finally
        {
            _gate.Release();
        }
    }
}
