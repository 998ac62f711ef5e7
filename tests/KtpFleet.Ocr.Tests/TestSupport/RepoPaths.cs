namespace KtpFleet.Ocr.Tests.TestSupport;

/// <summary>
/// Locates the repository (the directory holding KtpFleet.sln) from the test binaries, and the shared data beside
/// it (../shared, as on CI). Specimens are read from there, never copied into the repository.
/// </summary>
public static class RepoPaths
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "KtpFleet.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no KtpFleet.sln above {AppContext.BaseDirectory}");
    });

    public static string RepoRoot => Root.Value;

    public static string Shared => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    public static string SharedData(params string[] parts) => Path.Combine([Shared, "data", .. parts]);

    public static string Specimen(string name) => SharedData("samples", "specimens", name);

    public static string KtpTemplate => SharedData("samples", "ktp-template", "Template.png");
}
