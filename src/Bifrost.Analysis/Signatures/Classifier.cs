using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;
using Bifrost.Analysis.Normalization;

namespace Bifrost.Analysis.Signatures;

/// <summary>
/// Weighs signature hits into one category. Rules, in the order they apply:
/// an exception type outweighs a keyword (signature weights); the innermost cause outweighs its wrappers
/// (depth factor); stack frames and INFO/DEBUG lines count less; deprecation notices barely count;
/// a refused/timed-out connection is re-filed under the dependency it went to (database port or driver frame →
/// database.connection, Redis → cache.unavailable, Kafka/RabbitMQ → messaging.broker).
/// </summary>
public static partial class Classifier
{
    /// <summary>Below this score the evidence is too weak to name a category: the answer is <c>unknown</c>.</summary>
    public const double UnknownThreshold = 1.35;

    private const int Categories = 3;

    public static Classification Classify(NormalizedLog log, string? environment) => Classify(log, environment, static _ => EntityFields.All);

    /// <param name="entitiesNeeded">Per category, the entity fields the caller reads: the others are not extracted.</param>
    internal static Classification Classify(NormalizedLog log, string? environment, Func<string, EntityFields> entitiesNeeded)
    {
        ArgumentNullException.ThrowIfNull(log);
        var (lower, original, lineEvent, lineIndex, offsets) = Flatten(log);
        var hits = new List<(int Sig, int Line)>();
        var contexts = new List<(int Context, int Line)>();
        SignatureTable.Scan(lower, original, (id, at) =>
        {
            var line = LineAt(offsets, at);
            if (id < 0)
            {
                contexts.Add((-1 - id, line));
            }
            else
            {
                hits.Add((id, line));
            }
        });

        var eventContext = new bool[log.Events.Count, Categories];
        var lineContext = new Dictionary<int, int>();
        foreach (var (context, line) in contexts)
        {
            eventContext[lineEvent[line], context] = true;
            lineContext.TryAdd(line * Categories + context, 1);
        }

        // per event, per category: best weighted hit and how many distinct signatures agreed
        var scores = new Dictionary<string, (double Best, int Event, int Count, int Line, Severity? Hint, int Events)>(StringComparer.Ordinal);
        var perEvent = new Dictionary<(int Event, string Category), (double Best, int Count, int Line, Severity? Hint)>();
        var evidence = new Dictionary<string, SortedSet<int>>(StringComparer.Ordinal);
        foreach (var (sig, line) in hits)
        {
            var signature = SignatureTable.All[sig];
            var e = lineEvent[line];
            var ev = log.Events[e];
            var idx = lineIndex[line];
            var message = ev.Messages[idx];
            var (cat, rerouteHint) = Reroute(signature.Category, line, e, eventContext, lineContext, lower, offsets);
            var weight = signature.Weight * LevelFactor(ev.Level) * DepthFactor(ev, idx) * LineFactor(message, LineSpan(lower, offsets, line), signature.Kind);
            var key = (e, cat);
            perEvent.TryGetValue(key, out var current);
            if (weight > current.Best)
            {
                perEvent[key] = (weight, current.Count + 1, line, rerouteHint ?? signature.SeverityHint);
            }
            else
            {
                perEvent[key] = current with { Count = current.Count + 1, Hint = current.Hint ?? rerouteHint ?? signature.SeverityHint };
            }

            Add(evidence, cat, line);
        }

        AddFallbacks(log, perEvent, evidence, offsets, lineEvent);
        foreach (var ((e, cat), v) in perEvent)
        {
            var eventScore = v.Best + 0.15 * Math.Min(3, v.Count - 1);
            scores.TryGetValue(cat, out var agg);
            if (eventScore > agg.Best)
            {
                scores[cat] = (eventScore, e, v.Count, v.Line, v.Hint, agg.Events + 1);
            }
            else
            {
                scores[cat] = agg with { Events = agg.Events + 1, Hint = agg.Hint ?? v.Hint };
            }
        }

        var ranked = scores.Select(kv => (Category: kv.Key, Score: kv.Value.Best + 0.08 * Math.Min(5, kv.Value.Events - 1), kv.Value))
            .OrderByDescending(x => x.Score).ThenBy(x => x.Category, StringComparer.Ordinal).ToList();
        var top = ranked.Count > 0 ? ranked[0] : default;
        var second = ranked.Count > 1 ? ranked[1].Score : 0;
        var known = ranked.Count > 0 && top.Score >= UnknownThreshold;
        var category = known ? top.Category : "unknown";
        var decidingEvent = known ? top.Value.Event : MostSalientEvent(log);
        var decidingLine = known ? top.Value.Line : -1;
        var lines = known ? EvidenceFor(evidence[category], decidingLine, lineEvent, log, offsets) : FallbackEvidence(log, decidingEvent);
        var ev0 = log.Events.Count > 0 ? log.Events[decidingEvent] : null;
        var wanted = entitiesNeeded(category);
        var entities = ev0 is null ? new Entities() : EntityExtractor.Extract(EventText(log, decidingEvent, known ? category : null, evidence), ev0.InnermostMessage, LowerEventText(log, decidingEvent, lower, offsets), null, wanted);
        if (ev0 is not null && log.Events.Count > 1)
        {
            // describe-style output spreads one failure over several records (Reason/Exit Code/Limits): fill gaps from the excerpt
            // (only the gaps are extracted, from the lower-cased text this method already has)
            entities = EntityExtractor.Extract(original, null, lower, entities, wanted);
        }
        var recovered = Recovered(original, lower, offsets, decidingLine < 0 ? offsets.Count - 1 : decidingLine);
        var hasStack = ev0 is not null && ev0.Messages.Any(m => IsFrame(m));
        var severity = log.Events.Count == 0 ? Severity.LOW : SeverityRules.Grade(category, known ? top.Value.Hint : null, original, recovered, environment, ev0?.Level ?? LogLevel.Unknown, lower, hasStack);
        var score = known ? top.Score : (ranked.Count > 0 ? top.Score : 0);
        var margin = known ? top.Score - second : UnknownThreshold - score;
        var confidence = Calibration.Confidence(known, score, margin);
        var numbers = lines.Select(l => log.Events[lineEvent[l]].LineNumbers[lineIndex[l]]).Distinct().Order().ToList();
        var runnerUp = known ? (ranked.Count > 1 ? ranked[1].Category : null) : (ranked.Count > 0 ? top.Category : null);
        return new Classification(category, severity, confidence, score, margin, runnerUp, decidingEvent, numbers, entities, recovered);
    }

