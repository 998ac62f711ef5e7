using System.Security.Cryptography;
using System.Text;

namespace KtpFleet.Fleet.Tenants;

/// <summary>
/// An API key <c>ktp_&lt;keyId&gt;_&lt;secret&gt;</c>: the key id finds the row, the secret is checked against its
/// SHA-256 in constant time. Secrets are 256 random bits, so no slow password hash is needed.
/// </summary>
public sealed record ApiKey(string KeyId, string Secret)
{
    public override string ToString() => $"ktp_{KeyId}_{Secret}";

    public static ApiKey Generate() =>
        new(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), Base64Url(RandomNumberGenerator.GetBytes(32)));

    public static bool TryParse(string? text, out ApiKey key)
    {
        key = null!;
        if (text is null || !text.StartsWith("ktp_", StringComparison.Ordinal)) return false;
        var rest = text.AsSpan(4);
        var sep = rest.IndexOf('_');
        if (sep != 16 || rest.Length - sep - 1 < 20) return false;
        key = new ApiKey(rest[..sep].ToString(), rest[(sep + 1)..].ToString());
        return true;
    }

    public byte[] SecretHash() => SHA256.HashData(Encoding.UTF8.GetBytes(Secret));

    public bool Matches(byte[] storedHash) => CryptographicOperations.FixedTimeEquals(SecretHash(), storedHash);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
