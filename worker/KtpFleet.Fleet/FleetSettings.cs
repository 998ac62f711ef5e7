namespace KtpFleet.Fleet;

/// <summary>
/// Where the backing services are, from environment variables with the local fleet's defaults
/// (scripts/services.sh). These strings carry passwords: never log them.
/// </summary>
public sealed record FleetSettings
{
    public string Postgres { get; init; } = "Host=127.0.0.1;Port=5433;Username=ktp;Password=ktp-dev;Database=ktp";
    public Uri Amqp { get; init; } = new("amqp://ktp:ktp-dev@127.0.0.1:5673/");
    public string Redis { get; init; } = "127.0.0.1:6380";
    /// <summary>The pipeline whose queue this process serves (the worker) or that the topology declares by default.</summary>
    public string Pipeline { get; init; } = "default";
    /// <summary>Where upload bytes are kept: <c>postgres</c> or <c>segments:&lt;dir&gt;</c> (<see cref="Storage.Images.ImageStores"/>).</summary>
    public string ImageStore { get; init; } = Storage.Images.ImageStores.PostgresSetting;
    /// <summary>How long upload images are kept (they are personal data); null keeps them for ever.</summary>
    public TimeSpan? ImageRetention { get; init; } = TimeSpan.FromDays(30);
    /// <summary>Tenant policy file (JSON), hot-reloaded; null means defaults for every tenant.</summary>
    public string? TenantPolicyFile { get; init; }

    public static FleetSettings FromEnvironment()
    {
        var d = new FleetSettings();
        return new FleetSettings
        {
            Postgres = Env("KTP_POSTGRES") ?? d.Postgres,
            Amqp = Env("KTP_AMQP") is { } amqp ? new Uri(amqp) : d.Amqp,
            Redis = Env("KTP_REDIS") ?? d.Redis,
            Pipeline = Env("KTP_PIPELINE") ?? d.Pipeline,
            ImageStore = Env("KTP_IMAGE_STORE") ?? d.ImageStore,
            ImageRetention = Env("KTP_IMAGE_RETENTION_DAYS") is { } days ? RetentionDays(days) : d.ImageRetention,
            TenantPolicyFile = Env("KTP_TENANT_POLICY_FILE"),
        };
    }

    /// <summary><c>KTP_IMAGE_RETENTION_DAYS</c>: a whole number of days, at least 1, or 0 to keep images for ever.</summary>
    public static TimeSpan? RetentionDays(string text) =>
        int.TryParse(text, out var days) && days >= 0
            ? days == 0 ? null : TimeSpan.FromDays(days)
            : throw new ArgumentException($"KTP_IMAGE_RETENTION_DAYS must be a whole number of days (0 keeps images for ever), not '{text}'");

    private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;
}
