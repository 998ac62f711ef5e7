using System.Security.Cryptography;
using KtpFleet.Fleet.Storage;
using KtpFleet.Fleet.Storage.Images;
using KtpFleet.Fleet.Tests.Infrastructure;

namespace KtpFleet.Fleet.Tests;

/// <summary>Schema, dedupe and outcomes on a real PostgreSQL (a fresh database for this class).</summary>
public sealed class JobStoreTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private JobStore Jobs => new(db.DataSource);
    private TenantStore Tenants => new(db.DataSource);

    private PostgresImageStore Images => new(db.DataSource);

    /// <summary>What the intake does: store the image first, then accept the job that names it.</summary>
    private async Task<AcceptedJob> AcceptAsync(string tenant, byte[] image, string? idem = null, TimeSpan? window = null)
    {
        var id = Guid.CreateVersion7();
        var imageRef = await Images.PutAsync(id, image, SHA256.HashData(image));
        return await Jobs.AcceptAsync(new NewJob(id, tenant, imageRef, image.Length, SHA256.HashData(image), "image/png", "ext-1", null, idem,
            window ?? TimeSpan.FromHours(1)));
    }

    private async Task<string> NewTenantAsync() => (await Tenants.CreateAsync("T " + Guid.NewGuid().ToString("N")[..8])).TenantId;

    [Fact]
    public async Task Migrations_are_recorded_and_a_second_run_applies_nothing()
    {
        Assert.Empty(await Migrator.MigrateAsync(db.DataSource));
        Assert.Equal(Migrator.Migrations.Count, await db.CountAsync("SELECT count(*) FROM schema_migrations"));
        Assert.Equal(1, await db.CountAsync("SELECT count(*) FROM information_schema.tables WHERE table_name = 'job_outcomes'"));
    }

    [Fact]
    public async Task Api_keys_are_stored_hashed_and_authenticate_only_with_the_right_secret()
    {
        var created = await Tenants.CreateAsync("Acme " + Guid.NewGuid().ToString("N")[..6]);
        Assert.Equal(created.TenantId, await Tenants.AuthenticateAsync(created.Key));
        Assert.Null(await Tenants.AuthenticateAsync(created.Key with { Secret = created.Key.Secret[..^1] + "x" }));
        Assert.Equal(0, await db.CountAsync($"SELECT count(*) FROM api_keys WHERE encode(secret_hash, 'escape') LIKE '%{created.Key.Secret}%'"));
        await Assert.ThrowsAsync<ArgumentException>(() => Tenants.CreateAsync(created.TenantId));
    }

    [Fact]
    public async Task Same_image_same_tenant_is_a_duplicate_other_tenant_is_not()
    {
        var (a, b) = (await NewTenantAsync(), await NewTenantAsync());
        var image = RandomNumberGenerator.GetBytes(2048);
        var first = await AcceptAsync(a, image);
        var again = await AcceptAsync(a, image);
        var other = await AcceptAsync(b, image);
        Assert.False(first.Duplicate);
        Assert.True(again.Duplicate);
        Assert.Equal(first.JobId, again.JobId);
        Assert.False(other.Duplicate);
        Assert.NotEqual(first.JobId, other.JobId);
        Assert.Null(await Jobs.GetAsync(b, first.JobId)); // another tenant's job reads as absent
        var stored = (await Jobs.GetImageRefAsync(a, first.JobId))!.Value;
        Assert.Equal(PostgresImageStore.RefFor(first.JobId), stored.ImageRef);
        Assert.Equal(image, await Images.GetAsync(first.JobId, stored.ImageRef));
        Assert.Null(await Jobs.GetImageRefAsync(b, first.JobId));
    }

    [Fact]
    public async Task Idempotency_key_returns_the_first_job_even_for_different_bytes()
    {
        var t = await NewTenantAsync();
        var first = await AcceptAsync(t, RandomNumberGenerator.GetBytes(100), "order-42");
        var second = await AcceptAsync(t, RandomNumberGenerator.GetBytes(100), "order-42");
        Assert.True(second.Duplicate);
        Assert.Equal(first.JobId, second.JobId);
    }

    [Fact]
    public async Task Dedupe_window_expiry_allows_a_new_job()
    {
        var t = await NewTenantAsync();
        var image = RandomNumberGenerator.GetBytes(500);
        var first = await AcceptAsync(t, image, window: TimeSpan.FromMilliseconds(200));
        await Task.Delay(400);
        var second = await AcceptAsync(t, image);
        Assert.False(second.Duplicate);
        Assert.NotEqual(first.JobId, second.JobId);
    }

    [Fact]
    public async Task Concurrent_identical_uploads_create_exactly_one_job()
    {
        var t = await NewTenantAsync();
        var image = RandomNumberGenerator.GetBytes(4096);
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => AcceptAsync(t, image))));
        Assert.Single(results, r => !r.Duplicate);
        Assert.Single(results.Select(r => r.JobId).Distinct());
        Assert.Equal(1, await db.CountAsync($"SELECT count(*) FROM jobs WHERE tenant_id = '{t}'"));
    }

    [Fact]
    public async Task One_batch_accepts_in_order_and_a_repeat_inside_it_is_a_duplicate_of_the_first()
    {
        var t = await NewTenantAsync();
        var (x, y) = (RandomNumberGenerator.GetBytes(700), RandomNumberGenerator.GetBytes(700));
        NewJob Job(byte[] image, string? idem = null) =>
            new(Guid.CreateVersion7(), t, PostgresImageStore.RefFor(Guid.NewGuid()), image.Length, SHA256.HashData(image), "image/png", null, null, idem, TimeSpan.FromHours(1));
        var batch = new[] { Job(x), Job(y, "order-7"), Job(x), Job(RandomNumberGenerator.GetBytes(700), "order-7") };
        var results = await Jobs.AcceptManyAsync(batch);
        Assert.Equal([false, false, true, true], results.Select(r => r.Duplicate));
        Assert.Equal(batch[0].Id, results[0].JobId);
        Assert.Equal(batch[1].Id, results[1].JobId);
        Assert.Equal(batch[0].Id, results[2].JobId); // same bytes as the first
        Assert.Equal(batch[1].Id, results[3].JobId); // same Idempotency-Key as the second
        Assert.Equal(2, await db.CountAsync($"SELECT count(*) FROM jobs WHERE tenant_id = '{t}'"));
        // The duplicate with a new key gave back the keys it had claimed: its content hash names no job.
        Assert.Equal(0, await db.CountAsync($"SELECT count(*) FROM dedupe_keys WHERE tenant_id = '{t}' AND job_id = '{batch[3].Id}'"));
    }

    [Fact]
    public async Task Outcome_is_written_once_and_sets_the_status()
    {
        var t = await NewTenantAsync();
        var job = await AcceptAsync(t, RandomNumberGenerator.GetBytes(300));
        Assert.True(await Jobs.MarkStartedAsync(job.JobId));
        Assert.True(await Jobs.RecordOutcomeAsync(new JobOutcome(job.JobId, true, "accepted", """{"schema":"x"}""", null, null, "w1")));
        Assert.False(await Jobs.RecordOutcomeAsync(new JobOutcome(job.JobId, false, null, null, "corrupt", "again", "w2")));
        Assert.False(await Jobs.MarkStartedAsync(job.JobId));
        var view = (await Jobs.GetAsync(t, job.JobId))!;
        Assert.Equal(JobStatus.Completed, view.Status);
        Assert.Equal("accepted", view.Verdict);
        Assert.Equal(1, view.Attempts);
        Assert.Equal(1, await db.CountAsync($"SELECT count(*) FROM job_outcomes WHERE job_id = '{job.JobId}'"));
    }

    [Fact]
    public async Task Unpublished_jobs_are_found_until_marked_published()
    {
        var t = await NewTenantAsync();
        var job = await AcceptAsync(t, RandomNumberGenerator.GetBytes(300));
        Assert.Contains(await Jobs.FindUnpublishedAsync(TimeSpan.Zero, 10_000), j => j.Id == job.JobId);
        await Jobs.MarkPublishedAsync([job.JobId]);
        Assert.DoesNotContain(await Jobs.FindUnpublishedAsync(TimeSpan.Zero, 10_000), j => j.Id == job.JobId);
    }

    [Fact]
    public async Task Listing_pages_newest_first_without_gaps_or_repeats()
    {
        var t = await NewTenantAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 25; i++) ids.Add((await AcceptAsync(t, RandomNumberGenerator.GetBytes(64))).JobId);
        var seen = new List<Guid>();
        (DateTimeOffset, Guid)? cursor = null;
        while (true)
        {
            var page = await Jobs.ListAsync(t, null, null, cursor, 10);
            if (page.Count == 0) break;
            seen.AddRange(page.Select(j => j.Id));
            cursor = (page[^1].CreatedAt, page[^1].Id);
        }
        Assert.Equal(25, seen.Count);
        Assert.Equal(ids.Order().ToList(), seen.Order().ToList());
        Assert.Empty(await Jobs.ListAsync(t, JobStatus.Completed, null, null, 10));
    }
}
