using System.Collections.Concurrent;
using System.Diagnostics;

namespace KtpFleet.Fleet.Tests.Infrastructure;

/// <summary>A real worker process (the built KtpFleet.Worker.dll with the real OCR pipeline); its log lines are kept.</summary>
public sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;

    private WorkerProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public static ConcurrentQueue<string> AllLogLines { get; } = new();

    public static string WorkerDll => Path.Combine(Services.RepoRoot, "worker", "KtpFleet.Worker", "bin", "Release", "net10.0", "KtpFleet.Worker.dll");

    public static WorkerProcess Start(string name, FleetSettings settings, int engines = 1, IDictionary<string, string>? env = null)
    {
        if (!File.Exists(WorkerDll)) throw new FileNotFoundException("build the solution first (./ktp builds it)", WorkerDll);
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(WorkerDll);
        psi.ArgumentList.Add("--urls");
        psi.ArgumentList.Add("http://127.0.0.1:0");
        psi.Environment["OMP_THREAD_LIMIT"] = "1";
        psi.Environment["KTP_POSTGRES"] = settings.Postgres;
        psi.Environment["KTP_AMQP"] = settings.Amqp.ToString();
        psi.Environment["KTP_REDIS"] = settings.Redis;
        psi.Environment["KTP_IMAGE_STORE"] = settings.ImageStore;
        psi.Environment["KTP_ENGINES"] = engines.ToString();
        psi.Environment["KTP_WORKER_NAME"] = name;
        psi.Environment["KTP_RETRY_BASE_MS"] = "500";
        psi.Environment.Remove("KTP_LOG_FILE");
        if (settings.TenantPolicyFile is not null) psi.Environment["KTP_TENANT_POLICY_FILE"] = settings.TenantPolicyFile;
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) AllLogLines.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) AllLogLines.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new WorkerProcess(process, name);
    }

    /// <summary>kill -9: no drain, no cleanup; unacked messages go back to the queue.</summary>
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
