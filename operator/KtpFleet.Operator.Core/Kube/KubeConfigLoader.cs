using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace KtpFleet.Operator.Kube;

/// <summary>Builds a <see cref="KubeConnection"/> from a kubeconfig file or from the pod's service account.</summary>
public static class KubeConfigLoader
{
    public const string ServiceAccountDir = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>In-cluster when KUBERNETES_SERVICE_HOST is set and no kubeconfig was asked for; else $KUBECONFIG or ~/.kube/config.</summary>
    public static KubeConnection Default(string? kubeconfig = null, string? context = null)
    {
        if (kubeconfig is null && Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST") is { Length: > 0 })
            return InCluster();
        var path = kubeconfig
            ?? Environment.GetEnvironmentVariable("KUBECONFIG")?.Split(':', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
        return FromKubeconfig(path, context);
    }

    public static KubeConnection InCluster(string serviceAccountDir = ServiceAccountDir,
        string? host = null, string? port = null)
    {
        host ??= Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST")
            ?? throw new InvalidOperationException("KUBERNETES_SERVICE_HOST is not set: not running in a cluster");
        port ??= Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_PORT") ?? "443";
        var hostPart = host.Contains(':') ? $"[{host}]" : host;
        var ca = new X509Certificate2Collection();
        var caFile = Path.Combine(serviceAccountDir, "ca.crt");
        if (File.Exists(caFile)) ca.ImportFromPemFile(caFile);
        var nsFile = Path.Combine(serviceAccountDir, "namespace");
        return new KubeConnection
        {
            Server = new Uri($"https://{hostPart}:{port}"),
            CertificateAuthorities = ca,
            Token = new FileToken(Path.Combine(serviceAccountDir, "token")),
            Namespace = File.Exists(nsFile) ? File.ReadAllText(nsFile).Trim() : "default",
        };
    }

    public static KubeConnection FromKubeconfig(string path, string? context = null)
    {
        var config = YamlJson.Parse(File.ReadAllText(path)) as JsonObject
            ?? throw new FormatException($"{path} is not a kubeconfig");
        var baseDir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        context ??= (string?)config["current-context"]
            ?? throw new InvalidOperationException($"{path} has no current-context; pass a context");
        var ctx = Named(config, "contexts", context, "context");
        var cluster = Named(config, "clusters", (string?)ctx["cluster"] ?? "", "cluster");
        var user = ctx["user"] is JsonNode u ? Named(config, "users", (string)u!, "user") : new JsonObject();

        var ca = new X509Certificate2Collection();
        if ((string?)cluster["certificate-authority-data"] is { } caData)
            ca.ImportFromPem(Encoding.UTF8.GetString(Convert.FromBase64String(caData)));
        else if ((string?)cluster["certificate-authority"] is { } caFile)
            ca.ImportFromPemFile(Resolve(baseDir, caFile));

        X509Certificate2? clientCert = null;
        var certPem = PemOf(user, "client-certificate", baseDir);
        var keyPem = PemOf(user, "client-key", baseDir);
        if (certPem is not null && keyPem is not null) clientCert = X509Certificate2.CreateFromPem(certPem, keyPem);

        ITokenSource? token = null;
        if ((string?)user["token"] is { Length: > 0 } t) token = new StaticToken(t);
        else if ((string?)user["tokenFile"] is { Length: > 0 } tf) token = new FileToken(Resolve(baseDir, tf));
        else if (user["exec"] is JsonObject exec) token = ExecPlugin(exec);

        return new KubeConnection
        {
            Server = new Uri((string?)cluster["server"] ?? throw new FormatException($"cluster of context {context} has no server")),
            CertificateAuthorities = ca,
            ClientCertificate = clientCert,
            Token = token,
            InsecureSkipTlsVerify = cluster["insecure-skip-tls-verify"]?.GetValue<bool>() ?? false,
            Namespace = (string?)ctx["namespace"] ?? "default",
        };
    }

    private static ExecCredentialToken ExecPlugin(JsonObject exec)
    {
        var args = (exec["args"] as JsonArray ?? []).Select(a => (string)a!).ToList();
        var env = (exec["env"] as JsonArray ?? []).OfType<JsonObject>()
            .ToDictionary(e => (string)e["name"]!, e => (string?)e["value"] ?? "");
        return new ExecCredentialToken((string?)exec["command"] ?? throw new FormatException("exec has no command"),
            args, env, (string?)exec["apiVersion"] ?? "client.authentication.k8s.io/v1");
    }

    private static string? PemOf(JsonObject user, string key, string baseDir) =>
        (string?)user[key + "-data"] is { } data ? Encoding.UTF8.GetString(Convert.FromBase64String(data))
        : (string?)user[key] is { } file ? File.ReadAllText(Resolve(baseDir, file))
        : null;

    private static string Resolve(string baseDir, string path) => Path.IsPathRooted(path) ? path : Path.Combine(baseDir, path);

    private static JsonObject Named(JsonObject config, string list, string name, string inner)
    {
        var entry = (config[list] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(e => (string?)e["name"] == name)
            ?? throw new InvalidOperationException($"kubeconfig has no {inner} named '{name}'");
        return entry[inner] as JsonObject ?? new JsonObject();
    }
}
