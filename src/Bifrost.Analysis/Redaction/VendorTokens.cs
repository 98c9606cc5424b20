using System.Buffers;

namespace Bifrost.Analysis.Redaction;

/// <summary>
/// Masks credentials recognisable by their own shape, wherever they appear: vendor tokens with a registered prefix
/// (GitHub, GitLab, Slack, Stripe, Google, OpenAI, Anthropic, SendGrid, npm, PyPI, Hugging Face, DigitalOcean,
/// Shopify, Vault, Grafana, Bifrost's own <c>bfk_</c> keys …), AWS access key ids, JSON Web Tokens, Azure AD client
/// secrets and Telegram bot tokens. Formats follow the public gitleaks rule set, generalised to "prefix + at least
/// N characters of the token's alphabet" so a longer or newer variant of a format is still masked.
/// One left-to-right walk; a candidate whose body was
/// read and rejected is not read again by the same rule (<c>failedUntil</c>), so the work stays linear.
/// Candidates are token starts (after a non-alphanumeric character) looked up by their first character.
/// </summary>
internal static class VendorTokens
{
    /// <param name="Max">0 = no upper bound (a longer run is still the token); otherwise the run must not exceed it.</param>
    private sealed record Rule(string Prefix, SearchValues<char> Body, int Min, int Max, string Placeholder);

    private static readonly SearchValues<char> Alnum = Scan.AsciiAlnum;
    private static readonly SearchValues<char> Word = Scan.Word;
    private static readonly SearchValues<char> WordDash = Scan.WordDash;
    private static readonly SearchValues<char> WordDashDot = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.");
    private static readonly SearchValues<char> WordDashEq = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-=");
    private static readonly SearchValues<char> Base64 = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_");
    private static readonly SearchValues<char> Letters = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
    private static readonly SearchValues<char> Hex = Scan.Hex;
    private static readonly SearchValues<char> UpperDigits = Scan.Upper;

