using System.Text.RegularExpressions;

namespace Bifrost.Analysis.Signatures;

/// <summary>The concrete things an excerpt names: what failed, where, and the numbers that matter.</summary>
public sealed record Entities
{
    public string? Target { get; init; }
    public string? Host { get; init; }
    public string? Port { get; init; }
    public string? Url { get; init; }
    public string? Table { get; init; }
    public string? Constraint { get; init; }
    public string? Column { get; init; }
    public string? User { get; init; }
    public string? Pod { get; init; }
    public string? Container { get; init; }
    public string? Image { get; init; }
    public string? Node { get; init; }
    public string? Topic { get; init; }
    public string? Timeout { get; init; }
    public string? PoolSize { get; init; }
    public string? Memory { get; init; }
    public string? StatusCode { get; init; }
    public string? ExceptionType { get; init; }
    public string? ExitCode { get; init; }
    public string? Path { get; init; }
    public string? Module { get; init; }
    public string? ConfigKey { get; init; }
    public string? Probe { get; init; }
}

/// <summary>Pulls <see cref="Entities"/> out of an event's text. Every regex is bounded and run on capped text.</summary>
public static partial class EntityExtractor
{
    private const int MaxText = 16 * 1024;

    public static Entities Extract(string text, string? innermost = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Length > MaxText ? text[..MaxText] : text;
        var hostPort = First(HostPort(), t, "host", "port");
        var jsonPort = JsonAddress().Match(t);
        string? host = hostPort?.Item1, port = hostPort?.Item2;
        if (host is null && jsonPort.Success)
        {
            host = jsonPort.Groups["host"].Value;
            port = jsonPort.Groups["port"].Value;
        }

        host ??= Group(NamedHost(), t, "host");
        var target = host is null ? null : port is null ? host : host + ":" + port;
        var exception = ExceptionName(innermost ?? string.Empty) ?? ExceptionName(t);
        return new Entities
        {
            Target = target,
            Host = host,
            Port = port,
            Url = Group(Url(), t, "url"),
            Table = Group(Table(), t, "t"),
            Constraint = Group(Constraint(), t, "c"),
            Column = Group(Column(), t, "c"),
            User = Group(User(), t, "u"),
            Pod = Group(Pod(), t, "p"),
            Container = Group(Container(), t, "c"),
            Image = Group(Image(), t, "i"),
            Node = Group(Node(), t, "n"),
            Topic = Group(Topic(), t, "t"),
            Timeout = Timeout(t),
            PoolSize = Group(PoolSize(), t, "n"),
            Memory = Group(Memory(), t, "m"),
            StatusCode = Group(Status(), t, "s"),
            ExceptionType = exception,
            ExitCode = Group(ExitCode(), t, "c"),
            Path = Group(PathRx(), t, "p"),
            Module = Group(Module(), t, "m"),
            ConfigKey = Group(ConfigKey(), t, "k"),
            Probe = Group(Probe(), t, "p"),
        };
    }

    private static string? ExceptionName(string text)
    {
        var m = ExceptionRx().Match(text.Length > 2048 ? text[..2048] : text);
        return m.Success ? m.Groups["e"].Value : null;
    }

    private static string? Timeout(string t)
    {
        var m = TimeoutRx().Match(t);
        return m.Success ? m.Groups["n"].Value + " " + m.Groups["u"].Value : null;
    }

    private static string? Group(Regex regex, string text, string name)
    {
        try
        {
            var m = regex.Match(text);
            return m.Success ? m.Groups[name].Value.Trim() : null;
        }
        catch (RegexMatchTimeoutException)
        {
            return null;
        }
    }

    private static (string, string)? First(Regex regex, string text, string a, string b)
    {
        try
        {
            foreach (Match m in regex.Matches(text))
            {
                var host = m.Groups[a].Value;
                if (host.Contains("://", StringComparison.Ordinal) || host.StartsWith("http", StringComparison.OrdinalIgnoreCase) && !host.Contains('.', StringComparison.Ordinal))
                {
                    continue;
                }

                return (host, m.Groups[b].Value);
            }
        }
        catch (RegexMatchTimeoutException)
        {
        }

        return null;
    }

    private const RegexOptions Opts = RegexOptions.CultureInvariant;

