using System.Buffers;

namespace Bifrost.Analysis.Redaction;

/// <summary>
/// Masks credentials carried by URLs: the password of <c>scheme://user:password@host</c> (a password may itself
/// contain <c>@</c> or <c>/</c>: the userinfo ends at the last <c>@</c> before the path) and the secret path of
/// webhook URLs (Slack, Discord, Microsoft Teams, Zapier), which are bearer credentials on their own. The host,
/// port and path stay: they are what an engineer diagnoses with.
/// </summary>
internal static class UrlCredentials
{
    private const int MaxUser = 256;
    private const int MaxHostPort = 300;

    private static readonly SearchValues<char> UrlStops = SearchValues.Create(" \t\r\n\"'<>`");
    private static readonly SearchValues<char> PathStarts = SearchValues.Create("/? \t\r\n\"'<>`");
    private static readonly SearchValues<char> WebhookPathChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+_-@");

    // Host (and path) prefixes after which the rest of the path is the credential.
    private static readonly string[] WebhookPrefixes =
    [
        "hooks.slack.com/services/", "hooks.slack.com/workflows/", "hooks.slack.com/triggers/",
        "discord.com/api/webhooks/", "discordapp.com/api/webhooks/", "webhook.office.com/webhookb2/",
        "hooks.zapier.com/hooks/catch/", "chat.googleapis.com/v1/spaces/",
    ];

    private static readonly SearchValues<string> Webhooks = SearchValues.Create(WebhookPrefixes, StringComparison.OrdinalIgnoreCase);

    public static bool MayContain(string text) => text.Contains("://", StringComparison.Ordinal) || text.AsSpan().ContainsAny(Webhooks);

    public static string Redact(string text) => WebhookPaths(UserinfoPasswords(text));

    private static string UserinfoPasswords(string text)
    {
        var writer = new SpanWriter(text);
        // The first '@' and the first URL stop after a position are cached: each is searched for once per region.
        var nextAt = -2;
        var nextStop = -2;
        var (memoAt, memoLastAt) = (-1, -1);
        var (memoFinalFor, memoFinal, memoPathStart) = (-1, -1, -1);
        var atAfterPath = -2;
        for (var hit = Scan.IndexOf(text, "://", 0); hit >= 0; hit = Scan.IndexOf(text, "://", hit + 3))
        {
            if (hit == 0 || !char.IsAsciiLetterOrDigit(text[hit - 1]))
            {
                continue; // no scheme
            }

            var authority = hit + 3;
            if (nextStop != -1 && nextStop < authority)
            {
                nextStop = Scan.IndexOfAny(text, authority, UrlStops);
            }

            if (nextAt != -1 && nextAt < authority)
            {
                nextAt = Scan.IndexOf(text, '@', authority);
            }

            var stop = nextStop < 0 ? text.Length : nextStop;
            if (nextAt < 0 || nextAt >= stop)
            {
                continue;
            }

            // The userinfo ends at the last '@' before the path that follows the first '@' ("u:p@ss@host/x@y").
            if (memoAt != nextAt)
            {
                var pathStart = Scan.IndexOfAny(text, nextAt + 1, PathStarts);
                var limit = pathStart < 0 ? text.Length : pathStart;
                memoAt = nextAt;
                memoPathStart = limit;
                memoLastAt = text.LastIndexOf('@', limit - 1, limit - nextAt);
                Scan.Count(limit - nextAt);
            }

            var lastAt = memoLastAt;
            if (memoFinalFor != nextAt)
            {
                // A password may hold '/' too ("redis://:pa/ss@cache:6379"): then an '@' after the path start that is
                // followed by host:port ends the userinfo. Path starts only grow with the first '@', so the search
                // for the next '@' after one is cached like the others.
                memoFinalFor = nextAt;
                memoFinal = -1;
                var pathStart = memoPathStart;
                if (pathStart < stop && text[pathStart] == '/')
                {
                    if (atAfterPath != -1 && atAfterPath < pathStart)
                    {
                        atAfterPath = Scan.IndexOf(text, '@', pathStart);
                    }

                    if (atAfterPath >= 0 && atAfterPath < stop && IsHostPort(text.AsSpan(atAfterPath + 1, Math.Min(stop - atAfterPath - 1, MaxHostPort))))
                    {
                        memoFinal = atAfterPath;
                    }
                }
            }

            if (memoFinal > lastAt)
            {
                lastAt = memoFinal;
            }

            var colon = text.IndexOf(':', authority, lastAt - authority);
            Scan.Count((colon < 0 ? lastAt : colon) - authority);
            if (colon < 0 || colon - authority > MaxUser || colon + 1 >= lastAt
                || text.AsSpan(authority, colon - authority).IndexOfAny('/', '?', '#') >= 0
                || Scan.IsPlaceholderAt(text, colon + 1))
            {
                continue;
            }

            // "host:8080/@scope/pkg" is a port and a path, not "user:password@".
            var password = text.AsSpan(colon + 1, lastAt - colon - 1);
            var slash = password.IndexOf('/');
            if (slash >= 0 && (slash == 0 || !password[..slash].ContainsAnyExceptInRange('0', '9')))
            {
                continue;
            }

            writer.Replace(colon + 1, lastAt, Placeholders.Password);
        }

        return writer.Finish();
    }

    /// <summary>"host:port" optionally followed by a path or query: a name of letters, digits, dots and dashes, and a numeric port.</summary>
    private static bool IsHostPort(ReadOnlySpan<char> rest)
    {
        var end = rest.IndexOfAny('/', '?');
        if (end < 0 && rest.Length == MaxHostPort)
        {
            return false;
        }

        var authority = end < 0 ? rest : rest[..end];
        var colon = authority.LastIndexOf(':');
        if (colon <= 0 || colon == authority.Length - 1 || authority[(colon + 1)..].ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }

        foreach (var c in authority[..colon])
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    private static string WebhookPaths(string text)
    {
        var writer = new SpanWriter(text);
        for (var hit = Scan.IndexOfAny(text, 0, Webhooks); hit >= 0; hit = Scan.IndexOfAny(text, hit + 1, Webhooks))
        {
            var prefix = WebhookPrefixes.First(p => text.AsSpan(hit).StartsWith(p, StringComparison.OrdinalIgnoreCase));
            var start = hit + prefix.Length;
            var end = Scan.RunEnd(text, start, WebhookPathChars);
            if (end - start >= 8 && !Scan.IsPlaceholderAt(text, start))
            {
                writer.Replace(start, end, Placeholders.Token);
                hit = end - 1;
            }
        }

        return writer.Finish();
    }
}
