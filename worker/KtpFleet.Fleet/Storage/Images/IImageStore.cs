namespace KtpFleet.Fleet.Storage.Images;

/// <summary>
/// Where upload bytes live between intake and OCR. The job row and the queue message carry only a reference
/// (<c>scheme:...</c>), so the API writes with whichever store it is configured for and any worker can read any
/// reference (<see cref="ImageStores"/>). A later swap to an object store (S3) implements this interface.
/// </summary>
public interface IImageStore
{
    /// <summary>The reference prefix this store writes and reads, e.g. <c>seg</c> or <c>pg</c>.</summary>
    string Scheme { get; }

    /// <summary>Stores the bytes durably: when the task completes they survive a crash of this process or the machine.</summary>
    /// <param name="sha256">the SHA-256 of <paramref name="image"/> (the intake has it already for dedupe)</param>
    /// <returns>the reference to record in the job row and the message</returns>
    Task<string> PutAsync(Guid jobId, ReadOnlyMemory<byte> image, byte[] sha256, CancellationToken ct = default);

    /// <returns>the bytes, or null when nothing is stored under the reference</returns>
    /// <exception cref="ImageStoreCorruptException">the stored bytes fail their integrity check</exception>
    Task<byte[]?> GetAsync(Guid jobId, string imageRef, CancellationToken ct = default);

    /// <summary>Best effort: forgets an image whose job was never created (a duplicate found after the write).</summary>
    Task DiscardAsync(Guid jobId, string imageRef, CancellationToken ct = default);

    /// <summary>Deletes images stored before <paramref name="before"/> (retention: they are personal data).</summary>
    /// <returns>how many units were deleted (segment files, rows)</returns>
    Task<long> ExpireAsync(DateTimeOffset before, CancellationToken ct = default);
}

/// <summary>Stored bytes that are not what was written (torn write, disk damage, wrong reference).</summary>
public sealed class ImageStoreCorruptException(string message) : Exception(message);

/// <summary>The store the API writes to, plus a reader for every scheme a job row may name.</summary>
public sealed class ImageStores(IImageStore writer, IReadOnlyList<IImageStore> readers) : IAsyncDisposable
{
    public const string PostgresSetting = "postgres";
    public const string SegmentsPrefix = "segments:";

    public IImageStore Writer => writer;

    /// <summary>
    /// From <c>KTP_IMAGE_STORE</c>: <c>postgres</c> (the default: nothing to share but the database) or
    /// <c>segments:&lt;directory&gt;</c> (a directory the API and every worker see). Old <c>pg:</c> references stay
    /// readable either way.
    /// </summary>
    public static ImageStores FromSetting(string setting, Npgsql.NpgsqlDataSource db)
    {
        var pg = new PostgresImageStore(db);
        if (setting == PostgresSetting) return new ImageStores(pg, [pg]);
        if (setting.StartsWith(SegmentsPrefix, StringComparison.Ordinal) && setting.Length > SegmentsPrefix.Length)
        {
            var segments = new SegmentImageStore(setting[SegmentsPrefix.Length..]);
            return new ImageStores(segments, [segments, pg]);
        }
        throw new ArgumentException($"KTP_IMAGE_STORE must be '{PostgresSetting}' or '{SegmentsPrefix}<directory>', not '{setting}'");
    }

    public Task<byte[]?> GetAsync(Guid jobId, string imageRef, CancellationToken ct = default) =>
        For(imageRef).GetAsync(jobId, imageRef, ct);

    public Task DiscardAsync(Guid jobId, string imageRef, CancellationToken ct = default) =>
        For(imageRef).DiscardAsync(jobId, imageRef, ct);

    /// <summary>Expires in every store (old references of a store no longer written to age out too).</summary>
    /// <returns>units deleted per scheme</returns>
    public async Task<IReadOnlyDictionary<string, long>> ExpireAsync(DateTimeOffset before, CancellationToken ct = default)
    {
        var deleted = new Dictionary<string, long>();
        foreach (var store in All)
            deleted[store.Scheme] = await store.ExpireAsync(before, ct);
        return deleted;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in All)
            if (store is IAsyncDisposable d) await d.DisposeAsync();
    }

    private IEnumerable<IImageStore> All => readers.Append(writer).Distinct();

    private IImageStore For(string imageRef)
    {
        var colon = imageRef.IndexOf(':');
        var scheme = colon > 0 ? imageRef[..colon] : "";
        return readers.FirstOrDefault(r => r.Scheme == scheme)
            ?? throw new ImageStoreCorruptException($"no image store reads references of scheme '{scheme}'");
    }
}
