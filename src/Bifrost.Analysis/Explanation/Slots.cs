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
internal sealed partial class Slots(Entities entities, string? service, bool korean, Diagnosis? diagnosis = null)
{
    private readonly string? svc = string.IsNullOrWhiteSpace(service) ? null : service.Trim();

    /// <summary>A placeholder's value from the excerpt, or null (unknown names have none).</summary>
    private string? Value(string name) => name switch
    {
        "svc" => svc,
        "frame" => diagnosis?.Frame,
        _ => FieldValue(FieldOf(name)),
    };

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

    /// <summary>
    /// Fills the placeholders of the commands in a recommendation (<c>pg_isready -h &lt;host&gt;</c>, <c>kubectl logs &lt;pod&gt;</c>)
    /// with the values the excerpt gives; a placeholder the excerpt has no value for stays for the reader to fill.
    /// </summary>
    public string FillCommands(string text)
    {
        if (!text.Contains('<', StringComparison.Ordinal))
        {
            return text;
        }

        return Rx.Replace(CommandPlaceholder(), text, m => CommandValue(m.Groups[1].Value) ?? m.Value);
    }

    private string? CommandValue(string name) => name switch
    {
        "host" or "호스트" or "name" or "이름" => entities.Host,
        "port" or "포트" => entities.Port,
        "pod" or "파드" => PodName(entities.Pod),
        "namespace" or "네임스페이스" => Namespace(entities.Pod),
        "url" => entities.Url,
        "path" or "경로" => entities.Path,
        "dir" or "디렉터리" or "mount" or "마운트" => Directory(entities.Path),
        "node" or "노드" => entities.Node,
        "image" or "이미지" => entities.Image,
        "container" or "컨테이너" => entities.Container,
        "topic" or "토픽" => entities.Topic,
        "table" or "테이블" => entities.Table,
        "user" or "사용자" => entities.User,
        "unit" or "유닛" => diagnosis?.Unit,
        _ => null,
    };

    private static string? PodName(string? pod) => pod is null ? null : pod[(pod.LastIndexOf('/') + 1)..];

    private static string? Namespace(string? pod) => pod is null || !pod.Contains('/', StringComparison.Ordinal) ? null : pod[..pod.IndexOf('/', StringComparison.Ordinal)];

    private static string? Directory(string? path)
    {
        if (path is null)
        {
            return null;
        }

        var slash = path.TrimEnd('/').LastIndexOf('/');
        return slash <= 0 ? (slash == 0 ? "/" : null) : path[..slash];
    }

    /// <summary>The placeholder names <see cref="FillCommands"/> can fill, as entity fields (the classifier extracts these).</summary>
    public static EntityFields CommandFields(string template)
    {
        var fields = EntityFields.None;
        foreach (Match m in CommandPlaceholder().Matches(template))
        {
            fields |= m.Groups[1].Value switch
            {
                "host" or "호스트" or "name" or "이름" => EntityFields.Host | EntityFields.Target,
                "port" or "포트" => EntityFields.Port | EntityFields.Target,
                "pod" or "파드" or "namespace" or "네임스페이스" => EntityFields.Pod,
                "url" => EntityFields.Url,
                "path" or "경로" or "dir" or "디렉터리" or "mount" or "마운트" => EntityFields.Path,
                "node" or "노드" => EntityFields.Node,
                "image" or "이미지" => EntityFields.Image,
                "container" or "컨테이너" => EntityFields.Container,
                "topic" or "토픽" => EntityFields.Topic,
                "table" or "테이블" => EntityFields.Table,
                "user" or "사용자" => EntityFields.User,
                _ => EntityFields.None,
            };
        }

        return fields;
    }

    [GeneratedRegex(@"<([a-z]{2,12}|[\uAC00-\uD7A3]{2,6})>", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 2000)]
    private static partial Regex CommandPlaceholder();

    internal static string Clip(string s, int max)
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
