using System.Security.Cryptography;
using KtpFleet.Fleet.Storage.Images;

namespace KtpFleet.Fleet.Tests;

/// <summary>The segment image store on the real filesystem: group commit, integrity checks, restarts, rolling.</summary>
public sealed class SegmentImageStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"ktp-seg-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private static (Guid Id, byte[] Bytes) NewImage(int size = 50_000) => (Guid.CreateVersion7(), RandomNumberGenerator.GetBytes(size));

    private static Task<string> PutAsync(SegmentImageStore store, (Guid Id, byte[] Bytes) image) =>
        store.PutAsync(image.Id, image.Bytes, SHA256.HashData(image.Bytes));

    [Fact]
    public async Task Concurrent_puts_share_flushes_and_every_image_reads_back()
    {
        await using var store = new SegmentImageStore(_root);
        var images = Enumerable.Range(0, 300).Select(_ => NewImage()).ToList();
        var refs = await Task.WhenAll(images.Select(i => PutAsync(store, i)));
        for (var i = 0; i < images.Count; i++)
            Assert.Equal(images[i].Bytes, await store.GetAsync(images[i].Id, refs[i]));
        Assert.Equal(300, store.Records);
        Assert.True(store.Flushes <= 300 / 4, $"{store.Flushes} flushes for 300 records: puts are not batched");
        Assert.Equal(300, refs.Distinct().Count());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(SegmentImageStore.Alignment - 60)] // header + payload exactly one block
    [InlineData(SegmentImageStore.Alignment - 59)]
    [InlineData(200_003)]
    public async Task Records_start_on_aligned_offsets_and_images_of_any_length_read_back(int size)
    {
        await using var store = new SegmentImageStore(_root);
        var images = Enumerable.Range(0, 5).Select(_ => NewImage(size)).ToList();
        var refs = new List<string>();
        foreach (var image in images) refs.Add(await PutAsync(store, image)); // one by one: each its own batch, too
        refs.AddRange(await Task.WhenAll(images.Select(i => PutAsync(store, (Guid.CreateVersion7(), i.Bytes)))));
        foreach (var r in refs)
            Assert.Equal(0, SegmentImageStore.Parse(r).Offset % SegmentImageStore.Alignment);
        for (var i = 0; i < images.Count; i++)
            Assert.Equal(images[i].Bytes, await store.GetAsync(images[i].Id, refs[i]));
    }

    [Fact]
    public async Task Segments_on_a_disk_are_written_past_the_page_cache()
    {
        // Under the build output (the clone's disk): /tmp may be a tmpfs on some machines.
        var root = Path.Combine(AppContext.BaseDirectory, $"ktp-seg-direct-{Guid.NewGuid():N}");
        try
        {
            await using var store = new SegmentImageStore(root);
            var image = NewImage(123_457);
            var imageRef = await PutAsync(store, image);
            Assert.True(store.WritesDirect, "O_DIRECT was refused on an ext4 disk");
            Assert.Equal(image.Bytes, await store.GetAsync(image.Id, imageRef));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Buffered_writes_as_on_a_file_system_without_O_DIRECT_read_back()
    {
        // No file system here refuses O_DIRECT (tmpfs has it since Linux 6.6), so the store is told to write buffered.
        var root = Path.Combine(Path.GetTempPath(), $"ktp-seg-buffered-{Guid.NewGuid():N}");
        try
        {
            await using var store = new SegmentImageStore(root, 1L << 30, TimeSpan.FromHours(1), tryDirectWrites: false);
            var images = Enumerable.Range(0, 20).Select(_ => NewImage(10_001)).ToList();
            var refs = await Task.WhenAll(images.Select(i => PutAsync(store, i)));
            Assert.False(store.WritesDirect);
            for (var i = 0; i < images.Count; i++)
                Assert.Equal(images[i].Bytes, await store.GetAsync(images[i].Id, refs[i]));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task A_damaged_record_is_refused_not_returned()
    {
        var image = NewImage();
        string imageRef;
        await using (var store = new SegmentImageStore(_root)) imageRef = await PutAsync(store, image);
        var (segment, offset, _) = SegmentImageStore.Parse(imageRef);
        var path = Path.Combine(_root, segment);
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[offset + 100 + 60] ^= 0x40; // one bit inside the payload
        await File.WriteAllBytesAsync(path, bytes);
        await using var reader = new SegmentImageStore(_root);
        var e = await Assert.ThrowsAsync<ImageStoreCorruptException>(() => reader.GetAsync(image.Id, imageRef));
        Assert.Contains("SHA-256", e.Message);
    }

    [Fact]
    public async Task A_reference_read_for_another_job_is_refused()
    {
        await using var store = new SegmentImageStore(_root);
        var image = NewImage();
        var imageRef = await PutAsync(store, image);
        await Assert.ThrowsAsync<ImageStoreCorruptException>(() => store.GetAsync(Guid.NewGuid(), imageRef));
    }

    [Theory]
    [InlineData("seg:../../etc/passwd@0+10")]
    [InlineData("seg:20261201T120000-0123456789ab.seg@-1+10")]
    [InlineData("seg:20261201T120000-0123456789ab.seg")]
    [InlineData("pg:job_images/1")]
    public async Task References_that_are_not_segment_records_are_refused(string imageRef)
    {
        await using var store = new SegmentImageStore(_root);
        await Assert.ThrowsAsync<ImageStoreCorruptException>(() => store.GetAsync(Guid.NewGuid(), imageRef));
    }

    [Fact]
    public async Task A_missing_segment_reads_as_absent()
    {
        await using var store = new SegmentImageStore(_root);
        Assert.Null(await store.GetAsync(Guid.NewGuid(), "seg:20261201T120000-0123456789ab.seg@0+10"));
    }

    [Fact]
    public async Task A_restarted_store_reads_old_records_and_never_appends_to_old_segments()
    {
        var first = NewImage();
        string firstRef;
        await using (var store = new SegmentImageStore(_root)) firstRef = await PutAsync(store, first);
        var sizeBefore = new FileInfo(Path.Combine(_root, SegmentImageStore.Parse(firstRef).Segment)).Length;

        await using var restarted = new SegmentImageStore(_root);
        var second = NewImage();
        var secondRef = await PutAsync(restarted, second);
        Assert.NotEqual(SegmentImageStore.Parse(firstRef).Segment, SegmentImageStore.Parse(secondRef).Segment);
        Assert.Equal(sizeBefore, new FileInfo(Path.Combine(_root, SegmentImageStore.Parse(firstRef).Segment)).Length);
        Assert.Equal(first.Bytes, await restarted.GetAsync(first.Id, firstRef));
        Assert.Equal(second.Bytes, await restarted.GetAsync(second.Id, secondRef));
    }

    [Fact]
    public async Task Segments_roll_at_their_size_limit()
    {
        await using var store = new SegmentImageStore(_root, segmentBytes: 120_000);
        var images = Enumerable.Range(0, 6).Select(_ => NewImage(50_000)).ToList();
        var refs = new List<string>();
        foreach (var i in images) refs.Add(await PutAsync(store, i)); // one at a time: two records fit a segment
        Assert.Equal(3, refs.Select(r => SegmentImageStore.Parse(r).Segment).Distinct().Count());
        Assert.All(Directory.GetFiles(_root, "*.seg"), f => Assert.True(new FileInfo(f).Length <= 120_000));
        for (var i = 0; i < images.Count; i++) Assert.Equal(images[i].Bytes, await store.GetAsync(images[i].Id, refs[i]));
    }

    [Fact]
    public async Task A_put_into_an_unwritable_root_fails_instead_of_answering()
    {
        await using var store = new SegmentImageStore(_root);
        Directory.Delete(_root); // the volume went away under the API
        await File.WriteAllTextAsync(_root, "not a directory");
        try
        {
            await Assert.ThrowsAnyAsync<IOException>(() => PutAsync(store, NewImage()));
        }
        finally
        {
            File.Delete(_root);
        }
    }

    [Fact]
    public async Task The_setting_chooses_the_store_and_bad_settings_are_refused()
    {
        using var db = Npgsql.NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Username=x;Password=x;Database=x");
        Assert.IsType<PostgresImageStore>(ImageStores.FromSetting("postgres", db).Writer);
        var segments = ImageStores.FromSetting("segments:" + _root, db);
        Assert.IsType<SegmentImageStore>(segments.Writer);
        Assert.Throws<ArgumentException>(() => ImageStores.FromSetting("s3://bucket", db));
        Assert.Throws<ArgumentException>(() => ImageStores.FromSetting("segments:", db));
        await segments.DisposeAsync();
    }
}
