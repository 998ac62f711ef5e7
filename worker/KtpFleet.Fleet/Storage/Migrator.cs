using System.Reflection;
using Npgsql;

namespace KtpFleet.Fleet.Storage;

/// <summary>
/// Applies the embedded <c>NNN_name.sql</c> migrations in order, each in its own transaction, recording them in
/// <c>schema_migrations</c>. An advisory lock keeps concurrent starters (API + workers) from racing.
/// </summary>
public static class Migrator
{
    private const long LockKey = 0x6b7470_666c74; // "ktp" "flt"

    public static IReadOnlyList<(int Version, string Name, string Sql)> Migrations { get; } = Load();

    /// <returns>the versions applied by this call</returns>
    public static async Task<IReadOnlyList<int>> MigrateAsync(NpgsqlDataSource db, CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await Exec(conn, $"SELECT pg_advisory_lock({LockKey})", ct);
        try
        {
            await Exec(conn, "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())", ct);
            var applied = new HashSet<int>();
            await using (var cmd = new NpgsqlCommand("SELECT version FROM schema_migrations", conn))
            await using (var r = await cmd.ExecuteReaderAsync(ct))
                while (await r.ReadAsync(ct)) applied.Add(r.GetInt32(0));

            var done = new List<int>();
            foreach (var (version, name, sql) in Migrations.Where(m => !applied.Contains(m.Version)))
            {
                await using var tx = await conn.BeginTransactionAsync(ct);
                await using (var cmd = new NpgsqlCommand(sql, conn, tx)) await cmd.ExecuteNonQueryAsync(ct);
                await using (var cmd = new NpgsqlCommand("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", conn, tx))
                {
                    cmd.Parameters.AddWithValue(version);
                    cmd.Parameters.AddWithValue(name);
                    await cmd.ExecuteNonQueryAsync(ct);
                }
                await tx.CommitAsync(ct);
                done.Add(version);
            }
            return done;
        }
        finally
        {
            await Exec(conn, $"SELECT pg_advisory_unlock({LockKey})", CancellationToken.None);
        }
    }

    private static async Task Exec(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static List<(int, string, string)> Load()
    {
        var asm = Assembly.GetExecutingAssembly();
        const string prefix = "KtpFleet.Fleet.Migrations.";
        return asm.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var name = n[prefix.Length..^4];
                using var reader = new StreamReader(asm.GetManifestResourceStream(n)!);
                return (int.Parse(name[..name.IndexOf('_')]), name, reader.ReadToEnd());
            })
            .OrderBy(m => m.Item1)
            .ToList();
    }
}
