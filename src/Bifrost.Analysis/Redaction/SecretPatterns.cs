using System.Text.RegularExpressions;

namespace Bifrost.Analysis.Redaction;

/// <summary>
/// The redactor's regular expressions. Each is source-generated, has a match timeout, and is written so the
/// backtracking engine stays linear: every repetition is bounded, and no two adjacent parts can match the same
/// character (a literal prefix, then a class that excludes what follows).
/// </summary>
internal static partial class SecretPatterns
{
    private const int TimeoutMs = 1000;
    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;

    /// <summary><c>scheme://user:password@host</c>: the password.</summary>
    [GeneratedRegex(@"[A-Za-z][A-Za-z0-9+.\-]{0,20}://[^\s/:@]{0,256}:(?<value>[^\s/@]{1,256})@", Options, TimeoutMs)]
    public static partial Regex UrlPassword();

    /// <summary><c>Authorization: Basic ...</c> / <c>Bearer ...</c> (also quoted, as in JSON headers): the credentials.</summary>
    [GeneratedRegex(@"\b(?:proxy-)?authorization[""']?[ \t]{0,4}[:=][ \t]{0,4}[""']?(?:(?:bearer|basic|digest|token|negotiate|ntlm|apikey|aws4-hmac-sha256)[ \t]{1,4})?(?<value>[^\s""',;][^\r\n""']{0,8191})", Options | RegexOptions.IgnoreCase, TimeoutMs)]
    public static partial Regex AuthorizationHeader();

    /// <summary><c>Cookie:</c> / <c>Set-Cookie:</c>: the whole header value.</summary>
    [GeneratedRegex(@"\b(?:set-)?cookie[""']?[ \t]{0,4}:[ \t]{0,4}[""']?(?<value>[^\s""'][^\r\n""']{0,8191})", Options | RegexOptions.IgnoreCase, TimeoutMs)]
    public static partial Regex CookieHeader();

    /// <summary>API key headers such as <c>X-Api-Key:</c>.</summary>
    [GeneratedRegex(@"\b(?:x-api-key|x-auth-token|x-access-token|x-amz-security-token|private-token|x-vault-token|ocp-apim-subscription-key)[""']?[ \t]{0,4}[:=][ \t]{0,4}[""']?(?<value>[^\s""',;]{1,8192})", Options | RegexOptions.IgnoreCase, TimeoutMs)]
    public static partial Regex ApiKeyHeader();

    /// <summary>A bearer token anywhere in the text.</summary>
    [GeneratedRegex(@"\bbearer[ \t]{1,4}(?<value>[A-Za-z0-9\-._~+/]{8,8192}=*)", Options | RegexOptions.IgnoreCase, TimeoutMs)]
    public static partial Regex BearerToken();

    /// <summary>A JSON Web Token: three base64url parts, the first two JSON objects (<c>eyJ</c>).</summary>
    [GeneratedRegex(@"\beyJ[A-Za-z0-9_\-]{4,8192}\.eyJ[A-Za-z0-9_\-]{4,8192}\.[A-Za-z0-9_\-]{0,8192}", Options, TimeoutMs)]
    public static partial Regex Jwt();

    /// <summary>AWS access key ids.</summary>
    [GeneratedRegex(@"\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z0-9]{16}\b", Options, TimeoutMs)]
    public static partial Regex AwsAccessKeyId();

    /// <summary>Vendor API keys with a recognisable prefix: GitHub, GitLab, Slack, Stripe, Google, OpenAI/Anthropic, npm.</summary>
    [GeneratedRegex(@"\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255}|glpat-[A-Za-z0-9_\-]{20,255}|xox[abposr]-[A-Za-z0-9\-]{10,255}|(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{10,255}|AIza[0-9A-Za-z_\-]{35}|sk-(?:proj-|ant-)?[A-Za-z0-9_\-]{20,255}|npm_[A-Za-z0-9]{36})\b", Options, TimeoutMs)]
    public static partial Regex VendorApiKey();
}
