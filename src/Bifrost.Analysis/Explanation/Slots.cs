using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using Bifrost.Analysis.Normalization;
using Bifrost.Analysis.Signatures;

namespace Bifrost.Analysis.Explanation;

/// <summary>
/// Fills a text template: <c>{name}</c> takes an entity's value (or a neutral fallback), and <c>[[ ... ]]</c>
/// keeps its content only when every placeholder inside has a real value — so sentences name the host,
/// table or limit when the excerpt has it and stay correct when it does not.
/// </summary>
internal sealed partial class Slots(Entities entities, string? service, bool korean, LogEvent? deciding)
{
    private readonly string? svc = string.IsNullOrWhiteSpace(service) ? null : service.Trim();

    /// <summary>A placeholder's value from the excerpt, or null (unknown names have none).</summary>
    private string? Value(string name) => name == "svc" ? svc : FieldValue(FieldOf(name));

    /// <summary>The entity field a placeholder names (<see cref="EntityFields.None"/> for <c>svc</c> and unknown names).</summary>
    internal static EntityFields FieldOf(string name) => name switch
    {
        "target" => EntityFields.Target,
        "host" => EntityFields.Host,
        "port" => EntityFields.Port,
        "url" => EntityFields.Url,
        "table" => EntityFields.Table,
        "constraint" => EntityFields.Constraint,
        "column" => EntityFields.Column,
        "user" => EntityFields.User,
        "pod" => EntityFields.Pod,
        "container" => EntityFields.Container,
        "image" => EntityFields.Image,
        "node" => EntityFields.Node,
        "topic" => EntityFields.Topic,
        "timeout" => EntityFields.Timeout,
        "pool" => EntityFields.PoolSize,
        "memory" => EntityFields.Memory,
        "status" => EntityFields.StatusCode,
        "exc" => EntityFields.ExceptionType,
        "exit" => EntityFields.ExitCode,
        "path" => EntityFields.Path,
        "module" => EntityFields.Module,
        "key" => EntityFields.ConfigKey,
        "probe" => EntityFields.Probe,
        _ => EntityFields.None,
    };

    private string? FieldValue(EntityFields field) => field switch
    {
        EntityFields.Target => entities.Target,
        EntityFields.Host => entities.Host,
        EntityFields.Port => entities.Port,
        EntityFields.Url => entities.Url,
        EntityFields.Table => entities.Table,
        EntityFields.Constraint => entities.Constraint,
        EntityFields.Column => entities.Column,
        EntityFields.User => entities.User,
        EntityFields.Pod => entities.Pod,
        EntityFields.Container => entities.Container,
        EntityFields.Image => entities.Image,
        EntityFields.Node => entities.Node,
        EntityFields.Topic => entities.Topic,
        EntityFields.Timeout => entities.Timeout,
        EntityFields.PoolSize => entities.PoolSize,
        EntityFields.Memory => entities.Memory,
        EntityFields.StatusCode => entities.StatusCode,
        EntityFields.ExceptionType => entities.ExceptionType,
        EntityFields.ExitCode => entities.ExitCode,
        EntityFields.Path => entities.Path,
        EntityFields.Module => entities.Module,
        EntityFields.ConfigKey => entities.ConfigKey,
        EntityFields.Probe => entities.Probe,
        _ => null,
    };

    private string Fallback(string name) => (korean, name) switch
    {
        (false, "svc") => "the service",
        (true, "svc") => "해당",
        (false, "target") => "the dependency",
        (true, "target") => "대상 서버",
        (false, "probe") => "health",
        (true, "probe") => "헬스",
        (false, _) => "it",
        (true, _) => "해당 항목",
    };

    public string Fill(string template)
    {
        // the template's structure comes from a cache (templates are a fixed set of constants): only the values vary
        var parsed = ParsedTemplate.Of(template);
        var keep = 0;
        for (var i = 0; i < parsed.Optionals.Length; i++)
        {
            if (AllHaveValues(parsed.Optionals[i]))
            {
                keep |= 1 << i;
            }
        }

        var parts = parsed.Parts(keep);
        var filled = parts switch
        {
            [] => string.Empty,
            [{ IsPlaceholder: false } only] => only.Text, // nothing to fill: the text itself, no copy
            _ => Concat(parts),
        };
        // capitalise a sentence that starts with a fallback ("the service ..."), never a real service name
        var startsWithName = template.StartsWith("{svc}", StringComparison.Ordinal) && svc is not null;
        return filled.Length > 0 && char.IsLower(filled[0]) && !korean && !startsWithName ? char.ToUpperInvariant(filled[0]) + filled[1..] : filled;
    }