    /// <summary>Re-files a network failure under the dependency it hit; a refused/unresolvable database or cache is down for everyone.</summary>
    private static (string Category, Severity? Hint) Reroute(string category, int line, int e, bool[,] eventContext, Dictionary<int, int> lineContext, string lower, List<int> offsets)
    {
        var reroutable = category is "network.connection_refused" or "network.timeout" or "auth.credentials" or "network.dns";
        if (!reroutable)
        {
            return (category, null);
        }

        int? context = null;
        // the line itself speaks first (a port or driver named next to the error), then the event around it
        foreach (var c in (int[])[1, 2, 0])
        {
            if (lineContext.ContainsKey(line * Categories + c))
            {
                context = c;
                break;
            }
        }

        if (context is null)
        {
            foreach (var c in (int[])[1, 2, 0])
            {
                if (eventContext[e, c])
                {
                    context = c;
                    break;
                }
            }
        }

        if (category == "auth.credentials")
        {
            return (context == 0 ? "database.auth" : category, null);
        }

        if (category == "network.dns")
        {
            // the name stays a DNS problem, but an unresolvable database/cache/broker takes every request down
            return (category, context is null ? null : Severity.CRITICAL);
        }

        if (category == "network.timeout" && context == 0)
        {
            var text = LineText(lower, offsets, line);
            if (text.Contains("statement timeout", StringComparison.Ordinal) || text.Contains("query timeout", StringComparison.Ordinal))
            {
                return ("database.query", null);
            }
        }

        var hint = category == "network.connection_refused" ? Severity.CRITICAL : Severity.HIGH;
        return context switch
        {
            0 => ("database.connection", hint),
            1 => ("cache.unavailable", hint),
            2 => ("messaging.broker", hint),
            _ => (category, null),
        };
    }

