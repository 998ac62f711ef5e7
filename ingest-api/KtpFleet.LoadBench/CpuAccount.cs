using System.Diagnostics;

namespace KtpFleet.LoadBench;

/// <summary>
/// CPU time each part of the fleet spent during a run, from /proc (utime + stime of every process, grouped by what it
/// is): on one small machine the client, the API and the services share the cores, so "uploads/s" alone hides who
/// used them. Printed per upload, which is what a capacity estimate needs.
/// </summary>
public sealed class CpuAccount
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux
    private readonly Dictionary<(int Pid, string Part), double> _before;
    private readonly TimeSpan _clientBefore = Process.GetCurrentProcess().TotalProcessorTime;

    private CpuAccount(Dictionary<(int Pid, string Part), double> before) => _before = before;

    public static CpuAccount Start() => new(Snapshot());

    /// <returns>CPU milliseconds per item of each part (api, client, postgres, ...) since <see cref="Start"/></returns>
    public IReadOnlyDictionary<string, double> MsPerItem(long items)
    {
        var after = Snapshot();
        var parts = new Dictionary<string, double>();
        foreach (var (key, seconds) in after)
            parts[key.Part] = parts.GetValueOrDefault(key.Part) + seconds - _before.GetValueOrDefault(key);
        parts["client"] = (Process.GetCurrentProcess().TotalProcessorTime - _clientBefore).TotalSeconds;
        return parts.Where(p => p.Value > 0).ToDictionary(p => p.Key, p => p.Value * 1000 / Math.Max(items, 1));
    }

    /// <returns>e.g. <c>CPU ms per upload: api 1.52, postgres 0.48, ...; total 3.30</c></returns>
    public string PerItem(long items)
    {
        if (items == 0) return "no items";
        var parts = MsPerItem(items);
        var ordered = parts.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value:F2}");
        return $"CPU ms per upload: {string.Join(", ", ordered)}; total {parts.Values.Sum():F2}";
    }

    private static Dictionary<(int Pid, string Part), double> Snapshot()
    {
        var result = new Dictionary<(int Pid, string Part), double>();
        var self = Environment.ProcessId;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == self) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                result[(pid, PartOf(cmdline))] = (long.Parse(fields[11]) + long.Parse(fields[12])) / TicksPerSecond;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // the process ended between listing and reading
            }
        }
        return result;
    }

    private static string PartOf(string cmdline) =>
        cmdline.Contains("KtpFleet.Ingest") ? "api"
        : cmdline.Contains("KtpFleet.Worker") ? "workers"
        : cmdline.Contains("postgres") ? "postgres"
        : cmdline.Contains("beam.smp") ? "rabbitmq"
        : cmdline.Contains("redis-server") ? "redis"
        : "other";
}
