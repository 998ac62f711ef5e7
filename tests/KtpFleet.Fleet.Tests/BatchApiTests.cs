using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using KtpFleet.Fleet.Tests.Infrastructure;

namespace KtpFleet.Fleet.Tests;

/// <summary>POST /v1/ktp-jobs:batch, multipart and NDJSON, with good and bad items mixed.</summary>
public sealed class BatchApiTests(IngestFixture f) : IClassFixture<IngestFixture>
{
    private static int _seed = 770_000;
    private static byte[] NewImage() => TestImages.NoisePng(100, 100, Interlocked.Increment(ref _seed));

    private static async Task<JsonElement> PostAsync(HttpClient http, HttpContent content)
    {
        var r = await http.PostAsync("/v1/ktp-jobs:batch", content);
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.OK, $"{r.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    [Fact]
    public async Task Multipart_batch_accepts_good_items_and_reports_bad_ones_in_order()
    {
        var key = await f.Api.CreateTenantAsync();
        using var http = f.Api.Client(key);
        var good = NewImage();
        var form = new MultipartFormDataContent();
        void Add(byte[] bytes, string name) => form.Add(new ByteArrayContent(bytes), "image", name);
        Add(good, "a.png");
        Add(Encoding.UTF8.GetBytes("not an image at all, not at all"), "b.txt");
        Add(NewImage(), "c.png");
        Add(good, "d.png"); // same bytes as a
        Add([], "e.png");
        Add(NewImage(), "f.png");
        var body = await PostAsync(http, form);
        var items = body.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(6, items.Count);
        var statuses = items.Select(i => i.GetProperty("status").GetString()).ToList();
        Assert.Equal(new[] { "rejected", "accepted", "rejected", "accepted" }, new[] { statuses[1], statuses[2], statuses[4], statuses[5] });
        // Items 0 and 3 carry the same bytes and run concurrently: one creates the job, the other finds it.
        Assert.Equal(new[] { "accepted", "duplicate" }, new[] { statuses[0], statuses[3] }.Order());
        Assert.Equal(Enumerable.Range(0, 6), items.Select(i => i.GetProperty("index").GetInt32()));
        Assert.Equal("unsupported_format", items[1].GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("empty", items[4].GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(items[0].GetProperty("job_id").GetGuid(), items[3].GetProperty("job_id").GetGuid());
        Assert.Equal(3, body.GetProperty("accepted").GetInt32());
        Assert.Equal(3, await f.Db.CountAsync($"SELECT count(*) FROM jobs j JOIN api_keys k ON k.tenant_id = j.tenant_id WHERE k.key_id = '{key.Split('_')[1]}'"));
        // The file name travels as the external id.
        var job = JsonDocument.Parse(await http.GetStringAsync($"/v1/ktp-jobs/{items[2].GetProperty("job_id").GetGuid()}")).RootElement;
        Assert.Equal("c.png", job.GetProperty("external_id").GetString());
    }

    [Fact]
    public async Task Ndjson_batch_streams_many_items_with_per_item_errors()
    {
        var key = await f.Api.CreateTenantAsync();
        using var http = f.Api.Client(key);
        var sb = new StringBuilder();
        const int n = 300;
        for (var i = 0; i < n; i++)
        {
            var line = (i % 100) switch
            {
                7 => "{ broken json",
                8 => """{"image": "@@@"}""",
                9 => """{"externalId": "no image"}""",
                _ => JsonSerializer.Serialize(new { image = Convert.ToBase64String(NewImage()), externalId = $"item-{i}" }),
            };
            sb.Append(line).Append('\n');
            if (i == 50) sb.Append("\n   \n"); // blank lines are skipped
        }
        var content = new StringContent(sb.ToString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        var body = await PostAsync(http, content);
        Assert.Equal(n - 9, body.GetProperty("accepted").GetInt32());
        Assert.Equal(9, body.GetProperty("rejected").GetInt32());
        var items = body.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(n, items.Count);
        Assert.Equal("malformed_request", items[7].GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("invalid_base64", items[108].GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("malformed_request", items[209].GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("stream_error").ValueKind);
    }

    [Fact]
    public async Task Oversized_items_are_refused_without_losing_the_rest()
    {
        using var http = f.Api.Client(f.SmallKey); // max_image_bytes 50 000
        var big = TestImages.NoisePng(200, 200, 1); // ~120 KB
        var ok = TestImages.NoisePng(100, 100, Interlocked.Increment(ref _seed));
        var sb = new StringBuilder();
        sb.Append(JsonSerializer.Serialize(new { image = Convert.ToBase64String(big) })).Append('\n');
        sb.Append(JsonSerializer.Serialize(new { image = Convert.ToBase64String(ok) })).Append('\n');
        var content = new StringContent(sb.ToString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        var body = await PostAsync(http, content);
        var items = body.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal("too_large_bytes", items[0].GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("accepted", items[1].GetProperty("status").GetString());

        var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(big), "image", "big.png" },
            { new ByteArrayContent(TestImages.NoisePng(100, 100, Interlocked.Increment(ref _seed))), "image", "ok.png" },
        };
        var multi = (await PostAsync(http, form)).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal("too_large_bytes", multi[0].GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("accepted", multi[1].GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_broken_stream_keeps_the_items_accepted_before_the_break()
    {
        var key = await f.Api.CreateTenantAsync();
        using var http = f.Api.Client(key);
        var good = Convert.ToBase64String(NewImage());
        var text = "--b\r\nContent-Disposition: form-data; name=\"image\"; filename=\"ok.png\"\r\nContent-Type: image/png\r\n\r\n";
        var bytes = Encoding.ASCII.GetBytes(text).Concat(Convert.FromBase64String(good))
            .Concat(Encoding.ASCII.GetBytes("\r\n--b\r\nContent-Disposition: form-data; name=\"image\"; filename=\"cut.png\"\r\n\r\nabc")).ToArray();
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");
        var body = await PostAsync(http, content);
        Assert.Equal(1, body.GetProperty("accepted").GetInt32());
        Assert.NotEqual(JsonValueKind.Null, body.GetProperty("stream_error").ValueKind);
    }

    [Fact]
    public async Task Batch_needs_a_key_and_a_known_content_type()
    {
        using var anonymous = f.Api.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/v1/ktp-jobs:batch", new StringContent("x"))).StatusCode);
        using var http = f.Api.Client(f.Key);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await http.PostAsync("/v1/ktp-jobs:batch", new StringContent("x", Encoding.UTF8, "text/plain"))).StatusCode);
    }
}
