using KtpFleet.Fleet;
using KtpFleet.Fleet.Storage;
using Npgsql;

namespace KtpFleet.Ingest;

/// <summary><c>tenant create NAME</c>: creates a tenant and prints its API key once (only its hash is stored).</summary>
public static class TenantCommand
{
    public static bool Matches(string[] args) => args.Length > 0 && args[0] == "tenant";

    public static async Task<int> RunAsync(string[] args, FleetSettings settings)
    {
        if (args is not ["tenant", "create", var name])
        {
            await Console.Error.WriteLineAsync("usage: tenant create NAME");
            return 2;
        }
        await using var db = NpgsqlDataSource.Create(settings.Postgres);
        await Migrator.MigrateAsync(db);
        try
        {
            var created = await new TenantStore(db).CreateAsync(name);
            Console.WriteLine($"tenant:  {created.TenantId}");
            Console.WriteLine($"api key: {created.Key}");
            Console.WriteLine($"webhook signing secret: {created.WebhookSecret}");
            Console.WriteLine("(the key is shown once; only its hash is stored)");
            return 0;
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return 1;
        }
    }
}
