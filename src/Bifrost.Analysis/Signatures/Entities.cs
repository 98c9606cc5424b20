using System.Buffers;
using Bifrost.Analysis.Normalization;
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

    /// <summary>This record's values, with gaps filled from <paramref name="other"/> (the wider excerpt).</summary>
    public Entities Or(Entities other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new Entities
        {
            Target = Target ?? other.Target, Host = Host ?? other.Host, Port = Port ?? other.Port, Url = Url ?? other.Url,
            Table = Table ?? other.Table, Constraint = Constraint ?? other.Constraint, Column = Column ?? other.Column,
            User = User ?? other.User, Pod = Pod ?? other.Pod, Container = Container ?? other.Container, Image = Image ?? other.Image,
            Node = Node ?? other.Node, Topic = Topic ?? other.Topic, Timeout = Timeout ?? other.Timeout, PoolSize = PoolSize ?? other.PoolSize,
            Memory = Memory ?? other.Memory, StatusCode = StatusCode ?? other.StatusCode, ExceptionType = ExceptionType ?? other.ExceptionType,
            ExitCode = ExitCode ?? other.ExitCode, Path = Path ?? other.Path, Module = Module ?? other.Module,
            ConfigKey = ConfigKey ?? other.ConfigKey, Probe = Probe ?? other.Probe,
        };
    }
}

/// <summary>Which <see cref="Entities"/> fields a caller reads; extraction can skip the others' regexes.</summary>
[Flags]
internal enum EntityFields
{
    None = 0,
    Target = 1 << 0,
    Host = 1 << 1,
    Port = 1 << 2,
    Url = 1 << 3,
    Table = 1 << 4,
    Constraint = 1 << 5,
    Column = 1 << 6,
    User = 1 << 7,
    Pod = 1 << 8,
    Container = 1 << 9,
    Image = 1 << 10,
    Node = 1 << 11,
    Topic = 1 << 12,
    Timeout = 1 << 13,
    PoolSize = 1 << 14,
    Memory = 1 << 15,
    StatusCode = 1 << 16,
    ExceptionType = 1 << 17,
    ExitCode = 1 << 18,
    Path = 1 << 19,
    Module = 1 << 20,
    ConfigKey = 1 << 21,
    Probe = 1 << 22,
    All = (1 << 23) - 1,
}

/// <summary>Pulls <see cref="Entities"/> out of an event's text. Every regex is bounded and run on capped text.</summary>
public static partial class EntityExtractor
{
    private const int MaxText = 16 * 1024;

    public static Entities Extract(string text, string? innermost = null) => Extract(text, innermost, null, null, EntityFields.All);

    /// <summary>
    /// <paramref name="found"/>.Or(Extract(<paramref name="text"/>, <paramref name="innermost"/>)) without running the
    /// extractors for the fields <paramref name="found"/> already has (they would be discarded). <paramref name="lowered"/>,
    /// when given, is <c>text.ToLowerInvariant()</c> (the classifier already has it), so it is not lower-cased again.
    /// Fields outside <paramref name="wanted"/> are not extracted (they keep <paramref name="found"/>'s value): the
    /// explanation of most categories reads a handful of fields, and each extractor is a regex over the whole text.
    /// </summary>
    internal static Entities Extract(string text, string? innermost, string? lowered, Entities? found, EntityFields wanted)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Length > MaxText ? text[..MaxText] : text;
        // every regex below is gated by a cheap literal check, so text without the cue costs one vectorised scan
        // (lower-case once + ordinal search: OrdinalIgnoreCase searches were the single biggest cost here).
        // Lower-casing is per char (invariant), so a prefix of the lowered text holds the same ASCII cues as t's.
        var lower = lowered is null ? LowerCase.Of(t).AsSpan() : lowered.AsSpan(0, t.Length);
        var f = found ?? Empty;
        bool Want(EntityFields field) => (wanted & field) != 0;
        string? host = f.Host, port = f.Port, target = f.Target;
        if ((host is null || port is null || target is null) && Want(EntityFields.Target | EntityFields.Host | EntityFields.Port))
        {
            (host, port) = FindHostPort(t);
            if (host is null && lower.Contains("\"address\"", StringComparison.Ordinal))
            {
                var json = Rx.Match(JsonAddress(), t);
                if (json.Success)
                {
                    host = json.Groups["host"].Value;
                    port = json.Groups["port"].Value;
                }
            }

            if (host is null && lower.ContainsAny(Cues.NamedHost))
            {
                host = Group(NamedHost(), t, "host");
                host = host is not null && IsRoleWord(host) ? null : host; // "while connecting to upstream" names no host
            }

            target = f.Target ?? (host is null ? null : port is null ? host : host + ":" + port);
            host = f.Host ?? host;
            port = f.Port ?? port;
        }

