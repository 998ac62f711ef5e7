using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace KtpFleet.Deploy.Tests.Infrastructure;

/// <summary>A throwaway Prometheus (Debian's package) scraping the given targets every second; runs PromQL for real.</summary>
public sealed class LocalPrometheus : IDisposable
{
    private readonly Process _process;
    private readonly string _dir;
    private readonly HttpClient _http;

    private LocalPrometheus(Process process, string dir, Uri address)
    {
        _process = process;
        _dir = dir;
        _http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <param name="jobs">job name → (metrics path, host:port)</param>
    public static async Task<LocalPrometheus> StartAsync(string binary, IReadOnlyDictionary<string, (string Path, string Target)> jobs)
    {
        var dir = Directory.CreateTempSubdirectory("ktp-prometheus-").FullName;
        var config = "global: {scrape_interval: 1s, evaluation_interval: 1s}\nscrape_configs:\n" + string.Concat(jobs.Select(j =>
            $"  - job_name: {j.Key}\n    metrics_path: {j.Value.Path}\n    static_configs: [{{targets: ['{j.Value.Target}']}}]\n"));
        await File.WriteAllTextAsync(Path.Combine(dir, "prometheus.yml"), config);
        int port;
        using (var l = new TcpListener(IPAddress.Loopback, 0)) { l.Start(); port = ((IPEndPoint)l.LocalEndpoint).Port; }
        var psi = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { $"--config.file={dir}/prometheus.yml", $"--storage.tsdb.path={dir}/data", $"--web.listen-address=127.0.0.1:{port}" })
            psi.ArgumentList.Add(a);
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var p = new LocalPrometheus(process, dir, new Uri($"http://127.0.0.1:{port}/"));
        for (var i = 0; i < 150; i++)
        {
            if (process.HasExited) throw new InvalidOperationException($"prometheus exited ({process.ExitCode})");
            try
            {
                if ((await p._http.GetAsync("-/ready")).IsSuccessStatusCode) return p;
            }
            catch (HttpRequestException) { }
            await Task.Delay(200);
        }
        p.Dispose();
        throw new TimeoutException("prometheus did not become ready");
    }

    /// <summary>Waits until every job's target has been scraped successfully at least three times.</summary>
    public async Task WaitForScrapesAsync(int jobs)
    {
        for (var i = 0; i < 100; i++)
        {
            var (ok, result) = await QueryAsync("count_over_time(up[1m]) >= 3 and up == 1");
            if (ok && result.GetArrayLength() >= jobs) return;
            await Task.Delay(300);
        }
        throw new TimeoutException("targets were not scraped");
    }

    /// <returns>whether Prometheus accepted and ran the query, and the result vector (or its error)</returns>
    public async Task<(bool Ok, JsonElement Result)> QueryAsync(string promql)
    {
        using var response = await _http.GetAsync("api/v1/query?query=" + Uri.EscapeDataString(promql));
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = doc.RootElement;
        return root.GetProperty("status").GetString() == "success"
            ? (true, root.GetProperty("data").GetProperty("result").Clone())
            : (false, root.GetProperty("error").Clone());
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
        _process.Dispose();
        _http.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