    [GeneratedRegex(@"(?<![\w.:/-])(?<host>(?:\d{1,3}\.){3}\d{1,3}|localhost|[a-z0-9](?:[a-z0-9-]{0,62}\.)*[a-z][a-z0-9-]{0,62})(?<!\bat|\bline|\bport|\bline \d+):(?<port>\d{2,5})\b(?![:\d])", Opts | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 100)]
    private static partial Regex HostPort();

    [GeneratedRegex(@"""address""\s*:\s*""(?<host>[^""]{1,100})""\s*,\s*""port""\s*:\s*(?<port>\d{2,5})", Opts, matchTimeoutMilliseconds: 100)]
    private static partial Regex JsonAddress();

    [GeneratedRegex(@"(?:host(?: name)? ""(?<host>[^""]{1,100})""|lookup (?<host>[\w.-]{1,100}) on|enotfound (?<host>[\w.-]{1,100})|unknownhostexception: (?<host>[\w.-]{1,100})|could not resolve host:? (?<host>[\w.-]{1,100})|getaddrinfo \w+ (?<host>[\w.-]{1,100})|connecting to (?<host>[\w.-]{1,100}))", Opts | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 100)]
    private static partial Regex NamedHost();

    [GeneratedRegex(@"(?<url>https?://[^\s""'<>)\]]{1,200})", Opts, matchTimeoutMilliseconds: 100)]
    private static partial Regex Url();

    [GeneratedRegex(@"(?:relation|table) [""'`]?(?<t>[\w.$]{1,120})[""'`]?(?: (?:does not exist|doesn't exist|violates))|on table ""(?<t>[^""]{1,120})""|no such table: (?<t>[\w.]{1,120})|invalid object name '(?<t>[^']{1,120})'|in relation ""(?<t>[^""]{1,120})""|insert into [""`]?(?<t>[\w.]{1,120})", Opts | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 100)]
    private static partial Regex Table();

    [GeneratedRegex(@"constraint [""'`](?<c>[^""'`]{1,120})[""'`]|for key '(?<c>[^']{1,120})'", Opts | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 100)]
    private static partial Regex Constraint();

    [GeneratedRegex(@"column [""'`](?<c>[^""'`]{1,120})[""'`]|unknown column '(?<c>[^']{1,120})'|invalid column name '(?<c>[^']{1,120})'", Opts | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 100)]
    private static partial Regex Column();

    [GeneratedRegex(@"for user [""'](?<u>[^""']{1,80})[""']|user ""(?<u>[^""]{1,120})"" cannot|role ""(?<u>[^""]{1,80})""", Opts | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 100)]
    private static partial Regex User();

    [GeneratedRegex(@"pod ""(?<p>[^""]{1,120})""|pod[s]?/(?<p>[a-z0-9][a-z0-9.-]{1,120})|assigned [\w-]{1,60}/(?<p>[a-z0-9][a-z0-9.-]{1,120})|^(?<p>[a-z0-9][a-z0-9-]{2,100}-[a-z0-9]{4,10}(?:-[a-z0-9]{5})?)\s+\d+/\d+\s", Opts | RegexOptions.Multiline, matchTimeoutMilliseconds: 100)]
    private static partial Regex Pod();

    [GeneratedRegex(@"container ""(?<c>[^""]{1,120})""|[Cc]ontainer (?<c>[\w-]{1,120}) was using|spec\.containers\{(?<c>[^}]{1,120})\}|Cannot start service (?<c>[\w-]{1,120})", Opts, matchTimeoutMilliseconds: 100)]
    private static partial Regex Container();

    [GeneratedRegex(@"image ""(?<i>[^""]{1,200})""|pull(?:ing)? (?:access denied for |image )(?<i>[\w./:@-]{1,200})", Opts | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 100)]
    private static partial Regex Image();

    [GeneratedRegex(@"(?:to node|on node|node=|Node:\s+)(?<n>[\w.-]{1,100})", Opts, matchTimeoutMilliseconds: 100)]
    private static partial Regex Node();

    [GeneratedRegex(@"topic[\s=:""'\[]{1,4}(?<t>[\w.-]{1,120})|partition (?<t>[\w.]{1,120})-\d+", Opts | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 100)]
    private static partial Regex Topic();