    private static readonly Rule[] Rules = Build(
    [
        // source control
        new("ghp_", Alnum, 30, 0, Placeholders.ApiKey), new("gho_", Alnum, 30, 0, Placeholders.ApiKey),
        new("ghu_", Alnum, 30, 0, Placeholders.ApiKey), new("ghs_", Alnum, 30, 0, Placeholders.ApiKey),
        new("ghr_", Alnum, 30, 0, Placeholders.ApiKey), new("github_pat_", Word, 30, 0, Placeholders.ApiKey),
        new("glpat-", WordDashDot, 20, 0, Placeholders.ApiKey), new("gldt-", WordDash, 20, 0, Placeholders.ApiKey),
        new("glptt-", WordDash, 20, 0, Placeholders.ApiKey), new("glrt-", WordDashDot, 20, 0, Placeholders.ApiKey),
        new("glft-", WordDash, 20, 0, Placeholders.ApiKey), new("glimt-", WordDash, 20, 0, Placeholders.ApiKey),
        new("glagent-", WordDash, 20, 0, Placeholders.ApiKey), new("gloas-", WordDash, 20, 0, Placeholders.ApiKey),
        new("glcbt-", WordDash, 20, 0, Placeholders.ApiKey), new("glffct-", WordDash, 20, 0, Placeholders.ApiKey),
        new("glsoat-", WordDash, 20, 0, Placeholders.ApiKey), new("GR1348941", WordDash, 20, 0, Placeholders.ApiKey),
        new("ATATT3", WordDashEq, 100, 0, Placeholders.ApiKey), new("AKCp", Alnum, 60, 0, Placeholders.ApiKey),
        // chat
        new("xoxb-", WordDash, 10, 0, Placeholders.ApiKey), new("xoxp-", WordDash, 10, 0, Placeholders.ApiKey),
        new("xoxa-", WordDash, 10, 0, Placeholders.ApiKey), new("xoxr-", WordDash, 10, 0, Placeholders.ApiKey),
        new("xoxs-", WordDash, 10, 0, Placeholders.ApiKey), new("xoxo-", WordDash, 10, 0, Placeholders.ApiKey),
        new("xoxe-", WordDash, 10, 0, Placeholders.ApiKey), new("xoxe.", WordDashDot, 10, 0, Placeholders.ApiKey),
        new("xapp-", WordDash, 10, 0, Placeholders.ApiKey),
        // payments, e-mail, SaaS
        new("sk_live_", Alnum, 10, 0, Placeholders.ApiKey), new("sk_test_", Alnum, 10, 0, Placeholders.ApiKey),
        new("rk_live_", Alnum, 10, 0, Placeholders.ApiKey), new("rk_test_", Alnum, 10, 0, Placeholders.ApiKey),
        new("sk_prod_", Alnum, 10, 0, Placeholders.ApiKey), new("whsec_", Base64, 20, 0, Placeholders.Secret),
        new("sq0atp-", WordDash, 20, 0, Placeholders.Token), new("sq0csp-", WordDash, 20, 0, Placeholders.Secret),
        new("SG.", WordDashDot, 50, 0, Placeholders.ApiKey), new("xkeysib-", WordDash, 50, 0, Placeholders.ApiKey),
        new("key-", Hex, 32, 32, Placeholders.ApiKey), new("SK", Hex, 32, 32, Placeholders.ApiKey),
        new("shpat_", Hex, 32, 0, Placeholders.Token), new("shpss_", Hex, 32, 0, Placeholders.Secret),
        new("shpca_", Hex, 32, 0, Placeholders.Token), new("shppa_", Hex, 32, 0, Placeholders.Token),
        new("lin_api_", Alnum, 30, 0, Placeholders.ApiKey), new("PMAK-", WordDash, 40, 0, Placeholders.ApiKey),
        new("ntn_", Alnum, 40, 0, Placeholders.Token), new("secret_", Alnum, 43, 43, Placeholders.Secret),
        new("NRAK-", WordDash, 20, 0, Placeholders.ApiKey), new("NRII-", WordDash, 20, 0, Placeholders.ApiKey),
        new("NRJS-", WordDash, 19, 0, Placeholders.ApiKey), new("dt0c01.", WordDashDot, 60, 0, Placeholders.Token),
        new("sntrys_", Base64, 40, 0, Placeholders.Token), new("sntryu_", Hex, 40, 0, Placeholders.Token),
        new("glc_", Base64, 32, 0, Placeholders.Token), new("glsa_", Word, 32, 0, Placeholders.Token),
        new("eyJrIjoi", Base64, 40, 0, Placeholders.ApiKey), new("rdme_", Alnum, 40, 0, Placeholders.ApiKey),
        new("FLWSECK-", WordDash, 12, 0, Placeholders.Secret), new("FLWSECK_TEST-", WordDash, 12, 0, Placeholders.Secret),
        // cloud and infrastructure
        new("AIza", WordDash, 30, 0, Placeholders.ApiKey), new("ya29.", WordDashDot, 20, 0, Placeholders.Token),
        new("GOCSPX-", WordDash, 20, 0, Placeholders.Secret), new("1//0", WordDash, 30, 0, Placeholders.Token),
        new("dop_v1_", Hex, 64, 0, Placeholders.Token), new("doo_v1_", Hex, 64, 0, Placeholders.Token),
        new("dor_v1_", Hex, 64, 0, Placeholders.Token), new("dapi", Hex, 32, 0, Placeholders.Token),
        new("hvs.", WordDash, 24, 0, Placeholders.Token), new("hvb.", WordDash, 24, 0, Placeholders.Token),
        new("hvr.", WordDash, 24, 0, Placeholders.Token), new("dp.pt.", Alnum, 40, 0, Placeholders.Token),
        new("dp.st.", WordDashDot, 40, 0, Placeholders.Token), new("dp.ct.", Alnum, 40, 0, Placeholders.Token),
        new("pul-", Hex, 40, 0, Placeholders.Token), new("pnu_", Alnum, 30, 0, Placeholders.Token),
        new("LTAI", Alnum, 16, 30, Placeholders.AwsKey), new("AGE-SECRET-KEY-1", UpperDigits, 50, 0, Placeholders.PrivateKey),
        new("sbp_", Hex, 40, 0, Placeholders.Token), new("fo1_", WordDash, 40, 0, Placeholders.Token),
        new("ops_eyJ", Base64, 100, 0, Placeholders.Token), new("pscale_tkn_", WordDashDot, 32, 0, Placeholders.Token),
        new("pscale_oauth_", WordDashDot, 32, 0, Placeholders.Token), new("pscale_pw_", WordDashDot, 32, 0, Placeholders.Password),
        new("HRKU-", WordDash, 40, 0, Placeholders.ApiKey), new("rubygems_", Hex, 48, 0, Placeholders.ApiKey),
        new("tk-us-", WordDash, 40, 0, Placeholders.Token), new("sha256~", WordDash, 40, 0, Placeholders.Token),
        new("ASIA", UpperDigits, 16, 16, Placeholders.AwsKey), new("AKIA", UpperDigits, 16, 16, Placeholders.AwsKey),
        new("ABIA", UpperDigits, 16, 16, Placeholders.AwsKey), new("ACCA", UpperDigits, 16, 16, Placeholders.AwsKey),
        new("AGPA", UpperDigits, 16, 16, Placeholders.AwsKey), new("AIDA", UpperDigits, 16, 16, Placeholders.AwsKey),
        new("AROA", UpperDigits, 16, 16, Placeholders.AwsKey), new("AIPA", UpperDigits, 16, 16, Placeholders.AwsKey),
        new("ANPA", UpperDigits, 16, 16, Placeholders.AwsKey), new("ANVA", UpperDigits, 16, 16, Placeholders.AwsKey),
        new("A3T", UpperDigits, 17, 17, Placeholders.AwsKey),
        // AI and package registries
        new("sk-", WordDash, 20, 0, Placeholders.ApiKey), new("hf_", Letters, 30, 0, Placeholders.Token),
        new("api_org_", Letters, 30, 0, Placeholders.Token), new("npm_", Alnum, 30, 0, Placeholders.Token),
        new("pypi-AgEIcHlwaS5vcmc", WordDash, 40, 0, Placeholders.Token), new("pplx-", Alnum, 40, 0, Placeholders.ApiKey),
        new("gsk_", Alnum, 40, 0, Placeholders.ApiKey), new("r8_", Alnum, 30, 0, Placeholders.ApiKey),
        // Bifrost's own API keys (bfk_ + 43 base64url characters)
        new("bfk_", WordDash, 20, 0, Placeholders.ApiKey),
    ]);