    /// <summary>An uncaught exception whose type no signature names is code.unhandled — weakly, so anything named wins.</summary>
    private static void AddFallbacks(NormalizedLog log, Dictionary<(int, string), (double Best, int Count, int Line, Severity? Hint)> perEvent,
        Dictionary<string, SortedSet<int>> evidence, List<int> offsets, int[] lineEvent)
    {
        var lineBase = 0;
        for (var e = 0; e < log.Events.Count; e++)
        {
            var ev = log.Events[e];
            var header = ev.InnermostMessage;
            var npeInConfig = perEvent.TryGetValue((e, "code.null_reference"), out var npe) && FramesMention(ev, "config", "propert", "settings");
            if (npeInConfig)
            {
                // a null dereference inside a configuration loader is a missing/invalid setting
                perEvent[(e, "config.invalid")] = (npe.Best + 0.2, npe.Count, npe.Line, null);
                Add(evidence, "config.invalid", npe.Line);
            }

            if (EventJoiner.IsExceptionHeader(header) && !perEvent.Keys.Any(k => k.Item1 == e))
            {
                var line = lineBase + ev.InnermostIndex;
                perEvent[(e, "code.unhandled")] = (1.45 * LevelFactor(ev.Level), 1, line, null);
                Add(evidence, "code.unhandled", line);
            }

            lineBase += ev.Messages.Count;
        }
    }

