using System.Text.Json;
using KtpFleet.Fleet;
using KtpFleet.Fleet.Logging;
using KtpFleet.Fleet.Messaging;
using KtpFleet.Fleet.Metrics;
using KtpFleet.Fleet.Redis;
using KtpFleet.Fleet.Storage;
using KtpFleet.Fleet.Storage.Images;
using KtpFleet.Fleet.Tenants;
using KtpFleet.Ingest.Endpoints;
using KtpFleet.Ingest.Infrastructure;
using KtpFleet.Ingest.Intake;
using Npgsql;

namespace KtpFleet.Ingest;

/// <summary>Builds the ingest API (Program.cs and the tests share it).</summary>
public static class IngestApp
{
    public static WebApplication Build(string[] args, FleetSettings settings, SweeperOptions? sweeper = null)
    {
        // Content root = the binaries, not the working directory: the host watches its content root for config
        // changes, and under ./ktp up the working directory holds the image segments and the databases' files.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.AddFleetLogging("ingest-api");
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = null; // per-tenant limits are enforced while reading
            k.AddServerHeader = false;
        });
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);

        var s = builder.Services;
        s.AddSingleton(settings);
        s.AddSingleton(_ => new NpgsqlDataSourceBuilder(settings.Postgres) { Name = "ktp-ingest" }.Build());
        s.AddSingleton<JobStore>();
        s.AddSingleton<JobAcceptBatcher>();
        s.AddSingleton(sp => ImageStores.FromSetting(settings.ImageStore, sp.GetRequiredService<NpgsqlDataSource>()));
        s.AddSingleton<TenantStore>();
        s.AddSingleton<TenantAuth>();
        s.AddSingleton(_ => new TenantPolicyFile(settings.TenantPolicyFile));
        s.AddSingleton(_ => new JobPublisher(settings.Amqp, $"ktp-ingest-{Environment.MachineName}-{Environment.ProcessId}", channels: 16));
        s.AddSingleton<IRedisClient>(_ => RespClient.FromEndpoint(settings.Redis, TimeSpan.FromMilliseconds(500)));
        s.AddSingleton<RedisGate>();
        s.AddSingleton<RateLimiter>();
        s.AddSingleton<DedupeCache>();
        s.AddSingleton<FleetMetrics>();
        s.AddSingleton(_ => new PrometheusExporter(FleetMetrics.MeterName));
        s.AddSingleton<JobIntake>();
        s.AddSingleton<PublishConfirmations>();
        s.AddHostedService(sp => sp.GetRequiredService<PublishConfirmations>());
        s.AddSingleton<PublishQueue>();
        s.AddHostedService(sp => sp.GetRequiredService<PublishQueue>());
        s.AddSingleton(sweeper ?? SweeperOptions.Default);
        s.AddHostedService<OutboxSweeper>();
        s.AddSingleton<ImageRetentionSweeper>();
        s.AddHostedService(sp => sp.GetRequiredService<ImageRetentionSweeper>());
        s.AddSingleton<RequireTenantFilter>();
        s.AddOpenApi(o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "KTP Fleet ingest API";
            doc.Info.Description = "Upload KTP images, read verified results. Authenticate with 'Authorization: Bearer ktp_...'. " +
                                   "Errors are RFC 7807 problem details with a stable 'code'.";
            return Task.CompletedTask;
        }));

        var app = builder.Build();
        // The exporter must exist before the first instrument records.
        app.Services.GetRequiredService<PrometheusExporter>();
        app.MapOpenApi(); // /openapi/v1.json
        app.UseSwaggerUI(o =>
        {
            o.SwaggerEndpoint("/openapi/v1.json", "KTP Fleet v1");
            o.RoutePrefix = "swagger";
        });
        app.MapOpsEndpoints();
        app.MapJobEndpoints();
        return app;
    }

    /// <summary>Applies migrations and declares the default topology; run once at start.</summary>
    public static async Task PrepareAsync(WebApplication app, CancellationToken ct = default)
    {
        var settings = app.Services.GetRequiredService<FleetSettings>();
        await Migrator.MigrateAsync(app.Services.GetRequiredService<NpgsqlDataSource>(), ct);
        await using var connection = await AmqpConnector.ConnectAsync(settings.Amqp, "ktp-ingest-topology", ct);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        await new Topology(settings.Pipeline).DeclareAsync(channel, ct: ct);
    }
}