    /// <summary>Rules by the first two characters of their prefix (ASCII), longest prefix first.</summary>
    private static readonly int[][] RulesByFirstChars = BuildIndex();

    /// <summary>Longest prefixes first, so "sk-ant-…" is read by the same rule as "sk-" but "sk_live_" wins over "sk-" never colliding.</summary>
    private static Rule[] Build(Rule[] rules) => [.. rules.OrderByDescending(r => r.Prefix.Length)];

    private static int[][] BuildIndex()
    {
        var index = new int[128 * 128][];
        Array.Fill(index, []);
        foreach (var group in Enumerable.Range(0, Rules.Length).GroupBy(r => Key(Rules[r].Prefix[0], Rules[r].Prefix[1])))
        {
            index[group.Key] = [.. group];
        }

        return index;
    }

    private static int Key(char first, char second) => (first * 128) + second;

    public static string Redact(string text) => TelegramBotTokens(AzureClientSecrets(PrefixedTokens(text)));

    /// <summary>
    /// One plain walk over token starts (a character after a non-alphanumeric one): most characters cost one table
    /// look-up, which is cheaper on log lines than a vectorised search for a hundred prefixes.
    /// </summary>
    private static string PrefixedTokens(string text)
    {
        var writer = new SpanWriter(text);
        Span<int> failedUntil = stackalloc int[Rules.Length + 1];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c >= 128 || i + 1 >= text.Length || text[i + 1] >= 128 || (i > 0 && char.IsAsciiLetterOrDigit(text[i - 1])))
            {
                continue;
            }