    // one buffer per thread, reused across fills: only the finished string is allocated
    [ThreadStatic]
    private static StringBuilder? buffer;

    private string Concat(Part[] parts)
    {
        var sb = buffer ??= new StringBuilder(1024);
        sb.Clear();
        foreach (var part in parts)
        {
            sb.Append(part.IsPlaceholder ? Value(part.Text) ?? Fallback(part.Text) : part.Text);
        }

        var text = sb.ToString();
        if (sb.Capacity > 16 * 1024)
        {
            buffer = null; // a rare huge value: do not keep its buffer alive on the thread
        }

        return text;
    }

    private bool AllHaveValues(string[] names)
    {
        foreach (var name in names)
        {
            if (Value(name) is null)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>One piece of a filled template: literal text, or the name of a placeholder to substitute.</summary>
    private readonly record struct Part(string Text, bool IsPlaceholder);

    /// <summary>
    /// A template parsed once: its <c>[[ ... ]]</c> optionals (with the placeholder names inside each), and per choice
    /// of kept optionals the literal/placeholder pieces. Built with the same two regexes, applied the same way
    /// (optionals first, then placeholders over what was kept), as filling the template directly would.
    /// </summary>
    private sealed class ParsedTemplate
    {
        private const int MaxCachedOptionals = 6;
        // Keyed by reference: the templates are CategoryTexts' constants, so a lookup hashes an object, not a
        // paragraph of text. An equal string from elsewhere only gets its own (identical) entry; the cap keeps such
        // misuse from growing the cache without bound.
        private const int MaxCached = 4096;
        private static readonly ConcurrentDictionary<string, ParsedTemplate> Cache = new(ReferenceEqualityComparer.Instance);

        private readonly string template;
        private readonly Match[] optionalMatches;
        private readonly Part[]?[] byKeepMask;

        // Parsing runs the regexes once per template; a match timeout (starved CPU) escapes GetOrAdd, nothing is
        // cached, and LogAnalyzer's last line of defence answers without the explanation's details.
        private ParsedTemplate(string template)
        {
            this.template = template;
            optionalMatches = Optional().Matches(template).ToArray();
            Optionals = [.. optionalMatches.Select(m => Placeholder().Matches(m.Groups[1].Value).Select(p => p.Groups[1].Value).ToArray())];
            if (optionalMatches.Length > 30)
            {
                throw new InvalidOperationException("a text template has more [[ ... ]] parts than a keep mask holds: " + template);
            }

            byKeepMask = new Part[]?[optionalMatches.Length <= MaxCachedOptionals ? 1 << optionalMatches.Length : 0];
        }

        /// <summary>Per <c>[[ ... ]]</c>, in order: the placeholder names that must all have values to keep it.</summary>
        public string[][] Optionals { get; }

        public static ParsedTemplate Of(string template) =>
            Cache.TryGetValue(template, out var parsed) ? parsed
            : Cache.Count < MaxCached ? Cache.GetOrAdd(template, static t => new ParsedTemplate(t))
            : new ParsedTemplate(template);

        /// <summary>The pieces when the optionals whose bit is set in <paramref name="keep"/> are kept and the rest dropped.</summary>
        public Part[] Parts(int keep)
        {
            if (keep < byKeepMask.Length)
            {
                // a benign race: two threads may build the same immutable array; either one is correct
                return byKeepMask[keep] ??= Build(keep);
            }

            return Build(keep);
        }

        private Part[] Build(int keep)
        {
            var kept = new StringBuilder(template.Length);
            var copied = 0;
            for (var i = 0; i < optionalMatches.Length; i++)
            {
                var m = optionalMatches[i];
                kept.Append(template, copied, m.Index - copied);
                if ((keep & (1 << i)) != 0)
                {
                    kept.Append(m.Groups[1].Value);
                }

                copied = m.Index + m.Length;
            }

            var text = kept.Append(template, copied, template.Length - copied).ToString();
            var parts = new List<Part>();
            var at = 0;
            foreach (Match p in Placeholder().Matches(text))
            {
                if (p.Index > at)
                {
                    parts.Add(new Part(text[at..p.Index], false));
                }

                parts.Add(new Part(p.Groups[1].Value, true));
                at = p.Index + p.Length;
            }

            if (at < text.Length)
            {
                parts.Add(new Part(text[at..], false));
            }

            return [.. parts];
        }
    }

    /// <summary>
    /// The facts <see cref="Details"/> lists, in order, and the categories each applies to. One table, so the
    /// sentence and <see cref="DetailFields"/> (what the extractor must fill) cannot disagree.
    /// </summary>
    private static readonly (string En, string Ko, EntityFields Field, Func<string, bool> AppliesTo)[] Facts =
    [
        ("exception", "예외", EntityFields.ExceptionType, Always),
        ("target", "대상", EntityFields.Target, Always),
        ("table", "테이블", EntityFields.Table, IsDatabase),
        ("constraint", "제약 조건", EntityFields.Constraint, IsDatabase),
        ("column", "컬럼", EntityFields.Column, IsDatabase),
        ("user", "사용자", EntityFields.User, IsDatabase),
        ("pod", "파드", EntityFields.Pod, IsWorkload),
        ("container", "컨테이너", EntityFields.Container, IsWorkload),
        ("image", "이미지", EntityFields.Image, IsWorkload),
        ("node", "노드", EntityFields.Node, IsWorkload),
        ("exit code", "종료 코드", EntityFields.ExitCode, IsWorkload),
        ("timeout", "타임아웃", EntityFields.Timeout, Always),
        ("pool size", "풀 크기", EntityFields.PoolSize, Always),
        ("memory", "메모리", EntityFields.Memory, Always),
        ("HTTP status", "HTTP 상태 코드", EntityFields.StatusCode, Always),
        ("topic", "토픽", EntityFields.Topic, Always),
        ("path", "경로", EntityFields.Path, Always),
        ("module", "모듈", EntityFields.Module, Always),
        ("setting", "설정 키", EntityFields.ConfigKey, Always),
    ];

    private static bool Always(string category) => true;

    private static bool IsDatabase(string category) => category.StartsWith("database.", StringComparison.Ordinal);

    private static bool IsWorkload(string category) => category.StartsWith("k8s.", StringComparison.Ordinal) || category == "resource.memory";

    /// <summary>The entity fields <see cref="Details"/> reads for <paramref name="category"/>.</summary>
    public static EntityFields DetailFields(string category)
    {
        var fields = EntityFields.None;
        foreach (var fact in Facts)
        {
            if (fact.AppliesTo(category))
            {
                fields |= fact.Field;
            }
        }

        return fields;
    }

    /// <summary>The entity fields <paramref name="template"/> can read when filled (any choice of kept optionals).</summary>
    public static EntityFields TemplateFields(string template)
    {
        var parsed = ParsedTemplate.Of(template);
        var fields = EntityFields.None;
        foreach (var names in parsed.Optionals)
        {
            foreach (var name in names)
            {
                fields |= FieldOf(name);
            }
        }

        for (var keep = 0; keep < 1 << parsed.Optionals.Length; keep++)
        {
            foreach (var part in parsed.Parts(keep))
            {
                fields |= part.IsPlaceholder ? FieldOf(part.Text) : EntityFields.None;
            }
        }

        return fields;
    }

    /// <summary>A sentence listing the concrete facts the excerpt gave (exception, target, numbers), if any.</summary>
    public string Details(string category)
    {
        var facts = new List<string>();
        foreach (var fact in Facts)
        {
            var value = FieldValue(fact.Field);
            if (fact.AppliesTo(category) && !string.IsNullOrWhiteSpace(value) && facts.Count < 6)
            {
                facts.Add((korean ? fact.Ko : fact.En) + " " + Clip(value, 120));
            }
        }

        if (facts.Count == 0)
        {
            return string.Empty;
        }

        return korean ? " 로그에서 확인된 정보: " + string.Join(", ", facts) + "." : " From the log: " + string.Join("; ", facts) + ".";
    }

    /// <summary>The deciding line, clipped, for the summary.</summary>
    public string Quote()
    {
        if (deciding is null)
        {
            return string.Empty;
        }

        var message = deciding.InnermostMessage.Trim();
        return message.Length == 0 ? string.Empty : "\"" + Clip(message, 160) + "\"";
    }

    private static string Clip(string s, int max)
    {
        // char.IsControl is exactly these two ranges; most values have none, so no copy is needed
        if (s.AsSpan().IndexOfAnyInRange('\u0000', '\u001f') < 0 && s.AsSpan().IndexOfAnyInRange('\u007f', '\u009f') < 0)
        {
            return Redaction.Redactor.Clip(s, max); // the text is already redacted: the cut never splits a placeholder
        }

        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            sb.Append(char.IsControl(c) ? ' ' : c);
        }

        return Redaction.Redactor.Clip(sb.ToString(), max);
    }

    [GeneratedRegex(@"\[\[(.*?)\]\]", RegexOptions.CultureInvariant | RegexOptions.Singleline, matchTimeoutMilliseconds: 2000)]
    private static partial Regex Optional();

    [GeneratedRegex(@"\{(\w+)\}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 2000)]
    private static partial Regex Placeholder();
}