        return new Entities
        {
            Target = target,
            Host = host,
            Port = port,
            Url = Want(EntityFields.Url) ? f.Url ?? (lower.Contains("http", StringComparison.Ordinal) ? FailingUrl(t) : null) : f.Url,
            Table = Want(EntityFields.Table) ? f.Table ?? (lower.ContainsAny(Cues.Table) ? Group(Table(), t, "t") : null) : f.Table,
            Constraint = Want(EntityFields.Constraint) ? f.Constraint ?? (lower.ContainsAny(Cues.Constraint) ? Group(Constraint(), t, "c") : null) : f.Constraint,
            Column = Want(EntityFields.Column) ? f.Column ?? (lower.Contains("column", StringComparison.Ordinal) ? Group(Column(), t, "c") : null) : f.Column,
            User = Want(EntityFields.User) ? f.User ?? (lower.ContainsAny(Cues.User) ? Group(User(), t, "u") : null) : f.User,
            Pod = Want(EntityFields.Pod) ? f.Pod ?? (lower.ContainsAny(Cues.Pod) ? PodOf(t) : null) : f.Pod,
            Container = Want(EntityFields.Container) ? f.Container ?? (lower.ContainsAny(Cues.Container) ? Group(Container(), t, "c") : null) : f.Container,
            Image = Want(EntityFields.Image) ? f.Image ?? (lower.ContainsAny(Cues.Image) ? Group(Image(), t, "i") : null) : f.Image,
            Node = Want(EntityFields.Node) ? f.Node ?? (lower.Contains("node", StringComparison.Ordinal) ? Group(Node(), t, "n") : null) : f.Node,
            Topic = Want(EntityFields.Topic) ? f.Topic ?? (lower.ContainsAny(Cues.Topic) ? Group(Topic(), t, "t") : null) : f.Topic,
            Timeout = Want(EntityFields.Timeout) ? f.Timeout ?? (lower.ContainsAny(Cues.Timeout) ? Timeout(t) : null) : f.Timeout,
            PoolSize = Want(EntityFields.PoolSize) ? f.PoolSize ?? (lower.ContainsAny(Cues.PoolSize) ? Group(PoolSize(), t, "n") : null) : f.PoolSize,
            Memory = !Want(EntityFields.Memory) ? f.Memory : f.Memory
                ?? (lower.ContainsAny(Cues.Memory) ? Group(Memory(), t, "m") : null)
                ?? (lower.ContainsAny(Cues.MemoryFree) ? Group(MemoryFree(), t, "m") : null),
            StatusCode = Want(EntityFields.StatusCode) ? f.StatusCode ?? (lower.ContainsAny(Cues.Status) ? Group(Status(), t, "s") : null) : f.StatusCode,
            ExceptionType = Want(EntityFields.ExceptionType) ? f.ExceptionType ?? ExceptionName(innermost ?? string.Empty) ?? ExceptionName(t) : f.ExceptionType,
            ExitCode = Want(EntityFields.ExitCode) ? f.ExitCode ?? (lower.Contains("exit", StringComparison.Ordinal) ? Group(ExitCode(), t, "c") : null) : f.ExitCode,
            Path = Want(EntityFields.Path) ? f.Path ?? (lower.ContainsAny(Cues.Path) ? Group(PathRx(), t, "p") : null) : f.Path,
            Module = Want(EntityFields.Module) ? f.Module ?? (lower.ContainsAny(Cues.Module) ? Group(Module(), t, "m") : null) : f.Module,
            ConfigKey = Want(EntityFields.ConfigKey) ? f.ConfigKey ?? (lower.ContainsAny(Cues.ConfigKey) ? Group(ConfigKey(), t, "k") : null) : f.ConfigKey,
            Probe = Want(EntityFields.Probe) ? f.Probe ?? (lower.Contains("probe", StringComparison.Ordinal) ? Group(Probe(), t, "p") : null) : f.Probe,
        };
    }

    private static readonly Entities Empty = new();

    // words that stand where a host name would in framework messages but name a role, not a host
    private static readonly string[] RoleWords = ["upstream", "server", "host", "database", "backend", "the", "a", "remote", "peer", "service", "broker", "cluster", "localhost:"];

    private static bool IsRoleWord(string host) => RoleWords.Contains(host.ToLowerInvariant());

    /// <summary>
    /// The first URL the failure is about: documentation links ("For further information visit https://errors.pydantic.dev/…",
    /// "see https://docs…") are skipped, and punctuation that ends the sentence around a URL is not part of it.
    /// </summary>
    internal static string? FailingUrl(string text)
    {
        try
        {
            for (var m = Url().Match(text); m.Success; m = m.NextMatch())
            {
                var url = m.Groups["url"].Value.TrimEnd('.', ',', ';', ':', '!', '?', '\'', '"', '`', '*');
                var before = text.AsSpan(Math.Max(0, m.Index - 40), Math.Min(40, m.Index));
                if (url.Length > 8 && !IsDocumentation(url, before))
                {
                    return url;
                }
            }
        }
        catch (RegexMatchTimeoutException)
        {
            // bounded: no URL is better than a stuck analysis
        }

        return null;
    }

    private static bool IsDocumentation(string url, ReadOnlySpan<char> before)
    {
        var lowerBefore = before.ToString().ToLowerInvariant();
        if (lowerBefore.Contains("visit", StringComparison.Ordinal) || lowerBefore.Contains("see ", StringComparison.Ordinal)
            || lowerBefore.Contains("refer to", StringComparison.Ordinal) || lowerBefore.Contains("more information", StringComparison.Ordinal)
            || lowerBefore.Contains("documentation", StringComparison.Ordinal) || lowerBefore.Contains("read more", StringComparison.Ordinal))
        {
            return true;
        }

        var u = url.ToLowerInvariant();
        var hostStart = u.IndexOf("//", StringComparison.Ordinal) + 2;
        var hostEnd = u.IndexOf('/', hostStart);
        var host = hostEnd < 0 ? u[hostStart..] : u[hostStart..hostEnd];
        return host.StartsWith("docs.", StringComparison.Ordinal) || host.StartsWith("errors.", StringComparison.Ordinal)
            || host.StartsWith("help.", StringComparison.Ordinal) || host.StartsWith("developer.", StringComparison.Ordinal)
            || host is "aka.ms" or "stackoverflow.com" or "kubernetes.io" or "github.com" or "learn.microsoft.com" or "go.microsoft.com"
            || u.Contains("/docs/", StringComparison.Ordinal) || u.Contains("/wiki/", StringComparison.Ordinal) || u.Contains("/issues/", StringComparison.Ordinal);
    }

    /// <summary>
    /// The literal cues (lower-case) that gate each extractor: a regex runs only when one of its cues occurs.
    /// One vectorised multi-string search per extractor instead of one substring search per cue.
    /// </summary>
    private static class Cues
    {
        public static readonly SearchValues<string> NamedHost = Of("host", "lookup", "enotfound", "resolve", "getaddrinfo", "connecting to");
        public static readonly SearchValues<string> Table = Of("relation", "table", "insert into");
        public static readonly SearchValues<string> Constraint = Of("constraint", "for key");
        public static readonly SearchValues<string> User = Of("user", "role");
        public static readonly SearchValues<string> Pod = Of("pod \"", "in pod ", "pods/", "pod/", "assigned ", "backoff", "errimage", "evicted", "pending", "running", "completed", "error ");
        public static readonly SearchValues<string> Container = Of("ontainer", "start service");
        public static readonly SearchValues<string> Image = Of("image", "pull");
        public static readonly SearchValues<string> Topic = Of("topic", "partition");
        public static readonly SearchValues<string> Timeout = Of("time", "after", "within");
        public static readonly SearchValues<string> PoolSize = Of("pool", "max", "total=", "threads");
        public static readonly SearchValues<string> Memory = Of("memory:", "limit of", "request of", "allocate", "xmx", "memory limit");
        public static readonly SearchValues<string> MemoryFree = Of("is free", "memory in use");
        public static readonly SearchValues<string> Status = Of("status", "code", "http", "returned", "gateway", "unavailable", "server error", "too many", "unauthorized", "forbidden", "bad request", "not found");
        public static readonly SearchValues<string> Path = Of("no such file", "nosuchfile", "could not find", "access to the path", "filenotfound", "exec:", "open '", "mkdir '", "stat '", "scandir '", "unlink '", "access '", "rename '", "chmod '");
        public static readonly SearchValues<string> Module = Of("module", "import", "class", "nosuchmethod", "assembly");
        public static readonly SearchValues<string> ConfigKey = Of("keyerror", "placeholder", "environment variable", "properties under");

        private static SearchValues<string> Of(params string[] cues) => SearchValues.Create(cues, StringComparison.Ordinal);
    }

    private static readonly string[] SourceExtensions =
        ["java", "py", "go", "js", "mjs", "cjs", "ts", "tsx", "cs", "kt", "scala", "rb", "c", "cc", "cpp", "h", "hpp", "php", "rs", "swift", "cu", "ex", "exs", "groovy", "clj"];

    /// <summary>
    /// The first <c>host:port</c> in the text, found by hand (each ':' followed by a 2–5 digit port, walking back over the host):
    /// a regex would retry the host part at every position. Skips times (12:30:45), file:line (Foo.java:12) and URLs' schemes.
    /// </summary>
    internal static (string? Host, string? Port) FindHostPort(string t)
    {
        var from = 0;
        while (true)
        {
            var colon = t.IndexOf(':', from);
            if (colon < 0)
            {
                return (null, null);
            }

            from = colon + 1;
            var p = colon + 1;
            while (p < t.Length && char.IsAsciiDigit(t[p]) && p - colon <= 6)
            {
                p++;
            }

            var digits = p - colon - 1;
            if (digits is < 2 or > 5 || (p < t.Length && (t[p] == ':' || char.IsAsciiLetterOrDigit(t[p]) || t[p] == '.' && p + 1 < t.Length && char.IsAsciiDigit(t[p + 1]))))
            {
                continue;
            }

            var h = colon;
            while (h > 0 && (char.IsAsciiLetterOrDigit(t[h - 1]) || t[h - 1] is '.' or '-' or '_'))
            {
                h--;
            }

            if (h == colon || (h > 0 && (t[h - 1] is ':' or '/' && !(h > 1 && t[h - 2] == '/') || t[h - 1] == '$')))
            {
                continue;
            }

            var host = t[h..colon].Trim('.', '-');
            if (host.Length == 0 || !char.IsAsciiLetterOrDigit(host[0]))
            {
                continue;
            }

            var dot = host.LastIndexOf('.');
            var ipv4 = host.All(c => char.IsAsciiDigit(c) || c == '.') && host.Count(c => c == '.') == 3;
            // host names start with a letter (kafka-0, db1.internal); digits-first is a date/time (2024-05-01T10:00)
            var named = char.IsAsciiLetter(host[0]) && (dot < 0 || !SourceExtensions.Contains(host[(dot + 1)..], StringComparer.OrdinalIgnoreCase));
            if (!ipv4 && !named || host.Equals("line", StringComparison.OrdinalIgnoreCase) || host.Equals("port", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            return (host, t.Substring(colon + 1, digits));
        }
    }

    /// <summary>Every distinct <c>host:port</c> in <paramref name="text"/>, in order, at most <paramref name="max"/>.</summary>
    internal static List<string> HostPorts(string text, int max)
    {
        var found = new List<string>();
        var rest = text;
        while (found.Count < max && rest.Length > 0)
        {
            var (host, port) = FindHostPort(rest);
            if (host is null || port is null)
            {
                break;
            }

            var target = host + ":" + port;
            if (!found.Contains(target, StringComparer.Ordinal))
            {
                found.Add(target);
            }

            var at = rest.IndexOf(target, StringComparison.Ordinal);
            rest = at < 0 ? string.Empty : rest[(at + target.Length)..];
        }

        return found;
    }

    /// <summary>The first exception/error type name (e.g. <c>java.net.SocketTimeoutException</c>), found by scanning identifiers.</summary>
    internal static string? ExceptionName(string text)
    {
        var t = text.AsSpan(0, Math.Min(text.Length, 2048));
        if (!t.ContainsAny(TypeSuffixes))
        {
            return null; // every name it returns ends with one of these
        }

        var i = 0;
        while (i < t.Length)
        {
            // skip to the next identifier, then take identifier runs joined by '.' (vectorised searches, not char by char)
            var skip = t[i..].IndexOfAny(IdentChars);
            if (skip < 0)
            {
                break;
            }

            i += skip;
            var start = i;
            while (true)
            {
                var run = t[i..].IndexOfAnyExcept(IdentChars);
                i = run < 0 ? t.Length : i + run;
                if (i + 1 < t.Length && t[i] == '.' && IsIdent(t[i + 1]))
                {
                    i++;
                    continue;
                }

                break;
            }

            var token = t[start..i];
            var last = token.LastIndexOf('.');
            var name = last >= 0 ? token[(last + 1)..] : token;
            // a bare "Error"/"Exception" names nothing; "TypeError", "java.net.ConnectException" do
            if (name.Length > 5 && char.IsAsciiLetterUpper(name[0]) && EndsWithType(name) && !IsBareSuffix(name))
            {
                return token.ToString();
            }
        }

        return null;
    }

    private static readonly SearchValues<string> TypeSuffixes = SearchValues.Create(["Exception", "Error", "Throwable", "Failure", "Fault"], StringComparison.Ordinal);

    private static bool IsBareSuffix(ReadOnlySpan<char> name) =>
        name is "Exception" or "Throwable" or "Failure";

    private static bool IsIdent(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '$';

    private static readonly SearchValues<char> IdentChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_$");

    private static bool EndsWithType(ReadOnlySpan<char> name) =>
        name.EndsWith("Exception", StringComparison.Ordinal) || name.EndsWith("Error", StringComparison.Ordinal)
        || name.EndsWith("Throwable", StringComparison.Ordinal) || name.EndsWith("Failure", StringComparison.Ordinal)
        || name.EndsWith("Fault", StringComparison.Ordinal);

    private static string? Timeout(string t)
    {
        var m = Rx.Match(TimeoutRx(), t);
        return m.Success ? m.Groups["n"].Value + " " + m.Groups["u"].Value : null;
    }

    /// <summary>The pod as <c>namespace/name</c> when the line names both (kubelet writes "in pod NAME_NAMESPACE(UID)"), else its name.</summary>
    private static string? PodOf(string text)
    {
        try
        {
            var m = Rx.Match(Pod(), text);
            return !m.Success ? null : m.Groups["ns"].Success ? m.Groups["ns"].Value + "/" + m.Groups["p"].Value : m.Groups["p"].Value.Trim();
        }
        catch (RegexMatchTimeoutException)
        {
            return null;
        }
    }

    private static string? Group(Regex regex, string text, string name)
    {
        try
        {
            var m = Rx.Match(regex, text);
            return m.Success ? m.Groups[name].Value.Trim() : null;
        }
        catch (RegexMatchTimeoutException)
        {
            return null;
        }
    }

    /// <summary>The extractors by name, for the latency benchmark's per-part breakdown.</summary>
    internal static IEnumerable<(string Name, Regex Regex)> Extractors() =>
    [
        ("json-address", JsonAddress()), ("named-host", NamedHost()), ("url", Url()), ("table", Table()), ("constraint", Constraint()),
        ("column", Column()), ("user", User()), ("pod", Pod()), ("container", Container()), ("image", Image()), ("node", Node()),
        ("topic", Topic()), ("timeout", TimeoutRx()), ("pool", PoolSize()), ("memory", Memory()), ("status", Status()),
        ("exit", ExitCode()), ("path", PathRx()), ("module", Module()), ("config-key", ConfigKey()), ("probe", Probe()),
    ];

    private const RegexOptions Opts = RegexOptions.CultureInvariant;


    [GeneratedRegex(@"""address""\s*:\s*""(?<host>[^""]{1,100})""\s*,\s*""port""\s*:\s*(?<port>\d{2,5})", Opts, matchTimeoutMilliseconds: 2000)]
    private static partial Regex JsonAddress();

    [GeneratedRegex(@"(?:host(?: name)? ""(?<host>[^""]{1,100})""|lookup (?<host>[\w.-]{1,100}) on|enotfound (?<host>[\w.-]{1,100})|unknownhostexception: (?<host>[\w.-]{1,100})|could not resolve host:? (?<host>[\w.-]{1,100})|getaddrinfo \w+ (?<host>[\w.-]{1,100})|connecting to (?<host>[\w.-]{1,100}))", Opts | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 2000)]
    private static partial Regex NamedHost();

    [GeneratedRegex(@"(?<url>https?://[^\s""'<>)\]]{1,200})", Opts, matchTimeoutMilliseconds: 2000)]
    private static partial Regex Url();

    [GeneratedRegex(@"(?:relation|table) [""'`]?(?<t>[\w.$]{1,120})[""'`]?(?: (?:does not exist|doesn't exist|violates))|on table ""(?<t>[^""]{1,120})""|no such table: (?<t>[\w.]{1,120})|invalid object name '(?<t>[^']{1,120})'|in relation ""(?<t>[^""]{1,120})""|insert into [""`]?(?<t>[\w.]{1,120})", Opts | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 2000)]
    private static partial Regex Table();

    [GeneratedRegex(@"constraint [""'`](?<c>[^""'`]{1,120})[""'`]|for key '(?<c>[^']{1,120})'", Opts | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 2000)]
    private static partial Regex Constraint();

    [GeneratedRegex(@"column [""'`](?<c>[^""'`]{1,120})[""'`]|unknown column '(?<c>[^']{1,120})'|invalid column name '(?<c>[^']{1,120})'", Opts | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 2000)]
    private static partial Regex Column();

    [GeneratedRegex(@"for user [""'](?<u>[^""']{1,80})[""']|user ""(?<u>[^""]{1,120})"" cannot|role ""(?<u>[^""]{1,80})""", Opts | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 2000)]
    private static partial Regex User();

    [GeneratedRegex(@"pod ""(?<p>[^""]{1,120})""|\bin pod (?<p>[a-z0-9][a-z0-9.-]{1,120})_(?<ns>[a-z0-9][a-z0-9-]{0,62})\(|pod[s]?/(?<p>[a-z0-9][a-z0-9.-]{1,120})|assigned [\w-]{1,60}/(?<p>[a-z0-9][a-z0-9.-]{1,120})|^(?<p>[a-z0-9][a-z0-9.-]{3,100})\s+\d+/\d+\s", Opts | RegexOptions.Multiline, matchTimeoutMilliseconds: 2000)]
    private static partial Regex Pod();

    [GeneratedRegex(@"container ""(?<c>[^""]{1,120})""|[Cc]ontainer (?<c>[\w-]{1,120}) was using|spec\.containers\{(?<c>[^}]{1,120})\}|Cannot start service (?<c>[\w-]{1,120})", Opts, matchTimeoutMilliseconds: 2000)]
    private static partial Regex Container();

    [GeneratedRegex(@"image ""(?<i>[^""]{1,200})""|pull(?:ing)? (?:access denied for |image )(?<i>[\w./:@-]{1,200})", Opts | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 2000)]
    private static partial Regex Image();

    [GeneratedRegex(@"(?:to node|on node|node=|Node:\s+)(?<n>[\w.-]{1,100})", Opts, matchTimeoutMilliseconds: 2000)]
    private static partial Regex Node();

    [GeneratedRegex(@"topic[\s=:""'\[]{1,4}(?<t>[\w.-]{1,120})|partition (?<t>[\w.]{1,120})-\d+", Opts | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 2000)]
    private static partial Regex Topic();

    [GeneratedRegex(@"(?:timed out after|timeout of|timeout after|after|timeout[=:]|timeout|within)\s*(?<n>\d+(?:\.\d+)?)\s*(?<u>ms|milliseconds|seconds|secs|sec|s|minutes|min)\b", Opts | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 2000)]
    private static partial Regex TimeoutRx();

    [GeneratedRegex(@"(?:pool size|maximumpoolsize|max_connections|max pool size|queuepool limit of size|pool_size|maxpoolsize|maximum number of threads \(|total=)\s*[=:]?\s*(?<n>\d+)", Opts | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 2000)]
    private static partial Regex PoolSize();

    [GeneratedRegex(@"(?:memory:\s+|limit of |request of |tried to allocate |memory limit (?:of )?|-xmx)(?<m>\d+(?:\.\d+)?\s?(?:[KMGT]i?B?|[kmg])\b)", Opts | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 2000)]
    private static partial Regex Memory();

    [GeneratedRegex(@"(?<m>\d+(?:\.\d+)?\s?[KMGT]iB) (?:is free|memory in use)", Opts, matchTimeoutMilliseconds: 2000)]
    private static partial Regex MemoryFree();

    [GeneratedRegex(@"(?:status(?:[ _-]?code)?|statuscode|response code|http/\d(?:\.\d)?|error code|returned)[""':=\s]{0,4}(?<s>[45]\d\d)\b|\b(?<s>[45]\d\d) (?:bad gateway|service unavailable|gateway time-?out|internal server error|too many requests|unauthorized|forbidden|bad request|not found)", Opts | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 2000)]
    private static partial Regex Status();


    [GeneratedRegex(@"exit(?:ed)?(?: with)?(?: code|code:)\s*:?\s*\(?(?<c>-?\d{1,10})|Exit Code:\s+(?<c>\d+)|Exited \((?<c>\d+)\)", Opts | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 2000)]
    private static partial Regex ExitCode();

    [GeneratedRegex(@"(?:open|mkdir|stat|scandir|unlink|access|lstat|rename|chmod) '(?<p>[^']{1,300})'|No such file or directory: '(?<p>[^']{1,300})'|NoSuchFileException: (?<p>\S{1,300})|Could not find (?:file|a part of the path) '(?<p>[^']{1,300})'|Access to the path '(?<p>[^']{1,300})' is denied|FileNotFoundException: (?<p>[^\s(]{1,300}) \(|exec: \\?""(?<p>[^""\\]{1,200})", Opts, matchTimeoutMilliseconds: 2000)]
    private static partial Regex PathRx();

    [GeneratedRegex(@"No module named '(?<m>[^']{1,200})'|Cannot find module '(?<m>[^']{1,200})'|cannot import name '[^']{1,200}' from '(?<m>[^']{1,200})'|ClassNotFoundException: (?<m>[\w.$]{1,200})|NoClassDefFoundError: (?<m>[\w/.$]{1,200})|NoSuchMethodError: '?(?<m>[^'\n]{1,200})|Could not load file or assembly '(?<m>[^',]{1,200})", Opts, matchTimeoutMilliseconds: 2000)]
    private static partial Regex Module();

    [GeneratedRegex(@"KeyError: '(?<k>[A-Z][A-Z0-9_]{2,100})'|placeholder '(?<k>[^']{1,200})'|environment variable [""'`]?(?<k>[A-Z][A-Z0-9_]{2,100})|properties under '(?<k>[^']{1,200})'", Opts, matchTimeoutMilliseconds: 2000)]
    private static partial Regex ConfigKey();

    [GeneratedRegex(@"(?<p>Liveness|Readiness|Startup) probe failed", Opts | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 2000)]
    private static partial Regex Probe();
}
