using System.Net.Http.Headers;
using KtpFleet.Fleet.Storage;
using KtpFleet.Ingest;
using KtpFleet.Ingest.Intake;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace KtpFleet.Fleet.Tests.Infrastructure;

/// <summary>The real ingest API on a loopback port, against a test database, vhost and the real Redis.</summary>
public sealed class IngestHost : IAsyncDisposable
{
    private IngestHost(WebApplication app, Uri baseAddress)
    {
        App = app;
        BaseAddress = baseAddress;
    }

    public WebApplication App { get; }
    public Uri BaseAddress { get; }

    public static async Task<IngestHost> StartAsync(FleetSettings settings, SweeperOptions? sweeper = null)
    {
        var app = IngestApp.Build(["--urls", "http://127.0.0.1:0"], settings, sweeper ?? new SweeperOptions(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)));
        await IngestApp.PrepareAsync(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new IngestHost(app, new Uri(address));
    }

    public HttpClient Client(string? apiKey = null)
    {
        var c = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (apiKey is not null) c.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return c;
    }

    public async Task<string> CreateTenantAsync(string? name = null) =>
        (await App.Services.GetRequiredService<TenantStore>().CreateAsync(name ?? "tenant-" + Guid.NewGuid().ToString("N")[..8])).Key.ToString();

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

public static class Uploads
{
    public static MultipartFormDataContent Multipart(byte[] image, string? externalId = null, string? callbackUrl = null)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(image);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "image", "card.png");
        if (externalId is not null) form.Add(new StringContent(externalId), "externalId");
        if (callbackUrl is not null) form.Add(new StringContent(callbackUrl), "callbackUrl");
        return form;
    }
}
