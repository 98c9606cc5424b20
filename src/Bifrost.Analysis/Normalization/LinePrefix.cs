using System.Buffers;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Bifrost.Analysis.Normalization;

/// <summary>One physical line split into its record prefix (timestamp, level, logger) and its message.</summary>
/// <param name="Message">The text after the prefix; may hold several lines when a JSON line embeds a stack trace.</param>
/// <param name="HasRecordPrefix">The line starts a log record (it carries a timestamp or a level up front).</param>
internal readonly record struct ParsedLine(string Message, LogLevel Level, string? Timestamp, bool HasRecordPrefix, LogShape Kind);

/// <summary>
/// Reads the prefix of one line in any of the shapes Bifrost accepts. All regexes are anchored at the
/// line start, bounded by a match timeout, and run on at most <see cref="PrefixWindow"/> characters.
/// </summary>
internal static partial class LinePrefix
{
    private const int PrefixWindow = 160;

    public static ParsedLine Parse(string line)
    {
        var lineHead = Head(line);
        var body = StripCarrierPrefix(line, lineHead);
        var trimmed = body.AsSpan().Trim();
        if (trimmed.Length > 1 && trimmed[0] == '{' && trimmed[^1] == '}' && TryJson(trimmed.ToString(), out var json))
        {
            return json;
        }

        var head = ReferenceEquals(body, line) ? lineHead : Head(body); // one copy of a long line's head, not three
        var k8s = head.Contains("Normal", StringComparison.Ordinal) || head.Contains("Warning", StringComparison.Ordinal) ? Rx.Match(KubeEvent(), head) : Match.Empty;
        if (k8s.Success)
        {
            var level = k8s.Groups["type"].Value == "Warning" ? LogLevel.Error : LogLevel.Info;
            var start = k8s.Groups["rest"].Index;
            var rest = start < body.Length ? body[start..] : string.Empty;
            return new ParsedLine(k8s.Groups["reason"].Value + ": " + StripEventSource(rest), level, k8s.Groups["age"].Value, true, LogShape.Kubernetes);
        }

        if (body.Contains('=', StringComparison.Ordinal) && MayBeLogfmt(body) && TryLogfmt(body, out var logfmt))
        {
            return logfmt;
        }

        return ParsePlain(body, head);
    }

    /// <summary>Removes what a carrier adds in front of every line: docker-compose "name | ", syslog/journald header.</summary>
    private static string StripCarrierPrefix(string line, string head)
    {
        // both headers need a literal (": " / "|"); the syslog one starts with '<', a digit or a month name (any locale:
        // journald writes "déc. 11", "mar 07"); Heroku's router/app lines ("2018-…Z app[web.1]: ") carry no host
        var syslog = head.Length > 0 && (head[0] == '<' || char.IsLetterOrDigit(head[0])) && head.Contains(": ", StringComparison.Ordinal)
            ? Rx.Match(SyslogHeader(), head) : Match.Empty;
        if (syslog.Success)
        {
            return line[syslog.Length..];
        }

        var compose = head.Contains('|', StringComparison.Ordinal) ? Rx.Match(ComposePrefix(), head) : Match.Empty;
        return compose.Success ? line[compose.Length..] : line;
    }

