using System.Buffers;
using System.Text.RegularExpressions;

namespace Bifrost.Analysis.Redaction;

/// <summary>
/// Masks secrets and personal data before any text leaves the process: passwords in URLs, authorization,
/// cookie and API-key headers, bearer tokens, JWTs, cloud and vendor API keys, secret-looking <c>key=value</c>
/// pairs (also JSON), PEM private keys, e-mail addresses and card numbers. IP addresses and host names are
/// kept: they are what an on-call engineer needs to diagnose.
/// Static, thread-safe and linear-time: each pass is skipped unless a cheap check finds what it looks for, the
/// regexes are bounded (see <see cref="SecretPatterns"/>) and the rest are hand-written scanners. If a regex
/// still times out the whole text is withheld rather than returned unredacted.
/// </summary>
public static class Redactor
{
    // Cheap vectorised checks that decide whether a pass can match at all; most log lines skip every pass.
    private static readonly SearchValues<string> AwsKeyPrefixes = SearchValues.Create(
        ["AKIA", "ASIA", "ABIA", "ACCA", "AGPA", "AIDA", "AROA", "AIPA", "ANPA", "ANVA"], StringComparison.Ordinal);

    private static readonly SearchValues<string> VendorKeyPrefixes = SearchValues.Create(
        ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "xox", "_live_", "_test_", "AIza", "sk-", "npm_"], StringComparison.Ordinal);

    // Words that introduce a credential header or a bearer token (one check instead of one per header).
    private static readonly SearchValues<string> HeaderWords = SearchValues.Create(
        ["authorization", "cookie", "-token", "-key", "bearer"], StringComparison.OrdinalIgnoreCase);

    // Every key KeyValueSecrets masks contains one of these.
    private static readonly SearchValues<string> SecretKeyWords = SearchValues.Create(
        ["pass", "pwd", "pw", "secret", "token", "key", "credential", "session", "sig"], StringComparison.OrdinalIgnoreCase);

    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            return RedactAll(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return Placeholders.Unscannable;
        }
    }

    private static string RedactAll(string text)
    {
        // Order matters: whole blocks and structured credentials first, so later passes see placeholders.
        text = PrivateKeyBlocks.Redact(text);
        if (text.Contains("://", StringComparison.Ordinal) && text.Contains('@'))
        {
            text = ReplaceValue(SecretPatterns.UrlPassword(), text, Placeholders.Password);
        }

        if (text.AsSpan().ContainsAny(HeaderWords))
        {
            text = RedactHeaders(text);
        }

        if (text.Contains("eyJ", StringComparison.Ordinal))
        {
            text = SecretPatterns.Jwt().Replace(text, Placeholders.Jwt);
        }

        if (text.AsSpan().ContainsAny(AwsKeyPrefixes))
        {
            text = SecretPatterns.AwsAccessKeyId().Replace(text, Placeholders.AwsKey);
        }

        if (text.AsSpan().ContainsAny(VendorKeyPrefixes))
        {
            text = SecretPatterns.VendorApiKey().Replace(text, Placeholders.ApiKey);
        }

        if (text.AsSpan().ContainsAny(SecretKeyWords))
        {
            text = KeyValueSecrets.Redact(text);
        }

        if (text.Contains('@'))
        {
            text = EmailAddresses.Redact(text);
        }

        return CardNumbers.Redact(text);
    }

    private static string RedactHeaders(string text)
    {
        if (text.Contains("authorization", StringComparison.OrdinalIgnoreCase))
        {
            text = ReplaceValue(SecretPatterns.AuthorizationHeader(), text, Placeholders.Credentials);
        }

        if (text.Contains("cookie", StringComparison.OrdinalIgnoreCase))
        {
            text = ReplaceValue(SecretPatterns.CookieHeader(), text, Placeholders.Cookie);
        }

        if (text.Contains("-token", StringComparison.OrdinalIgnoreCase) || text.Contains("-key", StringComparison.OrdinalIgnoreCase))
        {
            text = ReplaceValue(SecretPatterns.ApiKeyHeader(), text, Placeholders.ApiKey);
        }

        if (text.Contains("bearer", StringComparison.OrdinalIgnoreCase))
        {
            text = ReplaceValue(SecretPatterns.BearerToken(), text, Placeholders.Token);
        }

        return text;
    }

    /// <summary>Replaces only the <c>value</c> group of each match, keeping the key/header name around it.</summary>
    private static string ReplaceValue(Regex pattern, string text, string placeholder) =>
        pattern.Replace(text, match =>
        {
            var value = match.Groups["value"];
            if (text.AsSpan(value.Index).StartsWith(Placeholders.RedactedPrefix, StringComparison.Ordinal))
            {
                return match.Value;
            }

            return string.Concat(
                text.AsSpan(match.Index, value.Index - match.Index),
                placeholder,
                text.AsSpan(value.Index + value.Length, match.Index + match.Length - value.Index - value.Length));
        });
}
