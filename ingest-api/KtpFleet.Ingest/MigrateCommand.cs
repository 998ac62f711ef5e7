using KtpFleet.Fleet;
using KtpFleet.Fleet.Storage;
using Npgsql;

namespace KtpFleet.Ingest;

/// <summary>
/// <c>migrate</c>: applies the database migrations and exits (the Helm chart's pre-install/pre-upgrade Job), so a
/// schema change lands once before new API pods start rather than racing inside their startup.
/// </summary>
public static class MigrateCommand
{
    public static bool Matches(string[] args) => args is ["migrate"];

    public static async Task<int> RunAsync(FleetSettings settings)
    {
        try
        {
            await using var db = NpgsqlDataSource.Create(settings.Postgres);
            var applied = await Migrator.MigrateAsync(db);
            Console.WriteLine(applied.Count == 0
                ? $"database is current ({Migrator.Migrations.Count} migrations)"
                : $"applied migrations: {string.Join(", ", applied)}");
            return 0;
        }
        catch (NpgsqlException e)
        {
            // The message names host and database, never the password (Npgsql does not echo it).
            await Console.Error.WriteLineAsync($"error: migration failed: {e.Message}");
            return 1;
        }
    }
}
