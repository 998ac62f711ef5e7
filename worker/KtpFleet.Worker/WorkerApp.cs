using KtpFleet.Fleet;
using KtpFleet.Fleet.Logging;
using KtpFleet.Fleet.Metrics;
using KtpFleet.Fleet.Storage;
using KtpFleet.Fleet.Storage.Images;
using KtpFleet.Fleet.Tenants;
using KtpFleet.Fleet.Webhooks;
using KtpFleet.Ocr;
using Npgsql;

namespace KtpFleet.Worker;

/// <summary>Builds the worker host (Program.cs and the tests share it): consumer + /healthz + /metrics.</summary>
public static class WorkerApp
{
    public static WebApplication Build(string[] args, FleetSettings settings, WorkerOptions options, Func<IKtpExtractor> extractor)
    {
        // Content root = the binaries, not the working directory: the host watches its content root for config
        // changes, and under ./ktp up the working directory holds the image segments and the databases' files.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.AddFleetLogging("worker");
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.DrainTimeout + TimeSpan.FromSeconds(5));
        var s = builder.Services;
        s.AddSingleton(settings);
        s.AddSingleton(options);
        s.AddSingleton(_ => new NpgsqlDataSourceBuilder(settings.Postgres) { Name = "ktp-worker" }.Build());
        s.AddSingleton<JobStore>();
        s.AddSingleton(sp => ImageStores.FromSetting(settings.ImageStore, sp.GetRequiredService<NpgsqlDataSource>()));
        s.AddSingleton(sp =>
        {
            var file = new TenantPolicyFile(settings.TenantPolicyFile);
            var log = sp.GetRequiredService<ILogger<TenantPolicyFile>>();
            file.Reloaded += n => log.LogInformation("Tenant policy reloaded: {Tenants} tenant entries", n);
            file.ReloadFailed += e => log.LogWarning("Tenant policy file not reloaded, keeping the previous one: {Error}", e.Message);
            return file;
        });
        s.AddSingleton(_ => extractor());
        s.AddSingleton<FleetMetrics>();
        s.AddSingleton(_ => new PrometheusExporter(FleetMetrics.MeterName));
        s.AddSingleton<JobProcessor>();
        s.AddSingleton<QueueConsumer>();
        s.AddHostedService(sp => sp.GetRequiredService<QueueConsumer>());
        s.AddSingleton(sp => new WebhookDispatcher(sp.GetRequiredService<NpgsqlDataSource>(),
            new HttpClient { Timeout = TimeSpan.FromSeconds(15) }, sp.GetRequiredService<ILogger<WebhookDispatcher>>())
        { RetryBase = options.WebhookRetryBase });
        s.AddHostedService<WebhookService>();

        var app = builder.Build();
        app.Services.GetRequiredService<PrometheusExporter>();
        var consumer = app.Services.GetRequiredService<QueueConsumer>();
        app.Services.GetRequiredService<FleetMetrics>().ObserveEnginePool(() => consumer.IdleEngines);
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/metrics", (PrometheusExporter e) => Results.Text(e.Scrape(), PrometheusExporter.ContentType));
        return app;
    }

    public static Task PrepareAsync(WebApplication app, CancellationToken ct = default) =>
        Migrator.MigrateAsync(app.Services.GetRequiredService<NpgsqlDataSource>(), ct);
}
