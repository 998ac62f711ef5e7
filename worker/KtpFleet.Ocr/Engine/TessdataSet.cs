using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace KtpFleet.Ocr.Engine;

/// <summary>
/// One verified model version: <c>tessdata/&lt;version&gt;/</c> with a manifest listing each file's sha256.
/// Loading refuses a missing file or a checksum mismatch, so a pod never runs on a half-copied model.
/// </summary>
public sealed class TessdataSet
{
    public const string DefaultVersion = "4.1.0-fast";
    /// <summary>The default second-opinion model (tessdata_best, integer): slower, better on blurred small print.</summary>
    public const string SecondOpinionVersion = "4.0.0-best-int";
    /// <summary>The default third-opinion model: trained here on KTP value lines (<see cref="Recognition.ThirdOpinion"/>).</summary>
    public const string ThirdOpinionVersion = "ktp-1.0";
    /// <summary>The default NIK row model: trained here on NIK rows (<see cref="Recognition.NikOpinion"/>).</summary>
    public const string NikModelVersion = "nik-1.0";
    public const string RootVariable = "KTP_TESSDATA_ROOT";

    public string Version { get; }
    public string Directory { get; }
    public IReadOnlyList<string> Languages { get; }

    private TessdataSet(string version, string directory, IReadOnlyList<string> languages)
    {
        Version = version;
        Directory = directory;
        Languages = languages;
    }

    /// <summary>Loads and verifies a version. <paramref name="root"/> defaults to <see cref="LocateRoot"/>.</summary>
    /// <exception cref="KtpNativeException">missing manifest or file, or checksum mismatch</exception>
    public static TessdataSet Load(string? root = null, string version = DefaultVersion)
    {
        root ??= LocateRoot();
        var manifestPath = ManifestPath(root, version);
        var directory = Path.GetDirectoryName(manifestPath)!;
        if (!File.Exists(manifestPath))
            throw new KtpNativeException($"tessdata version '{version}' not found: no {manifestPath}");

        var manifest = JsonSerializer.Deserialize<Manifest>(File.ReadAllText(manifestPath), ManifestJson)
            ?? throw new KtpNativeException($"empty tessdata manifest {manifestPath}");
        if (manifest.Version != version)
            throw new KtpNativeException($"tessdata manifest {manifestPath} says version '{manifest.Version}', expected '{version}'");

        foreach (var file in manifest.Files)
        {
            var path = Path.Combine(directory, file.Name);
            if (!File.Exists(path)) throw new KtpNativeException($"tessdata file missing: {path}");
            using var stream = File.OpenRead(path);
            var actual = Convert.ToHexStringLower(SHA256.HashData(stream));
            if (!string.Equals(actual, file.Sha256, StringComparison.OrdinalIgnoreCase))
                throw new KtpNativeException($"tessdata checksum mismatch for {path}: manifest {file.Sha256}, file {actual}");
        }
        foreach (var language in manifest.Languages)
        {
            if (!manifest.Files.Any(f => f.Name == language + ".traineddata"))
                throw new KtpNativeException($"tessdata manifest {manifestPath} lists language '{language}' without its traineddata");
        }
        return new TessdataSet(version, directory, manifest.Languages);
    }

    /// <summary>Whether <paramref name="version"/> has a manifest under the root (not verified: <see cref="Load"/> does that).</summary>
    public static bool Exists(string? root, string version) =>
        File.Exists(ManifestPath(root ?? LocateRoot(), version));

    private static string ManifestPath(string root, string version) => Path.Combine(root, version, "manifest.json");

    /// <summary>
    /// <c>$KTP_TESSDATA_ROOT</c>, else the nearest <c>tessdata/</c> above the application (the repository's, when
    /// run from a build output).
    /// </summary>
    public static string LocateRoot()
    {
        var fromEnv = Environment.GetEnvironmentVariable(RootVariable);
        if (!string.IsNullOrWhiteSpace(fromEnv)) return fromEnv;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tessdata");
            if (System.IO.Directory.Exists(candidate) && System.IO.Directory.EnumerateFiles(candidate, "manifest.json", SearchOption.AllDirectories).Any())
                return candidate;
        }
        throw new KtpNativeException($"no tessdata directory found: set {RootVariable} or run from the repository");
    }

    private static readonly JsonSerializerOptions ManifestJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private sealed record Manifest(
        string Name, string Version, IReadOnlyList<string> Languages, IReadOnlyList<ManifestFile> Files, string? Source);

    private sealed record ManifestFile(string Name, string Sha256, [property: JsonPropertyName("bytes")] long Bytes);
}
