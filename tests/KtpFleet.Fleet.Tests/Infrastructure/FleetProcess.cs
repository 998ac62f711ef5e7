using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace KtpFleet.Fleet.Tests.Infrastructure;

/// <summary>
/// A real fleet process from the built binaries: a worker (with the real OCR pipeline) or the ingest API, so a test
/// can kill -9 it. Its log lines are kept for the PII scan.
/// </summary>
public sealed class FleetProcess : IDisposable
{
    private readonly Process _process;

    private FleetProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public static ConcurrentQueue<string> AllLogLines { get; } = new();

    public static string WorkerDll => Built("worker", "KtpFleet.Worker");
    public static string ApiDll => Built("ingest-api", "KtpFleet.Ingest");

    private static string Built(string folder, string project) => Path.Combine(Services.RepoRoot, folder, project, "bin", "Release", "net10.0", project + ".dll");

    public static FleetProcess StartWorker(string name, FleetSettings settings, int engines = 1, IDictionary<string, string>? env = null) =>
        Start(WorkerDll, name, "http://127.0.0.1:0", settings, new Dictionary<string, string>(env ?? new Dictionary<string, string>())
        {
            ["KTP_ENGINES"] = engines.ToString(),
            ["KTP_WORKER_NAME"] = name,
            ["KTP_RETRY_BASE_MS"] = "500",
        });

    /// <summary>The ingest API on <paramref name="url"/> (a fixed port, so a restarted API answers where the killed one did).</summary>
    public static FleetProcess StartApi(string name, Uri url, FleetSettings settings) =>
        Start(ApiDll, name, url.ToString().TrimEnd('/'), settings, new Dictionary<string, string>());

    /// <summary>A loopback URL on a port that was free a moment ago.</summary>
    public static Uri FreeLoopbackUrl()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return new Uri($"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}");
    }

    private static FleetProcess Start(string dll, string name, string urls, FleetSettings settings, Dictionary<string, string> env)
    {
        if (!File.Exists(dll)) throw new FileNotFoundException("build the solution first (./ktp builds it)", dll);
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(dll);
        psi.ArgumentList.Add("--urls");
        psi.ArgumentList.Add(urls);
        psi.Environment["OMP_THREAD_LIMIT"] = "1";
        psi.Environment["KTP_POSTGRES"] = settings.Postgres;
        psi.Environment["KTP_AMQP"] = settings.Amqp.ToString();
        psi.Environment["KTP_REDIS"] = settings.Redis;
        psi.Environment["KTP_IMAGE_STORE"] = settings.ImageStore;
        psi.Environment.Remove("KTP_LOG_FILE");
        if (settings.TenantPolicyFile is not null) psi.Environment["KTP_TENANT_POLICY_FILE"] = settings.TenantPolicyFile;
        foreach (var (k, v) in env) psi.Environment[k] = v;
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) AllLogLines.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) AllLogLines.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new FleetProcess(process, name);
    }

    /// <summary>kill -9: no drain, no cleanup; unacked messages go back to the queue, unpublished jobs wait for a sweeper.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    /// <summary>SIGTERM, then wait for the drain to finish.</summary>
    public bool Terminate(TimeSpan wait)
    {
        if (_process.HasExited) return true;
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()])) kill.WaitForExit();
        return _process.WaitForExit(wait);
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
