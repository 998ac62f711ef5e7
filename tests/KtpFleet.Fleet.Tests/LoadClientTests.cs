using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using KtpFleet.Fleet.Tests.Infrastructure;
using KtpFleet.LoadBench;
using KtpFleet.Ocr.Imaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace KtpFleet.Fleet.Tests;

/// <summary>
/// The load benchmark's own client (raw keep-alive HTTP/1.1, requests framed once and stamped unique per post): its
/// figures are only worth something if every post is a real, distinct, accepted upload.
/// </summary>
public sealed class LoadClientTests(IngestFixture f) : IClassFixture<IngestFixture>
{
    [Fact]
    public void Stamped_images_are_distinct_valid_pngs_with_a_correct_text_chunk_crc()
    {
        var images = new UniqueImages(20_000);
        byte[] Stamped(long n)
        {
            var png = new byte[images.Size];
            images.CopyTo(png);
            UniqueImages.Stamp(png, n);
            return png;
        }
        var a = Stamped(1);
        var b = Stamped(1);
        var c = Stamped(-123_456_789);
        Assert.Equal(images.Size, a.Length);
        Assert.NotEqual(a, b); // same number, still unique: dedupe must never short-circuit a post
        foreach (var png in new[] { a, b, c })
        {
            Assert.Equal(ImageFormat.Png, ImageHeaderReader.Read(png).Format);
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(33));
            Assert.Equal("tEXt", Encoding.ASCII.GetString(png, 37, 4));
            Assert.Equal(BitwiseCrc32(png.AsSpan(37, 4 + length)), BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(41 + length)));
        }
    }

    [Fact]
    public async Task Single_posts_on_one_connection_are_each_accepted_as_a_new_job()
    {
        using var upload = FramedUpload.Create(f.Api.BaseAddress, f.Key, "/v1/ktp-jobs", new UniqueImages(30_000), 1);
        var ids = new List<Guid>();
        for (var n = 0; n < 5; n++)
        {
            var r = await upload.PostAsync(n);
            Assert.NotNull(r);
            Assert.Equal(202, r.Status);
            ids.Add(JsonDocument.Parse(r.Body).RootElement.GetProperty("job_id").GetGuid());
        }
        Assert.Equal(5, ids.Distinct().Count());
        foreach (var id in ids) Assert.Equal(1, await f.Db.CountAsync($"SELECT count(*) FROM jobs WHERE id = '{id}'"));
    }

    [Fact]
    public async Task A_batch_post_counts_what_the_api_accepted_and_a_refusal_counts_as_not_accepted()
    {
        using var batch = FramedUpload.Create(f.Api.BaseAddress, f.Key, "/v1/ktp-jobs:batch", new UniqueImages(30_000), 3);
        Assert.Equal((3, 0), FramedUpload.BatchCounts(await batch.PostAsync(7), 3));
        using var badKey = FramedUpload.Create(f.Api.BaseAddress, "ktp_nope_nope", "/v1/ktp-jobs:batch", new UniqueImages(30_000), 3);
        var refused = await badKey.PostAsync(8);
        Assert.Equal(401, refused!.Status);
        Assert.Equal((0, 3), FramedUpload.BatchCounts(refused, 3));
    }

    [Fact]
    public async Task Answers_with_a_length_chunked_answers_and_a_closed_connection_are_read_right()
    {
        var app = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]).Build();
        app.MapPost("/length", () => Results.Text("exactly these bytes"));
        app.MapPost("/chunked", async (HttpContext http) =>
        {
            http.Response.StatusCode = 207;
            for (var i = 0; i < 50; i++)
            {
                await http.Response.WriteAsync($"part {i};");
                await http.Response.Body.FlushAsync(); // each write its own chunk
            }
        });
        app.MapPost("/close", (HttpContext http) => http.Abort());
        await app.StartAsync();
        try
        {
            var url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            using var connection = await RawHttpConnection.OpenAsync(url);
            byte[] Post(string path) => RawHttpConnection.PostHead(url, path, "x", "text/plain", 0);
            var length = await connection.SendAsync(Post("/length"));
            Assert.Equal((200, "exactly these bytes"), (length.Status, Encoding.UTF8.GetString(length.Body)));
            var chunked = await connection.SendAsync(Post("/chunked")); // same connection: the first answer was consumed exactly
            Assert.Equal(207, chunked.Status);
            Assert.Equal(string.Concat(Enumerable.Range(0, 50).Select(i => $"part {i};")), Encoding.UTF8.GetString(chunked.Body));
            await Assert.ThrowsAsync<IOException>(() => connection.SendAsync(Post("/close")));
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static uint BitwiseCrc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }
}