    [GeneratedRegex(@"(?:timed out after|timeout of|timeout after|after|timeout[=:]|timeout|within)\s*(?<n>\d+(?:\.\d+)?)\s*(?<u>ms|milliseconds|seconds|secs|sec|s|minutes|min)\b", Opts | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 100)]
    private static partial Regex TimeoutRx();

    [GeneratedRegex(@"(?:pool size|maximumpoolsize|max_connections|max pool size|queuepool limit of size|pool_size|maxpoolsize|maximum number of threads \(|total=)\s*[=:]?\s*(?<n>\d+)", Opts | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 100)]
    private static partial Regex PoolSize();

    [GeneratedRegex(@"(?:memory:\s+|limit of |request of |tried to allocate |memory limit (?:of )?|-xmx)(?<m>\d+(?:\.\d+)?\s?(?:[KMGT]i?B?|[kmg])\b)|(?<m>\d+(?:\.\d+)?\s?[KMGT]iB) (?:is free|memory in use)", Opts | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 100)]
    private static partial Regex Memory();

    [GeneratedRegex(@"(?:status(?:[ _-]?code)?|statuscode|response code|http/\d(?:\.\d)?|error code|returned)[""':=\s]{0,4}(?<s>[1-5]\d\d)\b|\b(?<s>[45]\d\d) (?:bad gateway|service unavailable|gateway time-?out|internal server error|too many requests|unauthorized|forbidden|bad request|not found)", Opts | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 100)]
    private static partial Regex Status();

    // NonBacktracking: on a long identifier-like run (a JWT, base64) the backtracking engine is quadratic and hit
    // the timeout, which failed the whole analysis (found by the engine fuzz tests). Same matches, linear time.
    [GeneratedRegex(@"(?<e>(?:[A-Za-z_$][\w$]*\.){0,8}[A-Z][\w$]*(?:Exception|Error|Throwable|Failure|Fault))\b", Opts | RegexOptions.NonBacktracking, matchTimeoutMilliseconds: 100)]
    private static partial Regex ExceptionRx();

    [GeneratedRegex(@"exit(?:ed)?(?: with)?(?: code|code:)\s*:?\s*\(?(?<c>-?\d{1,10})|Exit Code:\s+(?<c>\d+)|Exited \((?<c>\d+)\)", Opts | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 100)]
    private static partial Regex ExitCode();

    [GeneratedRegex(@"(?:open|mkdir|stat|scandir|unlink|access|lstat|rename|chmod) '(?<p>[^']{1,300})'|No such file or directory: '(?<p>[^']{1,300})'|NoSuchFileException: (?<p>\S{1,300})|Could not find (?:file|a part of the path) '(?<p>[^']{1,300})'|Access to the path '(?<p>[^']{1,300})' is denied|FileNotFoundException: (?<p>[^\s(]{1,300}) \(|exec: \\?""(?<p>[^""\\]{1,200})", Opts, matchTimeoutMilliseconds: 100)]
    private static partial Regex PathRx();

    [GeneratedRegex(@"No module named '(?<m>[^']{1,200})'|Cannot find module '(?<m>[^']{1,200})'|cannot import name '[^']{1,200}' from '(?<m>[^']{1,200})'|ClassNotFoundException: (?<m>[\w.$]{1,200})|NoClassDefFoundError: (?<m>[\w/.$]{1,200})|NoSuchMethodError: '?(?<m>[^'\n]{1,200})|Could not load file or assembly '(?<m>[^',]{1,200})", Opts, matchTimeoutMilliseconds: 100)]
    private static partial Regex Module();

    [GeneratedRegex(@"KeyError: '(?<k>[A-Z][A-Z0-9_]{2,100})'|placeholder '(?<k>[^']{1,200})'|environment variable [""'`]?(?<k>[A-Z][A-Z0-9_]{2,100})|properties under '(?<k>[^']{1,200})'", Opts, matchTimeoutMilliseconds: 100)]
    private static partial Regex ConfigKey();

    [GeneratedRegex(@"(?<p>Liveness|Readiness|Startup) probe failed", Opts | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 100)]
    private static partial Regex Probe();
}
