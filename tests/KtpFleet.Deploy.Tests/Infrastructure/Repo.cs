namespace KtpFleet.Deploy.Tests.Infrastructure;

/// <summary>Paths in the repository (found by walking up to KtpFleet.sln from the test binaries).</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();
    public static string Chart => Path.Combine(Root, "charts", "ktp-fleet");
    public static string Crd => Path.Combine(Root, "crds", "ocr.ktpfleet.io_ktpocrpipelines.yaml");
    public static string OperatorRbac => Path.Combine(Root, "operator", "deploy", "rbac.yaml");
    public static string Dashboard => Path.Combine(Chart, "dashboards", "ktp-fleet.json");
    public static string IngestDll => Built("ingest-api", "KtpFleet.Ingest", "KtpFleet.Ingest.dll");
    public static string WorkerDll => Built("worker", "KtpFleet.Worker", "KtpFleet.Worker.dll");

    private static string Built(string area, string project, string dll)
    {
        var path = Path.Combine(Root, area, project, "bin", "Release", "net10.0", dll);
        return File.Exists(path) ? path : throw new FileNotFoundException("build the solution first (./ktp builds it)", path);
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "KtpFleet.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("KtpFleet.sln not found above the test binaries");
    }
}
