using System.Security.Cryptography;
using System.Text;

namespace Bifrost.Api.Keys;

/// <summary>
/// API keys are 32 random bytes (base64url) behind a <c>bfk_</c> tag. Only their SHA-256 is stored: with that
/// much entropy a plain fast hash is enough (no dictionary to attack), and it keeps per-request checks cheap.
/// </summary>
public static class ApiKeySecret
{
    public const string Tag = "bfk_";

    /// <summary>Characters of the key kept in clear for listing (tag + 8), enough to tell keys apart.</summary>
    public const int PrefixLength = 12;

    public static string NewKey() => Tag + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static string PrefixOf(string key) => key.Length <= PrefixLength ? key : key[..PrefixLength];

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
