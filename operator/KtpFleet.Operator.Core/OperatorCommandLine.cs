using KtpFleet.Operator.Controller;
using KtpFleet.Operator.Crd;
using KtpFleet.Operator.Kube;
using Microsoft.Extensions.Logging;

namespace KtpFleet.Operator;

/// <summary>
/// `ktp-operator [run] [--kubeconfig F] [--context C] [--namespace N] [--no-leader-election]` and
/// `ktp-operator crd --out DIR`. Flags fall back to KTP_OPERATOR_* / KTP_RABBITMQ_* environment variables.
/// </summary>
public static class OperatorCommandLine
{
    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var command = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "run";
        var flags = Flags(args.SkipWhile(a => a == command).ToArray());
        string? Flag(string name, string env) => flags.GetValueOrDefault(name) ?? Environment.GetEnvironmentVariable(env);

        switch (command)
        {
            case "crd":
                var dir = flags.GetValueOrDefault("out") ?? "crds";
                CrdFiles.Write(dir);
                Console.WriteLine($"wrote {string.Join(", ", CrdFiles.Render().Keys)} to {dir}");
                return 0;
            case "run":
                break;
            default:
                await Console.Error.WriteLineAsync($"unknown command '{command}' (run | crd)").ConfigureAwait(false);
                return 2;
        }

        using var loggers = LoggerFactory.Create(b => b.AddJsonConsole().SetMinimumLevel(LogLevel.Information));
        var connection = KubeConfigLoader.Default(Flag("kubeconfig", "KTP_OPERATOR_KUBECONFIG"), Flag("context", "KTP_OPERATOR_CONTEXT"));
        var ns = Flag("namespace", "KTP_OPERATOR_NAMESPACE");
        var watchNamespace = ns is "" or "*" ? null : ns ?? connection.Namespace;
        var options = new OperatorOptions
        {
            Controller = new ControllerOptions { Namespace = watchNamespace },
            LeaderElection = flags.ContainsKey("no-leader-election") ? null
                : new LeaderElectionOptions(Flag("lease-namespace", "KTP_OPERATOR_LEASE_NAMESPACE") ?? connection.Namespace,
                    "ktp-operator-leader", Environment.GetEnvironmentVariable("POD_NAME") ?? $"{Environment.MachineName}-{Environment.ProcessId}"),
            RabbitManagementUri = new Uri(Flag("rabbitmq-management", "KTP_RABBITMQ_MANAGEMENT_URL") ?? "http://127.0.0.1:15673/"),
            RabbitUser = Flag("rabbitmq-user", "KTP_RABBITMQ_USER") ?? "ktp",
            RabbitPassword = Flag("rabbitmq-password", "KTP_RABBITMQ_PASSWORD") ?? "ktp-dev",
            HealthUrl = Flag("health-url", "KTP_OPERATOR_HEALTH_URL") ?? "http://0.0.0.0:8081",
        };
        using var kube = new KubeClient(connection);
        using var broker = OperatorHost.CreateBroker(options);
        loggers.CreateLogger("ktp-operator").LogInformation("operator starting against {Server}, namespace {Namespace}",
            connection.Server, watchNamespace ?? "(all)");
        await new OperatorHost(kube, broker, options, loggers).RunAsync(ct).ConfigureAwait(false);
        // Leadership lost or stopped: exit non-zero unless asked to stop, so the pod is restarted as a candidate.
        return ct.IsCancellationRequested ? 0 : 1;
    }

    private static Dictionary<string, string> Flags(string[] args)
    {
        var flags = new Dictionary<string, string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) continue;
            var name = args[i][2..];
            var eq = name.IndexOf('=');
            if (eq > 0) flags[name[..eq]] = name[(eq + 1)..];
            else if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) flags[name] = args[++i];
            else flags[name] = "";
        }
        return flags;
    }
}
