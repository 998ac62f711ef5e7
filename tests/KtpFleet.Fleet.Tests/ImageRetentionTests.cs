using System.Security.Cryptography;
using KtpFleet.Fleet.Storage.Images;
using KtpFleet.Fleet.Tests.Infrastructure;

namespace KtpFleet.Fleet.Tests;

/// <summary>Upload images deleted at the end of their retention, in both stores; the settings that choose it.</summary>
public sealed class ImageRetentionTests(TestDatabase db) : IClassFixture<TestDatabase>, IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"ktp-retention-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private static Task<string> PutAsync(IImageStore store, Guid id, byte[] bytes) => store.PutAsync(id, bytes, SHA256.HashData(bytes));

    [Fact]
    public async Task Segments_last_written_before_the_cutoff_are_deleted_the_rest_and_the_open_one_kept()
    {
        var old = RandomNumberGenerator.GetBytes(5000);
        var oldId = Guid.CreateVersion7();
        string oldRef;
        await using (var earlier = new SegmentImageStore(_root)) oldRef = await PutAsync(earlier, oldId, old);
        var oldSegment = Path.Combine(_root, SegmentImageStore.Parse(oldRef).Segment);
        File.SetLastWriteTimeUtc(oldSegment, DateTime.UtcNow.AddDays(-40));

        await using var store = new SegmentImageStore(_root);
        var fresh = RandomNumberGenerator.GetBytes(5000);
        var freshId = Guid.CreateVersion7();
        var freshRef = await PutAsync(store, freshId, fresh);
        var openSegment = Path.Combine(_root, SegmentImageStore.Parse(freshRef).Segment);
        File.SetLastWriteTimeUtc(openSegment, DateTime.UtcNow.AddDays(-40)); // old by its time stamp, but still being written

        Assert.Equal(1, await store.ExpireAsync(DateTimeOffset.UtcNow.AddDays(-30)));
        Assert.False(File.Exists(oldSegment));
        Assert.Null(await store.GetAsync(oldId, oldRef));
        Assert.Equal(fresh, await store.GetAsync(freshId, freshRef));
        Assert.Equal(0, await store.ExpireAsync(DateTimeOffset.UtcNow.AddDays(-30)));
    }

    [Fact]
    public async Task A_writer_starts_a_new_segment_once_its_segment_is_older_than_the_maximum_age()
    {
        await using var store = new SegmentImageStore(_root, 1L << 30, TimeSpan.FromMilliseconds(200), tryDirectWrites: true);
        var first = await PutAsync(store, Guid.CreateVersion7(), RandomNumberGenerator.GetBytes(100));
        var second = await PutAsync(store, Guid.CreateVersion7(), RandomNumberGenerator.GetBytes(100));
        await Task.Delay(400);
        var third = await PutAsync(store, Guid.CreateVersion7(), RandomNumberGenerator.GetBytes(100));
        Assert.Equal(SegmentImageStore.Parse(first).Segment, SegmentImageStore.Parse(second).Segment);
        Assert.NotEqual(SegmentImageStore.Parse(first).Segment, SegmentImageStore.Parse(third).Segment);
    }

    [Fact]
    public async Task Postgres_images_of_jobs_created_before_the_cutoff_are_deleted_by_their_version_7_ids()
    {
        var store = new PostgresImageStore(db.DataSource);
        var cutoff = DateTimeOffset.UtcNow.AddDays(-30);
        var older = Enumerable.Range(1, 3).Select(i => Guid.CreateVersion7(cutoff.AddMilliseconds(-i))).ToList();
        older.Add(Guid.CreateVersion7(cutoff.AddDays(-400)));
        var newer = new[] { Guid.CreateVersion7(cutoff), Guid.CreateVersion7(cutoff.AddMilliseconds(1)), Guid.CreateVersion7() };
        var bytes = RandomNumberGenerator.GetBytes(1000);
        foreach (var id in older.Concat(newer)) await PutAsync(store, id, bytes);

        Assert.Equal(older.Count, await store.ExpireAsync(cutoff));
        foreach (var id in older) Assert.Null(await store.GetAsync(id, PostgresImageStore.RefFor(id)));
        foreach (var id in newer) Assert.Equal(bytes, await store.GetAsync(id, PostgresImageStore.RefFor(id)));
    }

    [Theory]
    [InlineData("30", 30.0)]
    [InlineData("1", 1.0)]
    [InlineData("0", null)]
    public void Retention_days_are_whole_days_or_zero_for_ever(string text, double? days) =>
        Assert.Equal(days is { } d ? TimeSpan.FromDays(d) : null, FleetSettings.RetentionDays(text));

    [Theory]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("a month")]
    public void Other_retention_settings_are_refused_with_the_variable_named(string text) =>
        Assert.Contains("KTP_IMAGE_RETENTION_DAYS", Assert.Throws<ArgumentException>(() => FleetSettings.RetentionDays(text)).Message);
}
