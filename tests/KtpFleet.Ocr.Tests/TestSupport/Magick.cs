using System.Diagnostics;

namespace KtpFleet.Ocr.Tests.TestSupport;

/// <summary>Runs ImageMagick's <c>convert</c> (installed by ./ktp as part of the corpus packages) to make test images.</summary>
public static class Magick
{
    public static void Convert(params string[] args)
    {
        var start = new ProcessStartInfo("convert") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start convert");
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("convert took over 60 s");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"convert {string.Join(' ', args)} failed ({process.ExitCode}): {stderr.Result}");
    }

    /// <summary>A scratch directory for one test class, removed by the caller.</summary>
    public static string NewScratchDirectory(string purpose)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"ktp-{purpose}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }
}
