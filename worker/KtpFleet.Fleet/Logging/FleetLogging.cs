using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Formatting.Json;

namespace KtpFleet.Fleet.Logging;

/// <summary>One JSON object per line on stdout, NIK-masked; optional file copy (the tests scan it).</summary>
public static class FleetLogging
{
    public static Serilog.ILogger Create(string component, string? logFile = null)
    {
        var formatter = new MaskingFormatter(new JsonFormatter(renderMessage: true));
        var config = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", Serilog.Events.LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", Serilog.Events.LogEventLevel.Information)
            .Enrich.FromLogContext()
            .Enrich.WithProperty("component", component)
            .Enrich.WithProperty("pid", Environment.ProcessId)
            .WriteTo.Console(formatter);
        if (logFile is not null) config = config.WriteTo.File(formatter, logFile, shared: true);
        return config.CreateLogger();
    }

    public static ILoggingBuilder AddFleetLogging(this ILoggingBuilder builder, string component)
    {
        builder.ClearProviders();
        return builder.AddSerilog(Create(component, Environment.GetEnvironmentVariable("KTP_LOG_FILE")), dispose: true);
    }
}
