using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace KtpFleet.Operator.Kube;

/// <summary>Where the API server is and how to trust it and authenticate to it.</summary>
public sealed class KubeConnection
{
    public required Uri Server { get; init; }
    public X509Certificate2Collection CertificateAuthorities { get; init; } = [];
    public X509Certificate2? ClientCertificate { get; init; }
    public ITokenSource? Token { get; init; }
    public bool InsecureSkipTlsVerify { get; init; }
    /// <summary>The namespace of the context (kubeconfig) or of the pod (in-cluster).</summary>
    public string Namespace { get; init; } = "default";

    public const string UserAgent = "ktp-operator/1.0";

    public HttpClient CreateHttpClient()
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (ClientCertificate is not null) handler.SslOptions.ClientCertificates = [ClientCertificate];
        handler.SslOptions.RemoteCertificateValidationCallback = ValidateServerCertificate;
        HttpMessageHandler top = Token is null ? handler : new BearerTokenHandler(Token) { InnerHandler = handler };
        // Watches are long requests; their end is governed by timeoutSeconds and cancellation, not HttpClient.
        var http = new HttpClient(top) { BaseAddress = Server, Timeout = Timeout.InfiniteTimeSpan };
        // Identifies the operator in API server audit logs and in the fake server's request log.
        http.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
        return http;
    }

    internal bool ValidateServerCertificate(object sender, X509Certificate? cert, X509Chain? chain, SslPolicyErrors errors)
    {
        if (InsecureSkipTlsVerify) return true;
        if (errors == SslPolicyErrors.None) return true;
        if (cert is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0) return false;
        if (CertificateAuthorities.Count == 0) return false;
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(CertificateAuthorities);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return custom.Build(cert as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(cert.GetRawCertData()));
    }

    private sealed class BearerTokenHandler(ITokenSource token) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            if (await token.GetTokenAsync(ct).ConfigureAwait(false) is { Length: > 0 } t)
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", t);
            return await base.SendAsync(request, ct).ConfigureAwait(false);
        }
    }
}
