using System.Collections.Concurrent;
using KtpFleet.Ocr;
using KtpFleet.Ocr.Results;
using KtpFleet.Worker;
using Microsoft.AspNetCore.Builder;

namespace KtpFleet.Fleet.Tests.Infrastructure;

/// <summary>An in-process worker host (for the queue/retry/drain logic; the OCR itself is exercised by the process tests).</summary>
public sealed class WorkerHost : IAsyncDisposable
{
    private WorkerHost(WebApplication app) => App = app;

    public WebApplication App { get; }

    public static async Task<WorkerHost> StartAsync(FleetSettings settings, WorkerOptions options, IKtpExtractor extractor)
    {
        var app = WorkerApp.Build(["--urls", "http://127.0.0.1:0"], settings, options, () => extractor);
        await WorkerApp.PrepareAsync(app);
        await app.StartAsync();
        return new WorkerHost(app);
    }

    public Task StopAsync() => App.StopAsync();

    public async ValueTask DisposeAsync()
    {
        try { await App.StopAsync(); } catch (ObjectDisposedException) { }
        await App.DisposeAsync();
    }
}

/// <summary>
/// An extractor whose behaviour per image is scripted by the test (fail N times, throw an image error, be slow):
/// what is under test here is the fleet's handling of those outcomes, not OCR.
/// </summary>
public sealed class ScriptedExtractor : IKtpExtractor
{
    public ConcurrentDictionary<string, int> Calls { get; } = new();
    public Func<string, int, Task>? Behaviour { get; set; }

    public static string KeyOf(ReadOnlyMemory<byte> image) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(image.Span));

    public async Task<KtpResult> ExtractAsync(ReadOnlyMemory<byte> image, ExtractOptions? options = null, CancellationToken ct = default)
    {
        var key = KeyOf(image);
        var call = Calls.AddOrUpdate(key, 1, (_, n) => n + 1);
        if (Behaviour is not null) await Behaviour(key, call);
        return new KtpResult
        {
            Fields = new Dictionary<string, FieldResult> { [KtpField.Nik] = new("3174****", 0.5, null, null) },
            Checks = [],
            Verdict = new VerdictResult(Verdict.NeedsReview, ["scripted"]),
            Engine = new EngineInfo("scripted", "none", "test"),
            TimingsMs = new Dictionary<string, double> { ["recognise"] = 1 },
        };
    }
}
