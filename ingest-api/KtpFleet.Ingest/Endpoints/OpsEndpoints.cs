using KtpFleet.Fleet;
using KtpFleet.Fleet.Messaging;
using KtpFleet.Fleet.Metrics;
using KtpFleet.Ingest.Infrastructure;
using Npgsql;

namespace KtpFleet.Ingest.Endpoints;

/// <summary>/healthz (the process is alive), /readyz (its dependencies answer), /metrics (Prometheus text).</summary>
public static class OpsEndpoints
{
    public static void MapOpsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/readyz", ReadyAsync);
        app.MapGet("/metrics", (PrometheusExporter exporter) => Results.Text(exporter.Scrape(), PrometheusExporter.ContentType));
    }

    private static async Task<IResult> ReadyAsync(NpgsqlDataSource db, JobPublisher publisher, RedisGate redis, FleetSettings settings)
    {
        var checks = new Dictionary<string, string>
        {
            ["postgres"] = await Probe(async () => { await using var c = db.CreateCommand("SELECT 1"); await c.ExecuteScalarAsync(); }),
            ["rabbitmq"] = publisher.IsConnected ? "ok" : await Probe(async () =>
            {
                await using var c = await AmqpConnector.ConnectAsync(settings.Amqp, "ktp-ingest-readyz");
            }),
            ["redis"] = await Probe(async () =>
            {
                if (!await redis.Client.PingAsync()) throw new InvalidOperationException("no PONG");
            }),
        };
        var ready = checks.Values.All(v => v == "ok");
        return Results.Json(new { status = ready ? "ready" : "not_ready", checks }, statusCode: ready ? 200 : 503);
    }

    private static async Task<string> Probe(Func<Task> check)
    {
        try
        {
            await check().WaitAsync(TimeSpan.FromSeconds(2));
            return "ok";
        }
        catch (Exception e)
        {
            return "unavailable: " + e.GetType().Name;
        }
    }
}
