using System.Diagnostics;

namespace KtpFleet.Deploy.Tests.Infrastructure;

public sealed record ToolResult(int ExitCode, string StdOut, string StdErr)
{
    public string All => StdOut + StdErr;
}

/// <summary>Runs helm and kubectl as fetched by scripts/helm.sh (offline: from the npm layer, once per machine).</summary>
public static class Tool
{
    private static readonly Lazy<string> HelmPath = new(() => Locate("helm"));
    private static readonly Lazy<string> KubectlPath = new(() => Locate("kubectl"));
    private static readonly Lazy<string> PrometheusPath = new(() => Locate("prometheus"));

    public static string HelmBinary => HelmPath.Value;
    public static string KubectlBinary => KubectlPath.Value;
    public static string PrometheusBinary => PrometheusPath.Value;

    public static Task<ToolResult> HelmAsync(params string[] args) => RunAsync(HelmPath.Value, args);
    public static Task<ToolResult> KubectlAsync(params string[] args) => RunAsync(KubectlPath.Value, args);

    /// <summary>helm template for an environment ("" = the defaults) with the extra arguments given.</summary>
    public static async Task<string> TemplateAsync(string environment, params string[] extra)
    {
        var args = new List<string> { "template", "ktp", Repo.Chart, "--namespace", "ktp", "--include-crds",
            "--api-versions", "monitoring.coreos.com/v1" };
        if (environment.Length > 0) args.AddRange(["-f", Path.Combine(Repo.Chart, $"values-{environment}.yaml")]);
        args.AddRange(extra);
        var r = await HelmAsync([.. args]);
        Assert.True(r.ExitCode == 0, $"helm template ({environment}) failed: {r.All}");
        return r.StdOut;
    }

    public static async Task<ToolResult> RunAsync(string file, IEnumerable<string> args, IDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        // helm/kubectl must not find a real cluster or the user's config.
        psi.Environment["KUBECONFIG"] = "/dev/null";
        psi.Environment["HELM_CACHE_HOME"] = Path.Combine(Path.GetTempPath(), "ktp-helm-cache");
        psi.Environment["HELM_CONFIG_HOME"] = Path.Combine(Path.GetTempPath(), "ktp-helm-config");
        psi.Environment["HELM_DATA_HOME"] = Path.Combine(Path.GetTempPath(), "ktp-helm-data");
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await p.WaitForExitAsync(timeout.Token);
        return new ToolResult(p.ExitCode, await stdout, await stderr);
    }

    private static readonly Lock LocateLock = new();

    private static string Locate(string tool)
    {
        lock (LocateLock) return LocateOnce(tool);
    }

    private static string LocateOnce(string tool)
    {
        var script = Path.Combine(Repo.Root, "scripts", "helm.sh");
        var r = RunAsync(script, [tool], new Dictionary<string, string> { ["KTP_ROOT"] = Repo.Root }).GetAwaiter().GetResult();
        if (r.ExitCode != 0) throw new InvalidOperationException($"scripts/helm.sh {tool} failed: {r.All}");
        var path = r.StdOut.Trim().Split('\n').Last();
        return File.Exists(path) ? path : throw new FileNotFoundException($"scripts/helm.sh printed no {tool}", path);
    }
}
