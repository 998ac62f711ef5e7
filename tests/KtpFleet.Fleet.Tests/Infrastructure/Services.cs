using System.Diagnostics;
using System.Net.Sockets;
using KtpFleet.Fleet;
using Npgsql;

namespace KtpFleet.Fleet.Tests.Infrastructure;

/// <summary>The real services of scripts/services.sh; started through the script when a port is closed.</summary>
public static class Services
{
    public const int AmqpPort = 5673, ManagementPort = 15673, PostgresPort = 5433, RedisPort = 6380;
    private static readonly SemaphoreSlim StartLock = new(1, 1);

    public static string RepoRoot { get; } = FindRepoRoot();

    public static FleetSettings Settings => new();

    public static async Task EnsureRunningAsync(params string[] services)
    {
        if (services.Length == 0) services = ["rabbitmq", "postgres", "redis"];
        if (services.All(s => IsOpen(PortOf(s)))) return;
        await StartLock.WaitAsync();
        try
        {
            if (services.All(s => IsOpen(PortOf(s)))) return;
            await RunScriptAsync("start", services);
        }
        finally
        {
            StartLock.Release();
        }
    }

    /// <summary>Runs scripts/services.sh ACTION SERVICES... and fails the test if it fails.</summary>
    public static async Task RunScriptAsync(string action, params string[] services)
    {
        var psi = new ProcessStartInfo(Path.Combine(RepoRoot, "scripts", "services.sh")) { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add(action);
        foreach (var s in services) psi.ArgumentList.Add(s);
        psi.Environment["KTP_ROOT"] = RepoRoot;
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"services.sh {action} failed: {await stderr}{await stdout}");
    }

    public static int PortOf(string service) => service switch
    {
        "rabbitmq" => AmqpPort,
        "postgres" => PostgresPort,
        "redis" => RedisPort,
        _ => throw new ArgumentException(service),
    };

    public static bool IsOpen(int port)
    {
        try
        {
            using var c = new TcpClient();
            c.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "KtpFleet.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("KtpFleet.sln not found above the test binaries");
    }
}

/// <summary>A fresh database with the fleet schema for one test class; dropped afterwards.</summary>
public sealed class TestDatabase : IAsyncLifetime
{
    public string Name { get; } = "ktp_test_" + Guid.NewGuid().ToString("N")[..12];
    public string ConnectionString => new NpgsqlConnectionStringBuilder(Services.Settings.Postgres) { Database = Name }.ConnectionString;
    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Services.EnsureRunningAsync("postgres");
        await using (var admin = NpgsqlDataSource.Create(Services.Settings.Postgres))
        await using (var cmd = admin.CreateCommand($"CREATE DATABASE {Name}"))
            await cmd.ExecuteNonQueryAsync();
        DataSource = NpgsqlDataSource.Create(ConnectionString);
        await Storage.Migrator.MigrateAsync(DataSource);
    }

    public async Task DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = NpgsqlDataSource.Create(Services.Settings.Postgres);
        await using var cmd = admin.CreateCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await cmd.ExecuteNonQueryAsync();
                return;
            }
            // FORCE may not terminate an autovacuum worker (a superuser's backend) on behalf of a plain role; it is gone in a moment.
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 20)
            {
                await Task.Delay(250);
            }
        }
    }

    public async Task<long> CountAsync(string sql)
    {
        await using var cmd = DataSource.CreateCommand(sql);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }
}