            var rules = RulesByFirstChars[Key(c, text[i + 1])];
            var (start, end, placeholder) = c == 'e' && text.AsSpan(i).StartsWith("eyJ", StringComparison.Ordinal) && !text.AsSpan(i).StartsWith("eyJrIjoi", StringComparison.Ordinal)
                ? Jwt(text, i, failedUntil)
                : rules.Length == 0 ? default : Match(text, i, rules, failedUntil);
            if (placeholder is not null && start >= writer.Copied)
            {
                writer.Replace(start, end, placeholder);
                i = end - 1;
            }
        }

        Scan.Count(text.Length);
        return writer.Finish();
    }

    private static (int Start, int End, string? Placeholder) Match(string text, int hit, int[] rules, Span<int> failedUntil)
    {
        var span = text.AsSpan(hit);
        foreach (var r in rules)
        {
            var rule = Rules[r];
            if (hit < failedUntil[r] || !span.StartsWith(rule.Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var bodyStart = hit + rule.Prefix.Length;
            var bodyEnd = Scan.RunEnd(text, bodyStart, rule.Body, rule.Max > 0 ? rule.Max + 1 : int.MaxValue);
            var length = bodyEnd - bodyStart;
            var fits = length >= rule.Min && (rule.Max == 0 || (length <= rule.Max && (bodyEnd == text.Length || !char.IsAsciiLetterOrDigit(text[bodyEnd]))));
            if (fits && !(rule.Body == Hex || rule.Body == UpperDigits || HasDigitOrMixedCase(text.AsSpan(bodyStart, length))))
            {
                fits = false; // "sk-this-is-not-a-real-key-at-all": a word, not a random token
            }

            if (fits)
            {
                // A trailing '=' run is base64 padding of the token itself.
                var end = bodyEnd;
                while (end < text.Length && text[end] == '=' && end - bodyEnd < 3)
                {
                    end++;
                }

                return (hit, end, rule.Placeholder);
            }

            failedUntil[r] = bodyEnd;
        }

        return default;
    }

    /// <summary>header.payload[.signature[.more]]: base64url parts, the header a JSON object (eyJ), at least two parts of 8+.</summary>
    private static (int, int, string?) Jwt(string text, int hit, Span<int> failedUntil)
    {
        var slot = Rules.Length;
        if (hit < failedUntil[slot])
        {
            return default;
        }

        var end = Scan.RunEnd(text, hit, WordDash);
        var parts = 1;
        var firstLength = end - hit;
        var secondLength = 0;
        while (end < text.Length && text[end] == '.' && parts < 5)
        {
            var next = Scan.RunEnd(text, end + 1, WordDash);
            if (parts == 1)
            {
                secondLength = next - end - 1;
            }

            parts++;
            end = next;
        }

        if (parts >= 2 && firstLength >= 8 && secondLength >= 8)
        {
            return (hit, end, Placeholders.Jwt);
        }

        failedUntil[slot] = end;
        return default;
    }

    private static string AzureClientSecrets(string text) => Anchored(text, "Q~", AzureClientSecret);

    private static string TelegramBotTokens(string text) => Anchored(text, ":AA", TelegramBotToken);

    /// <summary>Tokens recognised around an infix anchor rather than a prefix.</summary>
    private static string Anchored(string text, string anchor, Func<string, int, (int Start, int End, string? Placeholder)> match)
    {
        var writer = new SpanWriter(text);
        for (var hit = Scan.IndexOf(text, anchor, 0); hit >= 0; hit = Scan.IndexOf(text, anchor, hit + 1))
        {
            var (start, end, placeholder) = match(text, hit);
            if (placeholder is not null && start >= writer.Copied)
            {
                writer.Replace(start, end, placeholder);
                hit = end - 1;
            }
        }

        return writer.Finish();
    }

    /// <summary>Azure AD (Entra) client secrets: three characters, a digit, <c>Q~</c>, then 31–34 more.</summary>
    private static (int, int, string?) AzureClientSecret(string text, int hit)
    {
        var start = hit - 4;
        if (start < 0 || (start > 0 && char.IsAsciiLetterOrDigit(text[start - 1])) || !char.IsAsciiDigit(text[hit - 1]))
        {
            return default;
        }

        for (var i = start; i < hit - 1; i++)
        {
            if (!char.IsAsciiLetterOrDigit(text[i]) && text[i] is not ('_' or '~' or '.'))
            {
                return default;
            }
        }

        var end = Scan.RunEnd(text, hit + 2, AzureChars, 40);
        return end - hit - 2 >= 31 ? (start, end, Placeholders.Secret) : default;
    }

    private static readonly SearchValues<char> AzureChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_~.-");

    /// <summary>Telegram bot tokens: 8–10 digits, <c>:AA</c>, then 33 base64url characters.</summary>
    private static (int, int, string?) TelegramBotToken(string text, int hit)
    {
        var start = Scan.RunStart(text, hit, Scan.Hex, 11);
        var digits = hit - start;
        if (digits is < 8 or > 10 || text.AsSpan(start, digits).ContainsAnyExceptInRange('0', '9') || (start > 0 && char.IsAsciiLetterOrDigit(text[start - 1])))
        {
            return default;
        }

        var end = Scan.RunEnd(text, hit + 3, WordDash, 64);
        return end - hit - 3 >= 30 ? (start, end, Placeholders.Token) : default;
    }

    /// <summary>Random tokens have digits or mixed case somewhere; a prefix followed by a plain word is prose or an identifier.</summary>
    private static bool HasDigitOrMixedCase(ReadOnlySpan<char> body)
    {
        bool upper = false, lower = false;
        foreach (var c in body)
        {
            if (char.IsAsciiDigit(c))
            {
                return true;
            }

            upper |= char.IsAsciiLetterUpper(c);
            lower |= char.IsAsciiLetterLower(c);
        }

        return upper && lower;
    }
}