    /// <param name="head">The first <see cref="PrefixWindow"/> characters of <paramref name="body"/>.</param>
    private static ParsedLine ParsePlain(string body, string head)
    {
        // Ruby's Logger ("E, [2024-… #123] ERROR -- app: ") and librdkafka ("%3|1515056843.985|FAIL|rdkafka#consumer-0| ")
        // write a fixed prefix with the level in it; both are recognised by their first two characters
        if (head.Length > 4 && ((head[1] == ',' && head[2] == ' ') || (head[0] == '%' && char.IsAsciiDigit(head[1]) && head[2] == '|')))
        {
            var fixedPrefix = Rx.Match(FixedPrefix(), head);
            if (fixedPrefix.Success)
            {
                var lvl = fixedPrefix.Groups["lvl"].Success ? ToLevel(fixedPrefix.Groups["lvl"].Value) : SyslogSeverity(fixedPrefix.Groups["n"].Value[0]);
                var rest = fixedPrefix.Length < body.Length ? body[fixedPrefix.Length..] : string.Empty;
                return new ParsedLine(rest, lvl, fixedPrefix.Groups["ts"].Value, true, LogShape.Prefixed);
            }
        }

        var pos = 0;
        string? timestamp = null;
        var level = LogLevel.Unknown;
        var sawPrefix = false;
        Match? levelAtStart = null; // LevelToken tried at position 0, reused below instead of running it again
        for (var guard = 0; guard < 6 && pos < head.Length; guard++)
        {
            var ws = pos;
            while (ws < head.Length && (head[ws] == ' ' || head[ws] == '\t') && ws - pos < 12)
            {
                ws++;
            }

            if (guard == 0 && ws > 0)
            {
                break; // indented lines are continuations, never records
            }

            // pre-checks on the first character: every alternative of each \G-anchored regex starts with one of these
            var c = ws < head.Length ? head[ws] : '\0';
            var ts = c == '[' || char.IsDigit(c) || char.IsAsciiLetterUpper(c) ? Rx.Match(Timestamp(), head, ws) : Match.Empty;
            if (ts.Success && timestamp is null)
            {
                timestamp = ts.Groups["ts"].Value;
                pos = ts.Index + ts.Length;
                sawPrefix = true;
                continue;
            }

            var lv = c is '[' or '<' or '(' || char.IsAsciiLetter(c) ? Rx.Match(LevelToken(), head, ws) : Match.Empty;
            if (ws == 0)
            {
                levelAtStart = lv;
            }

            if (lv.Success && level == LogLevel.Unknown)
            {
                level = ToLevel(lv.Groups["lvl"].Value);
                pos = lv.Index + lv.Length;
                sawPrefix = true;
                continue;
            }

            var br = sawPrefix && c == '[' ? Rx.Match(Bracketed(), head, ws) : Match.Empty;
            if (br.Success)
            {
                var inner = Rx.Match(LevelInBrackets(), br.Value);
                if (inner.Success && level == LogLevel.Unknown)
                {
                    level = ToLevel(inner.Groups["lvl"].Value);
                }

                pos = br.Index + br.Length;
                continue;
            }

            break;
        }

        if (!sawPrefix)
        {
            var lv = levelAtStart ?? Rx.Match(LevelToken(), head);
            var inBrackets = MayHaveLevel(head) ? Rx.Match(LevelAnywhere(), head) : Match.Empty;
            if (inBrackets.Success)
            {
                level = ToLevel(inBrackets.Groups["lvl"].Value);
            }

            if (lv.Success && lv.Index == 0)
            {
                level = ToLevel(lv.Groups["lvl"].Value);
            }

            return new ParsedLine(body, level, null, level != LogLevel.Unknown && lv.Success && lv.Index == 0, LogShape.Plain);
        }

        if (level == LogLevel.Unknown)
        {
            var rest = MayHaveLevel(head) ? Rx.Match(LevelAnywhere(), head, Math.Min(pos, head.Length)) : Match.Empty;
            if (rest.Success)
            {
                level = ToLevel(rest.Groups["lvl"].Value);
            }
        }

        // keep the message's own indentation (Python "  File", Java "\tat") minus the one separating space;
        // a level word alone ("fatal error: ...", "ERROR: ...") is part of the message, not a prefix to strip
        var message = timestamp is null ? body : pos >= body.Length ? string.Empty : body[pos..];
        if (message.Length > 0 && message[0] == ' ')
        {
            message = message[1..];
        }

        return new ParsedLine(message, level, timestamp, true, LogShape.Prefixed);
    }

    private static bool TryJson(string text, out ParsedLine parsed)
    {
        parsed = default;
        try
        {
            using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 16, AllowTrailingCommas = true });
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            var root = doc.RootElement;
            var message = FirstString(root, "message", "msg", "@m", "@mt", "log", "text", "event", "error.message") ?? string.Empty;
            var levelText = FirstString(root, "level", "severity", "lvl", "@l", "log.level", "levelname", "loglevel");
            var timestamp = FirstString(root, "timestamp", "time", "@t", "ts", "@timestamp", "date");
            var exception = ExceptionText(root);
            if (message.Length == 0 && exception is null)
            {
                message = text; // an object without the usual envelope: classify its raw text
            }