    /// <summary>Whether the frame that threw (the first frame under the innermost header) mentions one of the words.</summary>
    private static bool FramesMention(LogEvent ev, params string[] words)
    {
        var seen = 0;
        for (var i = ev.InnermostIndex + 1; i < ev.Messages.Count && seen < 1; i++)
        {
            var m = ev.Messages[i];
            if (!IsFrame(m))
            {
                continue;
            }

            seen++;
            foreach (var w in words)
            {
                if (m.Contains(w, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static void Add(Dictionary<string, SortedSet<int>> evidence, string category, int line)
    {
        if (!evidence.TryGetValue(category, out var set))
        {
            evidence[category] = set = [];
        }

        set.Add(line);
    }

    private static double LevelFactor(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => 0.55,
        LogLevel.Info => 0.75,
        LogLevel.Warn => 0.9,
        _ => 1.0,
    };

    private static double DepthFactor(LogEvent ev, int index)
    {
        if (ev.MaxDepth == 0)
        {
            return 1.0;
        }

        var factor = 1.0 + 0.3 * ev.CauseDepth[index] / ev.MaxDepth;
        return index == ev.InnermostIndex ? factor + 0.05 : factor;
    }

    /// <param name="lowerLine">The message lower-cased (its line in the flattened lower-case text).</param>
    private static double LineFactor(string message, ReadOnlySpan<char> lowerLine, EvidenceKind kind)
    {
        if (IsFrame(message))
        {
            return 0.35; // a frame names code that was running, not what failed
        }

        // same answer as an OrdinalIgnoreCase search (no non-ASCII char case-maps to these letters), without its slow
        // non-ASCII path
        if (lowerLine.Contains("deprecat", StringComparison.Ordinal))
        {
            return 0.3;
        }

        return kind == EvidenceKind.Hint && message.Length > 600 ? 0.8 : 1.0;
    }

    private static List<int> EvidenceFor(SortedSet<int> lines, int deciding, int[] lineEvent, NormalizedLog log, List<int> offsets)
    {
        var chosen = new SortedSet<int> { deciding };
        var decidingEvent = lineEvent[deciding];
        foreach (var l in lines)
        {
            if (chosen.Count >= 5)
            {
                break;
            }

            if (lineEvent[l] == decidingEvent || chosen.Count < 3)
            {
                chosen.Add(l);
            }
        }

        return chosen.ToList();
    }

    private static List<int> FallbackEvidence(NormalizedLog log, int e) => log.Events.Count == 0 ? [] : [FlatIndex(log, e, log.Events[e].InnermostIndex)];

    private static int FlatIndex(NormalizedLog log, int e, int index)
    {
        var flat = 0;
        for (var i = 0; i < e; i++)
        {
            flat += log.Events[i].Messages.Count;
        }

        return flat + index;
    }

    private static int MostSalientEvent(NormalizedLog log)
    {
        var best = 0;
        var bestRank = -1;
        for (var i = 0; i < log.Events.Count; i++)
        {
            var ev = log.Events[i];
            var rank = (int)ev.Level * 4 + (EventJoiner.IsExceptionHeader(ev.InnermostMessage) ? 2 : 0) + (Rx.IsMatch(ErrorWord(), ev.Messages[0]) ? 1 : 0);
            if (rank >= bestRank)
            {
                best = i;
                bestRank = rank;
            }
        }

        return best;
    }

    // the regex below needs one of these (lower-case) words
    private static readonly SearchValues<string> RecoveredCues = SearchValues.Create(
        ["succe", "recover", "reconnect", "establish", "back to normal", "resolved"], StringComparison.Ordinal);

    private static bool Recovered(string original, string lower, List<int> offsets, int fromLine)
    {
        var start = fromLine + 1 < offsets.Count ? offsets[fromLine + 1] : original.Length;
        if (start >= original.Length)
        {
            return false;
        }

        var length = Math.Min(original.Length - start, 8192);
        return lower.AsSpan(start, length).ContainsAny(RecoveredCues) && Rx.IsMatch(RecoveredRx(), original.AsSpan(start, length));
    }

    /// <summary>
    /// <see cref="EventText"/> lower-cased, copied from the flattened lower-case text (the event's lines are contiguous
    /// there, each followed by '\n') instead of lower-casing it again.
    /// </summary>
    private static string LowerEventText(NormalizedLog log, int e, string lower, List<int> offsets)
    {
        var ev = log.Events[e];
        var first = FlatIndex(log, e, 0);
        var start = offsets[first];
        var end = first + ev.Messages.Count < offsets.Count ? offsets[first + ev.Messages.Count] : lower.Length;
        var innermost = lower.AsSpan(offsets[first + ev.InnermostIndex], ev.InnermostMessage.Length);
        return string.Concat(innermost, "\n", lower.AsSpan(start, end - start));
    }

    private static string EventText(NormalizedLog log, int e, string? category, Dictionary<string, SortedSet<int>> evidence)
    {
        var ev = log.Events[e];
        var chars = ev.InnermostMessage.Length + 1;
        foreach (var m in ev.Messages)
        {
            chars += m.Length + 1;
        }

        var sb = new StringBuilder(chars);
        // the innermost cause first so extractors prefer what it names
        sb.Append(ev.InnermostMessage).Append('\n');
        foreach (var m in ev.Messages)
        {
            sb.Append(m).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>
    /// One lower-cased text over all events' messages, with per-line event/index maps and line start offsets.
    /// Evidence line numbers are translated back to the excerpt's own numbering by the caller.
    /// </summary>
    internal static (string Lower, string Original, int[] LineEvent, int[] LineIndex, List<int> Offsets) Flatten(NormalizedLog log)
    {
        // sized up front: the text is copied once, not regrown chunk by chunk
        var chars = 0;
        var lines = 0;
        foreach (var ev in log.Events)
        {
            foreach (var m in ev.Messages)
            {
                chars += m.Length + 1;
            }

            lines += ev.Messages.Count;
        }

        var sb = new StringBuilder(chars);
        var lineEvent = new List<int>(lines);
        var lineIndex = new List<int>(lines);
        var offsets = new List<int>(lines);
        for (var e = 0; e < log.Events.Count; e++)
        {
            var ev = log.Events[e];
            for (var i = 0; i < ev.Messages.Count; i++)
            {
                offsets.Add(sb.Length);
                sb.Append(ev.Messages[i]).Append('\n');
                lineEvent.Add(e);
                lineIndex.Add(i);
            }
        }

        var original = sb.ToString();
        return (LowerCase.Of(original), original, [.. lineEvent], [.. lineIndex], offsets);
    }

    internal static int LineAt(List<int> offsets, int at)
    {
        var i = offsets.BinarySearch(at);
        return i >= 0 ? i : ~i - 1;
    }

    private static string LineText(string text, List<int> offsets, int line) => LineSpan(text, offsets, line).ToString();

    private static ReadOnlySpan<char> LineSpan(string text, List<int> offsets, int line)
    {
        var start = offsets[line];
        var end = line + 1 < offsets.Count ? offsets[line + 1] - 1 : text.Length;
        return text.AsSpan(start, Math.Max(start, end) - start);
    }

    /// <summary>A stack frame line; the regex is anchored, so a first character no alternative starts with rules it out cheaply.</summary>
    private static bool IsFrame(string message) =>
        message.Length > 0 && (char.IsWhiteSpace(message[0]) || message[0] is 'a' or 'F' or '.' or '-') && Rx.IsMatch(Frame(), message);

    [GeneratedRegex(@"^\s*(?:at\s+[\w$<.\[]|File ""|\.\.\. \d+ more|---\s*End of)|^\s+[\w./-]+\.(?:go|py|js|ts|cs|java):\d+|^\t[\w/]", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Frame();

    [GeneratedRegex(@"(?i:\b(?:error|fail(?:ed|ure)?|fatal|exception|panic|died|exited|killed|crash(?:ed)?|could not|cannot|unable)\b)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ErrorWord();

    [GeneratedRegex(@"(?i:\b(?:retry (?:succeeded|successful)|succeeded after|successfully (?:assigned|reconnected|connected|recovered|pulled|started)|reconnected|connection (?:re)?established|recovered|back to normal|resolved)\b)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex RecoveredRx();
}
