using System.Text.RegularExpressions;
using KtpFleet.Deploy.Tests.Infrastructure;

namespace KtpFleet.Deploy.Tests;

/// <summary>
/// No Docker engine here: the Dockerfiles are parsed and held to the rules an image review would apply, and
/// everything they reference (paths, projects, scripts, Debian packages) is checked to exist.
/// </summary>
public class DockerfileTests
{
    public static TheoryData<string, string, string> Images => new()
    {
        { "worker/Dockerfile", "worker/KtpFleet.Worker/KtpFleet.Worker.csproj", "KtpFleet.Worker.dll" },
        { "ingest-api/Dockerfile", "ingest-api/KtpFleet.Ingest/KtpFleet.Ingest.csproj", "KtpFleet.Ingest.dll" },
        { "operator/Dockerfile", "operator/KtpFleet.Operator/KtpFleet.Operator.csproj", "ktp-operator.dll" },
    };

    private static Dockerfile Load(string relative) => Dockerfile.Load(Path.Combine(Repo.Root, relative));

    [Theory]
    [MemberData(nameof(Images))]
    public void Multi_stage_non_root_with_a_healthcheck_and_the_right_entrypoint(string file, string project, string dll)
    {
        var d = Load(file);
        Assert.True(d.Stages.Count >= 2, "multi-stage: build tools stay out of the runtime image");
        var final = d.Final;
        Assert.DoesNotContain("sdk", final.From, StringComparison.Ordinal);
        var user = Assert.Single(final.Args("USER"));
        Assert.DoesNotMatch(new Regex(@"^(root|0)(:|$)"), user);
        Assert.True(final.Instructions.FindLastIndex(i => i.Keyword == "USER") > final.Instructions.FindLastIndex(i => i.Keyword is "RUN" or "COPY"),
            "USER comes after the last RUN/COPY, so the process never runs as root");
        var health = Assert.Single(final.Args("HEALTHCHECK"));
        Assert.Matches(@"CMD .*http://127\.0\.0\.1:\d+/healthz", health);
        Assert.Contains($"/app/{dll}", Assert.Single(final.Args("ENTRYPOINT")));
        var publish = d.Stages.SelectMany(s => s.Args("RUN")).Single(r => r.Contains("dotnet publish", StringComparison.Ordinal));
        Assert.Contains(project, publish);
        Assert.True(File.Exists(Path.Combine(Repo.Root, project)), project);
        Assert.Contains(Path.GetFileNameWithoutExtension(dll),
            File.ReadAllText(Path.Combine(Repo.Root, project)) + Path.GetFileNameWithoutExtension(project));
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Every_copied_path_exists_and_every_stage_reference_is_defined(string file, string project, string dll)
    {
        _ = project; _ = dll;
        var d = Load(file);
        var stageNames = d.Stages.Select(s => s.Name).OfType<string>().ToHashSet();
        foreach (var copy in d.Stages.SelectMany(s => s.Args("COPY")))
        {
            var parts = copy.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var from = parts.FirstOrDefault(p => p.StartsWith("--from=", StringComparison.Ordinal))?["--from=".Length..];
            var sources = parts.Where(p => !p.StartsWith("--", StringComparison.Ordinal)).SkipLast(1).ToList();
            if (from is not null)
            {
                Assert.True(stageNames.Contains(from) || from.Contains('/'), $"{file}: COPY --from={from} names no stage");
                continue;
            }
            foreach (var src in sources)
                Assert.True(File.Exists(Path.Combine(Repo.Root, src)) || Directory.Exists(Path.Combine(Repo.Root, src)), $"{file}: COPY {src} does not exist");
        }
    }

    [Fact]
    public void Worker_image_is_debian_12_with_runtime_libraries_the_shim_and_omp_thread_limit()
    {
        var d = Load("worker/Dockerfile");
        var final = d.Final;
        Assert.StartsWith("debian:12", final.From);
        Assert.Contains(final.Args("ENV"), e => Regex.IsMatch(e, @"(^|\s)OMP_THREAD_LIMIT=1(\s|$)"));
        Assert.Contains(final.Args("COPY"), c => c.Contains("libktpshim.so", StringComparison.Ordinal));
        Assert.Contains(final.Args("COPY"), c => c.StartsWith("tessdata/", StringComparison.Ordinal));
        var packages = AptPackages(final);
        Assert.Contains("libtesseract5", packages);
        Assert.Contains(packages, p => p.StartsWith("libopencv-imgproc", StringComparison.Ordinal));
        Assert.DoesNotContain(packages, p => p.EndsWith("-dev", StringComparison.Ordinal));
        // The shim is built by the project's own bootstrap, the same steps ./ktp runs and the test suite uses.
        var native = d.Stages.Single(s => s.Name == "native");
        var run = string.Join('\n', native.Args("RUN"));
        Assert.Contains("source scripts/bootstrap.sh", run);
        var bootstrap = File.ReadAllText(Path.Combine(Repo.Root, "scripts", "bootstrap.sh"));
        foreach (var fn in new[] { "ktp_ensure_packages", "ktp_build_shim" })
        {
            Assert.Contains(fn, run);
            Assert.Contains($"{fn}()", bootstrap);
        }
        Assert.Contains("$KTP_PKGS_OCR", run);
    }

    [Fact]
    public async Task Worker_runtime_packages_exist_in_debian_12()
    {
        if (!File.Exists("/etc/debian_version") || !File.ReadAllText("/etc/debian_version").StartsWith("12", StringComparison.Ordinal))
            Assert.Fail("this check needs the Debian 12 machine the project runs on");
        foreach (var p in AptPackages(Load("worker/Dockerfile").Final))
        {
            var r = await Tool.RunAsync("apt-cache", ["show", "--no-all-versions", p]);
            Assert.True(r.ExitCode == 0 && r.StdOut.Contains($"Package: {p}", StringComparison.Ordinal), $"{p} is not a Debian 12 package: {r.StdErr}");
        }
    }

    [Fact]
    public void Dockerignore_keeps_local_state_and_build_output_out_of_the_context()
    {
        var lines = File.ReadAllLines(Path.Combine(Repo.Root, ".dockerignore")).Select(l => l.Trim()).ToHashSet();
        foreach (var must in new[] { "**/bin/", "**/obj/", ".git/", ".ktp/", "worker/native/build/" })
            Assert.Contains(must, lines);
        // Whatever the Dockerfiles copy must not be ignored.
        Assert.DoesNotContain("tessdata/", lines);
        Assert.DoesNotContain("worker/", lines);
        Assert.DoesNotContain("scripts/", lines);
    }

    private static List<string> AptPackages(DockerStage stage) =>
        stage.Args("RUN").SelectMany(r => Regex.Matches(r, @"apt-get install ([^&|;]+)").Select(m => m.Groups[1].Value))
            .SelectMany(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(p => !p.StartsWith('-')).ToList();
}
