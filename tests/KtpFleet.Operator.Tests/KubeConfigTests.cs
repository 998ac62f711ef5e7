using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using KtpFleet.Operator.Kube;
using KtpFleet.Operator.Tests.Fake;

namespace KtpFleet.Operator.Tests;

/// <summary>kubeconfig and in-cluster configuration, end to end over TLS against the fake API server.</summary>
public class KubeConfigTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ktp-kubeconfig-").FullName;
    private X509Certificate2 _ca = null!;
    private X509Certificate2 _client = null!;
    private FakeApiServer _server = null!;

    public async Task InitializeAsync()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caReq = new CertificateRequest("CN=ktp-test-ca", caKey, HashAlgorithmName.SHA256);
        caReq.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caReq.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        _ca = caReq.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        var server = Issue("CN=fake-apiserver", serverAuth: true);
        _client = Issue("CN=ktp-operator,O=ktpfleet", serverAuth: false);
        _server = await FakeApiServer.StartAsync(tls: server, clientCa: _ca);
    }

    private X509Certificate2 Issue(string subject, bool serverAuth)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [serverAuth ? new Oid("1.3.6.1.5.5.7.3.1") : new Oid("1.3.6.1.5.5.7.3.2")], false));
        if (serverAuth)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(IPAddress.Loopback);
            req.CertificateExtensions.Add(san.Build());
        }
        using var cert = req.Create(_ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(12), RandomNumberGenerator.GetBytes(8));
        return X509CertificateLoader.LoadPkcs12(cert.CopyWithPrivateKey(key).Export(X509ContentType.Pfx), null);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    private string WriteKubeconfig(string user, bool withCa = true)
    {
        var path = Path.Combine(_dir, $"config-{Guid.NewGuid():N}");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            current-context: other
            clusters:
            - name: decoy
              cluster: {"{"}server: https://192.0.2.1:6443{"}"}
            - name: fake
              cluster:
                server: {_server.BaseAddress.ToString().TrimEnd('/')}
            {(withCa ? $"    certificate-authority-data: {B64(_ca.ExportCertificatePem())}" : "")}
            users:
            - name: tester
              user:
            {user}
            contexts:
            - name: other
              context: {"{"}cluster: decoy, user: tester{"}"}
            - name: fake
              context:
                cluster: fake
                user: tester
                namespace: ocr
            """);
        return path;
    }

    [Fact]
    public async Task Kubeconfig_context_with_ca_data_and_client_certificate_authenticates_over_tls()
    {
        var key = _client.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem();
        var path = WriteKubeconfig($"""
                client-certificate-data: {B64(_client.ExportCertificatePem())}
                client-key-data: {B64(key)}
            """);
        var connection = KubeConfigLoader.FromKubeconfig(path, context: "fake");
        Assert.Equal("ocr", connection.Namespace);
        using var client = new KubeClient(connection);
        var list = await client.ListAsync(ResourceKind.ConfigMaps, "ocr");
        Assert.Empty(list.Items);
        Assert.Equal("CN=ktp-operator, O=ktpfleet", _server.LastClientCertificate);
    }

    [Fact]
    public async Task Server_not_signed_by_the_configured_ca_is_refused()
    {
        var path = WriteKubeconfig("    token: abc", withCa: false);
        using var client = new KubeClient(KubeConfigLoader.FromKubeconfig(path, context: "fake"));
        await Assert.ThrowsAsync<HttpRequestException>(() => client.ListAsync(ResourceKind.ConfigMaps, "ocr"));
    }

    [Fact]
    public async Task Exec_credential_plugin_supplies_and_caches_the_token()
    {
        var counter = Path.Combine(_dir, "exec-count");
        var script = Path.Combine(_dir, "cred.sh");
        File.WriteAllText(script, $$$"""
            #!/bin/sh
            echo run >> "{{{counter}}}"
            test "$KTP_PLUGIN_ARG" = "from-env" || exit 3
            echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"exec-token-'$1'","expirationTimestamp":"2099-01-01T00:00:00Z"}}'
            """);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var path = WriteKubeconfig($"""
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: {script}
                  args: ["42"]
                  env:
                  - name: KTP_PLUGIN_ARG
                    value: from-env
            """);
        using var client = new KubeClient(KubeConfigLoader.FromKubeconfig(path, context: "fake"));
        await client.ListAsync(ResourceKind.ConfigMaps, "ocr");
        await client.ListAsync(ResourceKind.ConfigMaps, "ocr");
        Assert.Equal("Bearer exec-token-42", _server.LastAuthorization);
        Assert.Single(File.ReadAllLines(counter)); // cached until expiry
    }

    [Fact]
    public async Task In_cluster_config_trusts_the_service_account_ca_and_rereads_a_rotated_token()
    {
        var sa = Directory.CreateDirectory(Path.Combine(_dir, "serviceaccount")).FullName;
        File.WriteAllText(Path.Combine(sa, "ca.crt"), _ca.ExportCertificatePem());
        File.WriteAllText(Path.Combine(sa, "namespace"), "ktp-system\n");
        var tokenFile = Path.Combine(sa, "token");
        File.WriteAllText(tokenFile, "token-one");
        var connection = KubeConfigLoader.InCluster(sa, host: "127.0.0.1", port: _server.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("ktp-system", connection.Namespace);
        using var client = new KubeClient(connection);
        await client.ListAsync(ResourceKind.ConfigMaps, "ktp-system");
        Assert.Equal("Bearer token-one", _server.LastAuthorization);

        // The kubelet rotates the projected token by replacing the file.
        var fresh = tokenFile + ".new";
        File.WriteAllText(fresh, "token-two-rotated");
        File.Move(fresh, tokenFile, overwrite: true);
        await client.ListAsync(ResourceKind.ConfigMaps, "ktp-system");
        Assert.Equal("Bearer token-two-rotated", _server.LastAuthorization);
    }

    [Fact]
    public void Missing_context_is_a_clear_error()
    {
        var path = WriteKubeconfig("    token: abc");
        var e = Assert.Throws<InvalidOperationException>(() => KubeConfigLoader.FromKubeconfig(path, context: "nope"));
        Assert.Contains("no context named 'nope'", e.Message);
    }
}
