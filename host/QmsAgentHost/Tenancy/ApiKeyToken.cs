using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace QmsAgentHost.Tenancy;

/// <summary>
/// An API key as shown once to its creator: <c>qms_&lt;key id, 32 hex&gt;_&lt;secret, 43 base64url&gt;</c>.
/// Only SHA-256 of the secret is stored; the secret has 256 random bits, so a slow hash adds nothing.
/// </summary>
public readonly record struct ApiKeyToken(Guid KeyId, string Secret)
{
    private const string Prefix = "qms_";

    public static ApiKeyToken Create(Guid keyId) =>
        new(keyId, Base64UrlEncode(RandomNumberGenerator.GetBytes(32)));

    public override string ToString() => $"{Prefix}{KeyId:N}_{Secret}";

    public byte[] SecretHash() => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Secret));

    public bool Matches(byte[] storedHash) => CryptographicOperations.FixedTimeEquals(SecretHash(), storedHash);

    public static bool TryParse(string? text, [NotNullWhen(true)] out ApiKeyToken? token)
    {
        token = null;
        if (text is null || text.Length != Prefix.Length + 32 + 1 + 43 || !text.StartsWith(Prefix, StringComparison.Ordinal) || text[Prefix.Length + 32] != '_')
        {
            return false;
        }
        if (!Guid.TryParseExact(text.AsSpan(Prefix.Length, 32), "N", out var keyId))
        {
            return false;
        }
        token = new ApiKeyToken(keyId, text[(Prefix.Length + 33)..]);
        return true;
    }

    internal static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
