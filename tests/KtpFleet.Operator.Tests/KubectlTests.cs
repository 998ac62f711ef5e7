using System.Diagnostics;
using KtpFleet.Operator.Kube;
using KtpFleet.Operator.Tests.Fake;

namespace KtpFleet.Operator.Tests;

/// <summary>kubectl 1.32 as an independent client of the fake API server, through a kubeconfig fixture.</summary>
public class KubectlTests : IAsyncLifetime
{
    private FakeApiServer _server = null!;
    private string _dir = null!;
    private string _kubeconfig = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeApiServer.StartAsync(Repo.CrdPath);
        _dir = Directory.CreateTempSubdirectory("ktp-kubectl-").FullName;
        _kubeconfig = Path.Combine(_dir, "config");
        await File.WriteAllTextAsync(_kubeconfig, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: fake
              cluster:
                server: {_server.BaseAddress.ToString().TrimEnd('/')}
            users:
            - name: tester
              user:
                token: test-token
            contexts:
            - name: fake
              context:
                cluster: fake
                user: tester
                namespace: ktp
            current-context: fake
            """);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<string> KubectlAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--kubeconfig", _kubeconfig, "--cache-dir", Path.Combine(_dir, "cache") }.Concat(args)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(cts.Token);
        Assert.True(p.ExitCode == 0, $"kubectl {string.Join(' ', args)} failed ({p.ExitCode}): {await stderr}");
        return await stdout;
    }

    [Fact]
    public async Task Kubectl_applies_the_example_server_side_and_gets_it_with_the_printer_columns()
    {
        var applied = await KubectlAsync("apply", "--server-side", "--validate=false", "-f", Repo.ExamplePath);
        Assert.Contains("ktpocrpipeline.ocr.ktpfleet.io/retail serverside-applied", applied);

        var stored = _server.Get("ktpocrpipelines", "ktp", "retail")!;
        Assert.Equal(1, long.Parse(stored["metadata"]!["generation"]!.ToJsonString()));
        Assert.Contains(_server.Requests, r => r.Contains("fieldManager=kubectl", StringComparison.Ordinal) && r.Contains("apply-patch+yaml", StringComparison.Ordinal));

        // Our client writes status; kubectl sees it through the CRD's printer columns.
        using var client = _server.CreateClient();
        await client.ApplyAsync(ResourceKind.Pipelines, new System.Text.Json.Nodes.JsonObject
        {
            ["apiVersion"] = "ocr.ktpfleet.io/v1alpha1", ["kind"] = "KtpOcrPipeline",
            ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "retail", ["namespace"] = "ktp" },
            ["status"] = new System.Text.Json.Nodes.JsonObject
            {
                ["desiredReplicas"] = 3, ["readyReplicas"] = 2, ["queueDepth"] = 57, ["activeModelVersion"] = "4.1.0-fast",
            },
        }, "ktp-operator", subresource: "status");

        var table = await KubectlAsync("get", "ktpocrpipelines");
        var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAME", "MODE", "DESIRED", "READY", "QUEUE", "MODEL", "AGE"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["retail", "Builtin", "3", "2", "57", "4.1.0-fast"], lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[..6]);

        Assert.Equal("20", await KubectlAsync("get", "ktpp", "retail", "-o", "jsonpath={.spec.autoscaling.maxReplicas}"));

        // A second server-side apply with a change bumps the generation; the status stays.
        var changed = File.ReadAllText(Repo.ExamplePath).Replace("maxReplicas: 20", "maxReplicas: 12", StringComparison.Ordinal);
        var changedPath = Path.Combine(_dir, "changed.yaml");
        await File.WriteAllTextAsync(changedPath, changed);
        await KubectlAsync("apply", "--server-side", "--validate=false", "-f", changedPath);
        stored = _server.Get("ktpocrpipelines", "ktp", "retail")!;
        Assert.Equal(2, long.Parse(stored["metadata"]!["generation"]!.ToJsonString()));
        Assert.Equal("57", stored["status"]!["queueDepth"]!.ToJsonString());

        // The scale subresource maps onto spec.autoscaling.replicas (Manual mode's replicas).
        Assert.Contains("scaled", await KubectlAsync("scale", "ktpp", "retail", "--replicas=4"));
        stored = _server.Get("ktpocrpipelines", "ktp", "retail")!;
        Assert.Equal("4", stored["spec"]!["autoscaling"]!["replicas"]!.ToJsonString());
        Assert.Equal(3, long.Parse(stored["metadata"]!["generation"]!.ToJsonString()));

        await KubectlAsync("delete", "ktpocrpipeline", "retail");
        Assert.Null(_server.Get("ktpocrpipelines", "ktp", "retail"));
    }
}
