using System.Diagnostics;
using System.Text.Json;
using KtpFleet.Ocr.Tests.TestSupport;

namespace KtpFleet.Ocr.Tests.Pipeline;

/// <summary>`ktp ocr` as a person runs it: JSON on stdout, a clear message and a non-zero exit on bad input.</summary>
public sealed class CliTests
{
    private static string CliDll
    {
        get
        {
            // The CLI is built beside the tests (./ktp builds the whole solution) in the same configuration.
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
            var path = Path.Combine(RepoPaths.RepoRoot, "worker", "KtpFleet.Cli", "bin", configuration, "net10.0", "ktp.dll");
            Assert.True(File.Exists(path), $"the CLI is not built at {path}: run ./ktp test");
            return path;
        }
    }

    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(CliDll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(120_000), "ktp ocr did not finish in 2 minutes");
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    [Fact]
    public void Prints_one_result_document_per_image_and_exits_zero()
    {
        var (exit, stdout, _) = Run("ocr", RepoPaths.Specimen("setiawan.jpg"), RepoPaths.Specimen("abdurrahman-hadin.jpg"));
        Assert.Equal(0, exit);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Equal("SETIAWAN", JsonDocument.Parse(lines[0]).RootElement.GetProperty("fields").GetProperty("nama").GetProperty("value").GetString());
        Assert.Equal("ABDURRAHMAN HADIN", JsonDocument.Parse(lines[1]).RootElement.GetProperty("fields").GetProperty("nama").GetProperty("value").GetString());
    }

    [Fact]
    public void A_bad_file_among_good_ones_is_reported_by_name_and_code_and_fails_the_run()
    {
        var dir = Magick.NewScratchDirectory("cli");
        var text = Path.Combine(dir, "notes.jpg");
        File.WriteAllText(text, "not an image");
        var (exit, stdout, stderr) = Run("ocr", text, RepoPaths.Specimen("setiawan.jpg"), "--fields-only");
        Assert.NotEqual(0, exit);
        Assert.Contains("notes.jpg: unsupported_format", stderr);
        Assert.Contains("\"nik\":\"6112032206820000\"", stdout);
    }

    [Fact]
    public void Debug_dir_receives_the_rectified_card_and_field_crops()
    {
        var dir = Magick.NewScratchDirectory("cli-debug");
        var (exit, _, _) = Run("ocr", RepoPaths.Specimen("setiawan.jpg"), "--debug-dir", dir);
        Assert.Equal(0, exit);
        Assert.Equal((1000, 630), SyntheticCardScenes.Size(Path.Combine(dir, "card.png")));
        Assert.True(File.Exists(Path.Combine(dir, "nik.png")));
        Assert.True(File.Exists(Path.Combine(dir, "alamat-2.png")), "the wrapped address has a crop per line");
    }
}
