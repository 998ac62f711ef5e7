using System.Text.RegularExpressions;
using KtpFleet.Fleet.Tenants;
using Npgsql;

namespace KtpFleet.Fleet.Storage;

public sealed record TenantCredentials(string TenantId, ApiKey Key, string WebhookSecret);

/// <summary>Tenants and their hashed API keys.</summary>
public sealed partial class TenantStore(NpgsqlDataSource db)
{
    /// <summary>Creates the tenant (id = a slug of the name) with a first API key; the key is returned only here.</summary>
    /// <exception cref="ArgumentException">the name is empty or has no usable characters, or the tenant exists</exception>
    public async Task<TenantCredentials> CreateAsync(string name, CancellationToken ct = default)
    {
        var id = Slug().Replace(name.Trim().ToLowerInvariant(), "-").Trim('-');
        if (id.Length is 0 or > 63) throw new ArgumentException("tenant name must have 1-63 letters or digits", nameof(name));
        var key = ApiKey.Generate();
        var webhookSecret = "whsec_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var cmd = new NpgsqlCommand("INSERT INTO tenants (id, name, webhook_secret) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", conn, tx))
        {
            cmd.Parameters.AddWithValue(id);
            cmd.Parameters.AddWithValue(name.Trim());
            cmd.Parameters.AddWithValue(webhookSecret);
            if (await cmd.ExecuteNonQueryAsync(ct) == 0) throw new ArgumentException($"tenant '{id}' already exists", nameof(name));
        }
        await InsertKeyAsync(conn, tx, id, key, ct);
        await tx.CommitAsync(ct);
        return new TenantCredentials(id, key, webhookSecret);
    }

    /// <summary>Adds another key to an existing tenant (key rotation).</summary>
    public async Task<ApiKey> AddKeyAsync(string tenantId, CancellationToken ct = default)
    {
        var key = ApiKey.Generate();
        await using var conn = await db.OpenConnectionAsync(ct);
        await InsertKeyAsync(conn, null, tenantId, key, ct);
        return key;
    }

    /// <returns>the tenant id when the key is valid and not revoked, else null</returns>
    public async Task<string?> AuthenticateAsync(ApiKey key, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("SELECT tenant_id, secret_hash FROM api_keys WHERE key_id = $1 AND revoked_at IS NULL");
        cmd.Parameters.AddWithValue(key.KeyId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        return key.Matches((byte[])r[1]) ? r.GetString(0) : null;
    }

    private static async Task InsertKeyAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string tenantId, ApiKey key, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("INSERT INTO api_keys (key_id, tenant_id, secret_hash) VALUES ($1, $2, $3)", conn, tx);
        cmd.Parameters.AddWithValue(key.KeyId);
        cmd.Parameters.AddWithValue(tenantId);
        cmd.Parameters.AddWithValue(key.SecretHash());
        await cmd.ExecuteNonQueryAsync(ct);
    }

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex Slug();
}
