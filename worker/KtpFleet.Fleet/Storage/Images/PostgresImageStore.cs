using Npgsql;
using NpgsqlTypes;

namespace KtpFleet.Fleet.Storage.Images;

/// <summary>
/// Image bytes in the <c>job_images</c> table: needs nothing but the database every pod already reaches (the
/// default in a cluster without a shared volume), at the price of writing each image twice (WAL and heap) with a
/// commit flush of its own. <c>docs/load.md</c> has the figures against <see cref="SegmentImageStore"/>.
/// </summary>
public sealed class PostgresImageStore(NpgsqlDataSource db) : IImageStore
{
    public const string SchemeName = "pg";
    public string Scheme => SchemeName;

    private const int ExpireSlice = 5000;

    public static string RefFor(Guid jobId) => $"{SchemeName}:job_images/{jobId}";

    public async Task<string> PutAsync(Guid jobId, ReadOnlyMemory<byte> image, byte[] sha256, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("INSERT INTO job_images (job_id, content) VALUES ($1, $2) ON CONFLICT (job_id) DO NOTHING");
        cmd.Parameters.AddWithValue(jobId);
        cmd.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>> { TypedValue = image, NpgsqlDbType = NpgsqlDbType.Bytea });
        await cmd.ExecuteNonQueryAsync(ct);
        return RefFor(jobId);
    }

    public async Task<byte[]?> GetAsync(Guid jobId, string imageRef, CancellationToken ct = default)
    {
        if (imageRef != RefFor(jobId)) throw new ImageStoreCorruptException($"'{imageRef}' is not the PostgreSQL image of job {jobId}");
        await using var cmd = db.CreateCommand("SELECT content FROM job_images WHERE job_id = $1");
        cmd.Parameters.AddWithValue(jobId);
        return await cmd.ExecuteScalarAsync(ct) as byte[];
    }

    /// <summary>
    /// Job ids are UUIDv7, whose first 48 bits are the creation time in milliseconds, big-endian, and PostgreSQL
    /// orders uuids bytewise: every job created before <paramref name="before"/> has an id below the version-7 uuid of
    /// that instant with zero random bits. So the primary key finds them, without a timestamp column or a join.
    /// Deleted in slices, so a first run over a large backlog holds no long transaction.
    /// </summary>
    public async Task<long> ExpireAsync(DateTimeOffset before, CancellationToken ct = default)
    {
        var bound = LowestVersion7(before);
        long total = 0;
        while (true)
        {
            await using var cmd = db.CreateCommand(
                "DELETE FROM job_images WHERE job_id IN (SELECT job_id FROM job_images WHERE job_id < $1 LIMIT $2)");
            cmd.Parameters.AddWithValue(bound);
            cmd.Parameters.AddWithValue(ExpireSlice);
            var n = await cmd.ExecuteNonQueryAsync(ct);
            total += n;
            if (n < ExpireSlice) return total;
        }
    }

    internal static Guid LowestVersion7(DateTimeOffset at)
    {
        Span<byte> bytes = stackalloc byte[16];
        var ms = at.ToUnixTimeMilliseconds();
        for (var i = 0; i < 6; i++) bytes[i] = (byte)(ms >> (40 - 8 * i));
        bytes[6] = 0x70; // version 7
        bytes[8] = 0x80; // RFC 9562 variant
        return new Guid(bytes, bigEndian: true);
    }

    public async Task DiscardAsync(Guid jobId, string imageRef, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("DELETE FROM job_images WHERE job_id = $1");
        cmd.Parameters.AddWithValue(jobId);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