            var full = exception is null || message.Contains(exception, StringComparison.Ordinal) ? message : message + "\n" + exception;
            var level = levelText is null ? LogLevel.Unknown : ToLevel(levelText);
            parsed = new ParsedLine(full, level, timestamp, true, LogShape.Json);
            return true;
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
        {
            // ArgumentException: a lone surrogate in the line (JsonDocument cannot transcode it); InvalidOperationException:
            // an escape that is not Unicode. Either way the line is not JSON (found by the engine fuzz tests).
            return false;
        }
    }

    private static string? ExceptionText(JsonElement root)
    {
        foreach (var name in (string[])["exception", "exc_info", "stack_trace", "stacktrace", "stack", "@x", "error", "err", "errorMessage"])
        {
            if (!root.TryGetProperty(name, out var value))
            {
                continue;
            }

            if (value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } s)
            {
                return s;
            }

            if (value.ValueKind == JsonValueKind.Object)
            {
                var parts = new List<string>();
                foreach (var inner in (string[])["type", "class", "name", "code", "message", "msg", "stack", "stack_trace"])
                {
                    if (value.TryGetProperty(inner, out var v) && v.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                    {
                        parts.Add(v.ToString());
                    }
                }

                if (parts.Count > 0)
                {
                    return string.Join(": ", parts);
                }
            }
        }

        return null;
    }

    private static string? FirstString(JsonElement root, params string[] names)
    {
        foreach (var name in names)
        {
            var element = root;
            var found = true;
            foreach (var part in name.Split('.'))
            {
                if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(part, out element))
                {
                    found = !name.Contains('.', StringComparison.Ordinal) && root.TryGetProperty(name, out element);
                    break;
                }
            }

            if (found && element.ValueKind is JsonValueKind.String or JsonValueKind.Number)
            {
                return element.ToString();
            }
        }

        return null;
    }

    // TryLogfmt accepts a line only when a key lower-cases to msg/message or level/lvl/severity, so the line must
    // contain one of these (ASCII case-insensitively; U+0130 is the one non-ASCII char that lower-cases to one of
    // their letters). Most lines with a '=' (URLs, "total=20") have none and skip collecting every pair.
    private static readonly SearchValues<string> LogfmtKeys = SearchValues.Create(
        ["msg=", "message=", "level=", "lvl=", "severity="], StringComparison.OrdinalIgnoreCase);

    private static bool MayBeLogfmt(string body) => body.AsSpan().ContainsAny(LogfmtKeys) || body.Contains('\u0130', StringComparison.Ordinal);

    private static bool TryLogfmt(string body, out ParsedLine parsed)
    {
        parsed = default;
        List<Match> pairs;
        try
        {
            pairs = [.. LogfmtPair().Matches(body.Length > 4096 ? body[..4096] : body).Cast<Match>()];
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }

        if (pairs.Count < 2)
        {
            return false;
        }

        string? msg = null, err = null, level = null, time = null;
        foreach (var pair in pairs)
        {
            var key = pair.Groups["k"].Value.ToLowerInvariant();
            var value = pair.Groups["q"].Success ? pair.Groups["q"].Value.Replace("\\\"", "\"", StringComparison.Ordinal) : pair.Groups["v"].Value;
            switch (key)
            {
                case "msg" or "message":
                    msg ??= value;
                    break;
                case "err" or "error" or "exception":
                    err ??= value;
                    break;
                case "level" or "lvl" or "severity":
                    level ??= value;
                    break;
                case "time" or "ts" or "timestamp" or "t":
                    time ??= value;
                    break;
            }
        }

        if (msg is null && level is null)
        {
            return false;
        }

        // an empty msg (a quoted value the excerpt cut off, "msg=") says nothing: the whole line is the message
        msg = string.IsNullOrWhiteSpace(msg) ? null : msg;
        var message = err is null ? msg ?? body : (msg is null ? err : msg + ": " + err);
        parsed = new ParsedLine(message, level is null ? LogLevel.Unknown : ToLevel(level), time, true, LogShape.Logfmt);
        return true;
    }

    private static string StripEventSource(string rest)
    {
        var m = Rx.Match(EventSource(), rest);
        return m.Success ? rest[m.Length..] : rest;
    }

    /// <summary>A syslog severity digit (0 emerg … 7 debug), as librdkafka prints it.</summary>
    private static LogLevel SyslogSeverity(char digit) => digit switch
    {
        <= '2' => LogLevel.Fatal,
        '3' => LogLevel.Error,
        '4' => LogLevel.Warn,
        '5' or '6' => LogLevel.Info,
        _ => LogLevel.Debug,
    };

    internal static LogLevel ToLevel(string token) => token.ToUpperInvariant() switch
    {
        "TRACE" or "TRC" or "VERBOSE" or "VRB" => LogLevel.Trace,
        "DEBUG" or "DBUG" or "DBG" or "D" => LogLevel.Debug,
        "INFO" or "INFORMATION" or "NOTICE" or "INF" or "I" or "NORMAL" or "LOG" => LogLevel.Info,
        "WARN" or "WARNING" or "WRN" or "W" => LogLevel.Warn,
        "ERROR" or "ERR" or "EROR" or "SEVERE" or "FAIL" or "E" or "EXCEPTION" => LogLevel.Error,
        "FATAL" or "CRITICAL" or "CRIT" or "PANIC" or "EMERG" or "ALERT" or "FTL" or "F" => LogLevel.Fatal,
        _ => LogLevel.Unknown,
    };

    // LevelAnywhere needs an upper-case level word, a '[' or "level=" (WARNING contains WARN)
    private static readonly SearchValues<string> LevelCues = SearchValues.Create(
        ["TRACE", "DEBUG", "INFO", "NOTICE", "WARN", "ERROR", "SEVERE", "FATAL", "CRITICAL", "PANIC", "ALERT", "EMERG", "LOG:", "level="], StringComparison.Ordinal);

    private static bool MayHaveLevel(string head) => head.Contains('[', StringComparison.Ordinal) || head.AsSpan().ContainsAny(LevelCues);

    private static string Head(string s) => s.Length <= PrefixWindow ? s : s[..PrefixWindow];

    [GeneratedRegex(@"\G\[?(?<ts>(?:\d{4}[-/]\d{1,2}[-/]\d{1,2}[T ]\d{1,2}:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d|\s?UTC)?|\d{1,2}-[A-Z][a-z]{2}-\d{4} \d\d:\d\d:\d\d(?:\.\d+)?|[A-Z][a-z]{2} [A-Z][a-z]{2} +\d{1,2} \d\d:\d\d:\d\d(?:\.\d+)?(?: \d{4})?|\d{1,2}/[A-Z][a-z]{2}/\d{4}[: ]\d\d:\d\d:\d\d(?: [+-]\d{4})?|[A-Z][a-z]{2} +\d{1,2},? (?:\d{4} )?\d\d:\d\d:\d\d(?:\.\d+)?|\d\d:\d\d:\d\d(?:[.,]\d+)?|[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+))\]?:?(?=\s|$|\[)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Timestamp();

    [GeneratedRegex(@"\G[\[<(]?(?<lvl>TRACE|DEBUG|DBUG|INFO|INFORMATION|NOTICE|WARN|WARNING|ERROR|ERR|EROR|SEVERE|FATAL|CRITICAL|CRIT|PANIC|ALERT|EMERG|LOG(?=:)|notice|alert|emerg|trace|debug|dbug|info|warn|warning|error|fatal|critical|crit|fail|Error|Warning|Info|Debug|Fatal|Critical|INF|WRN|ERR|DBG|FTL|VRB)(?:\s{0,3}[\]>)]:?|:|\b)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex LevelToken();

    [GeneratedRegex(@"(?:^|[\s\[|])(?<lvl>TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|SEVERE|FATAL|CRITICAL|PANIC|ALERT|EMERG|LOG(?=:))(?=[\s\]|:\[]|$)|\[(?:\w{1,40}:)?(?<lvl>[IWEF]|ERR|WRN|INF|error|warn|warning|info|debug|fatal|notice|crit|alert|emerg)\s*\]|level=(?<lvl>\w+)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex LevelAnywhere();

    [GeneratedRegex(@"\[(?:\w{1,40}:)?(?<lvl>[IWEF]|ERR|WRN|INF|error|warn|warning|info|debug|fatal|notice|crit|alert|emerg|ERROR|WARN|WARNING|INFO|DEBUG|NOTICE|FATAL|CRIT|CRITICAL|ALERT|EMERG)\s*\]", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex LevelInBrackets();

    [GeneratedRegex(@"^(?:[DIWEFA], \[(?<ts>[^\]]{1,60})\]\s+(?<lvl>DEBUG|INFO|WARN|ERROR|FATAL|ANY|UNKNOWN) -- [^:]{0,80}: ?|%(?<n>[0-7])\|(?<ts>[\d.]{1,20})\|[\w-]{1,40}\|[^|]{0,80}\| ?)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex FixedPrefix();

    [GeneratedRegex(@"\G\[[^\]\r\n]{1,60}\]:?", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Bracketed();

    [GeneratedRegex(@"^(?:<\d{1,3}>\d?\s?)?(?:\p{L}{3,4}\.? +\d{1,2} \d\d:\d\d:\d\d|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) (?:[\w.-]+ [\w./@-]+(?:\[[\w.]+\])?|[\w./@-]+\[[\w.]+\]): ", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex SyslogHeader();

    [GeneratedRegex(@"^[\w.-]{1,60}(?:-\d+|_\d+)?\s+\|\s?(?=\S|\s)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ComposePrefix();

    [GeneratedRegex(@"^\s*(?<type>Normal|Warning)\s{1,20}(?<reason>[A-Z][A-Za-z]{2,40})\s{1,40}(?<age>(?:<unknown>|[\dsmhd]+(?: \(x\d+ over [\dsmhd]+\))?))\s{1,40}(?<rest>\S)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex KubeEvent();

    [GeneratedRegex(@"^[\w.-]+(?:, [\w.-]+)?\s{2,}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex EventSource();

    [GeneratedRegex(@"(?<k>[A-Za-z_][\w.@-]{0,40})=(?:""(?<q>(?:[^""\\]|\\.){0,4000})""|(?<v>[^\s""]{0,2000}))", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex LogfmtPair();
}
