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
        var hits = new List<(int Sig, int Line, int At)>();
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
                hits.Add((id, line, at));
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
        var strongHit = new bool[log.Events.Count];
        var specific = new HashSet<string>(StringComparer.Ordinal); // categories some non-hint signature named
        var statementHit = new bool[log.Events.Count];
        foreach (var (sig, line, at) in hits)
        {
            var signature = SignatureTable.All[sig];
            var e = lineEvent[line];
            var ev = log.Events[e];
            var idx = lineIndex[line];
            var message = ev.Messages[idx];
            var (cat, rerouteHint) = Reroute(signature, line, e, eventContext, lineContext, lower, offsets);
            var weight = signature.Weight * LevelFactor(ev.Level) * DepthFactor(ev, idx) * LineFactor(message, LineSpan(lower, offsets, line), signature.Kind)
                * ClauseFactor(offsets, lower.Length, line, at);
            strongHit[e] |= signature.Kind != EvidenceKind.Hint && signature.Weight >= 2.0 && !IsFrame(message);
            statementHit[e] |= signature.Kind == EvidenceKind.Message && signature.Weight >= 3.0 && !IsFrame(message);
            if (signature.Kind != EvidenceKind.Hint)
            {
                specific.Add(cat);
            }

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

        var downLine = Impact.ProcessDownLine(original, offsets);
        var failing = FailureEvents(log, strongHit, statementHit, downLine < 0 ? -1 : lineEvent[downLine], lower, offsets);
        if (!failing.Any)
        {
            return NoFailure(log, environment);
        }

        var ranked = scores.Select(kv => (Category: kv.Key, Score: kv.Value.Best + 0.08 * Math.Min(5, kv.Value.Events - 1), kv.Value))
            .OrderByDescending(x => Math.Round(x.Score, 6)).ThenBy(x => x.Value.Event).ThenBy(x => x.Category, StringComparer.Ordinal).ToList();
        var top = ranked.Count > 0 ? ranked[0] : default;
        var second = ranked.Count > 1 ? ranked[1].Score : 0;
        var known = ranked.Count > 0 && top.Score >= UnknownThreshold;
        var category = known ? top.Category : "unknown";
        var decidingEvent = known ? top.Value.Event : MostSalientEvent(log);
        var decidingLine = known ? top.Value.Line : -1;
        var lines = known ? EvidenceFor(evidence[category], decidingLine, lineEvent, original, offsets) : FallbackEvidence(log, decidingEvent);
        var ev0 = log.Events.Count > 0 ? log.Events[decidingEvent] : null;
        var wanted = entitiesNeeded(category);
        var entities = ev0 is null ? new Entities() : EntityExtractor.Extract(EventText(log, decidingEvent, known ? category : null, evidence), ev0.InnermostMessage, LowerEventText(log, decidingEvent, lower, offsets), null, wanted);
        if (ev0 is not null && log.Events.Count > 1)
        {
            // describe-style output spreads one failure over several records (Reason/Exit Code/Limits): fill gaps from the excerpt
            // (only the gaps are extracted, from the lower-cased text this method already has)
            entities = EntityExtractor.Extract(original, null, lower, entities, wanted);
        }
        var lastFailure = known ? evidence[category].Max : decidingLine;
        var recoveryLine = Recovered(category, original, lower, offsets, lastFailure < 0 ? offsets.Count - 1 : lastFailure);
        var recovered = recoveryLine >= 0;
        var hasStack = ev0 is not null && ev0.Messages.Any(m => IsFrame(m));
        var impact = Impact.Read(original, lower, offsets, decidingLine < 0 ? FlatIndex(log, decidingEvent, ev0?.InnermostIndex ?? 0) : decidingLine, downLine);
        var severity = SeverityRules.Grade(category, known ? top.Value.Hint : null, impact, recovered, failing.WarnOnly, hasStack, ev0?.Level ?? LogLevel.Unknown, environment);
        var score = known ? top.Score : (ranked.Count > 0 ? top.Score : 0);
        var margin = known ? top.Score - second : UnknownThreshold - score;
        var confidence = Calibration.Confidence(known, score, margin, generic: known && !specific.Contains(category),
            causeMayLieElsewhere: known && CauseMayLieElsewhere(category, log, decidingEvent, perEvent, lower, offsets), afterRequestedStop: known && impact.PlannedStop);
        var numbers = lines.Select(l => log.Events[lineEvent[l]].LineNumbers[lineIndex[l]]).Distinct().Order().ToList();
        var runnerUp = known ? (ranked.Count > 1 ? ranked[1].Category : null) : (ranked.Count > 0 ? top.Category : null);
        var diagnosis = Diagnose(log, category, decidingEvent, decidingLine, known ? evidence[category] : null, perEvent, specific, downLine, recoveryLine,
            failing.Count, original, lower, lineEvent, lineIndex, offsets);
        return new Classification(category, severity, confidence, score, margin, runnerUp, decidingEvent, numbers, entities, recovered)
        {
            Impact = impact,
            Diagnosis = diagnosis,
        };
    }

    /// <summary>Categories that are usually the visible consequence of another failure in the same excerpt.</summary>
    private static bool IsConsequence(string category) =>
        category is "k8s.crash_loop" or "k8s.probe_failed" or "http.upstream_error" or "code.unhandled" or "concurrency.thread_pool";

    private static Diagnosis Diagnose(NormalizedLog log, string category, int decidingEvent, int decidingLine, SortedSet<int>? categoryLines,
        Dictionary<(int Event, string Category), (double Best, int Count, int Line, Severity? Hint)> perEvent, HashSet<string> specific,
        int downLine, int recoveryLine, int failureEvents, string original, string lower, int[] lineEvent, int[] lineIndex, List<int> offsets)
    {
        if (log.Events.Count == 0)
        {
            return Diagnosis.None;
        }

        QuotedLine? Quote(int flat) => flat < 0 || flat >= lineEvent.Length ? null
            : new QuotedLine(log.Events[lineEvent[flat]].LineNumbers[lineIndex[flat]], log.Events[lineEvent[flat]].Messages[lineIndex[flat]].Trim());

        var ev = log.Events[decidingEvent];
        var deciding = decidingLine >= 0 ? decidingLine : FlatIndex(log, decidingEvent, ev.InnermostIndex);

        // the decisive line over the loudest symptom: a crash loop, a 5xx or an unhandled exception is explained by a
        // more specific failure elsewhere in the excerpt (a missing file, exec format error, a refused connection)
        (QuotedLine, string)? cause = null;
        if (categoryLines is not null && IsConsequence(category))
        {
            var best = 0.0;
            foreach (var ((_, cat), v) in perEvent)
            {
                if (cat != category && specific.Contains(cat) && !IsConsequence(cat) && v.Best >= 1.8 && v.Best > best && Quote(v.Line) is { } line)
                {
                    best = v.Best;
                    cause = (line, cat);
                }
            }
        }

        var targets = new List<string>();
        foreach (var flat in categoryLines ?? [deciding])
        {
            foreach (var target in EntityExtractor.HostPorts(LineText(original, offsets, flat), 4))
            {
                // a wildcard bind address is where a server listens, never what a failure went to
                if (!target.StartsWith("0.0.0.0:", StringComparison.Ordinal) && !targets.Contains(target, StringComparer.Ordinal) && targets.Count < 4)
                {
                    targets.Add(target);
                }
            }
        }

        return new Diagnosis
        {
            Deciding = Quote(deciding),
            Cause = cause,
            // a process that stopped with the deciding exception itself (a top-level traceback) is quoted as that line
            ProcessDown = downLine < 0 ? null : lineEvent[downLine] == lineEvent[deciding] ? Quote(deciding) : Quote(downLine),
            Recovery = Quote(recoveryLine),
            Frame = StackTrace.FirstApplicationFrame(ev),
            HasStack = ev.Messages.Any(IsFrame),
            HasTimestamp = ev.Timestamp is not null,
            Targets = targets,
            Statements = category == "database.deadlock" ? Statements(original) : [],
            Heap = category is "resource.memory" or "k8s.crash_loop" ? Heap(original) : null,
            FailureEvents = failureEvents,
            Unit = lower.Contains(".service", StringComparison.Ordinal) ? Rx.Match(SystemdUnit(), original) is { Success: true } u ? u.Value : null : null,
            Lower = lower,
        };
    }

    private static List<string> Statements(string original)
    {
        var found = new List<string>();
        for (var m = Rx.Match(Statement(), original); m.Success && found.Count < 2; m = m.NextMatch())
        {
            var sql = m.Groups["s"].Value.Trim();
            sql = sql.Length > 160 ? sql[..160] + "…" : sql;
            if (sql.Length > 0 && !found.Contains(sql, StringComparer.Ordinal))
            {
                found.Add(sql);
            }
        }

        return found;
    }

    private static string? Heap(string original)
    {
        if (!original.Contains("Xmx", StringComparison.Ordinal) && !original.Contains("max-old-space-size", StringComparison.Ordinal)
            && !original.Contains("MaxHeapSize", StringComparison.Ordinal))
        {
            return null;
        }

        var m = Rx.Match(HeapRx(), original);
        return !m.Success ? null : m.Groups["mb"].Success ? m.Groups["mb"].Value + "Mi" : m.Groups["h"].Value;
    }

    /// <summary>
    /// Which events show a failure: a record at ERROR level or above, an exception (header or stack), a process ending,
    /// an access-log line with a 4xx/5xx status, a WARN/unlevelled record that a framework's own failure phrase matched
    /// (or, unlevelled, that says error/failed), and an INFO record only when it states a framework's failure sentence
    /// (Tomcat logs "Maximum number of threads (200) created" at INFO). Otherwise INFO/DEBUG records are context however
    /// alarming their words ("0 failures, 0 timeouts", a retry policy naming SocketTimeoutException).
    /// </summary>
    private static (bool Any, bool WarnOnly, int Count) FailureEvents(NormalizedLog log, bool[] strongHit, bool[] statementHit, int downEvent, string lower, List<int> offsets)
    {
        var any = false;
        var warnOnly = true;
        var count = 0;
        var flat = 0;
        for (var e = 0; e < log.Events.Count; e++)
        {
            var ev = log.Events[e];
            var exceptionShaped = EventJoiner.IsExceptionHeader(ev.InnermostMessage) || ev.Messages.Any(IsFrame)
                || ev.Messages.Any(m => m.Contains("Traceback (most recent call last)", StringComparison.Ordinal));
            var failure = ev.Level switch
            {
                LogLevel.Error or LogLevel.Fatal => true,
                LogLevel.Warn => strongHit[e] || exceptionShaped,
                LogLevel.Unknown => strongHit[e] || exceptionShaped || Rx.IsMatch(ErrorWord(), ev.Text.Length > 2048 ? ev.Text[..2048] : ev.Text),
                _ => exceptionShaped || statementHit[e] || AccessLogFailure(lower, offsets, flat, ev.Messages.Count),
            } || e == downEvent;
            if (failure)
            {
                any = true;
                count++;
                warnOnly &= ev.Level == LogLevel.Warn;
            }

            flat += ev.Messages.Count;
        }

        return (any, any && warnOnly, count);
    }

    /// <summary>An access-log line (request line + status) answering 4xx/5xx, whatever level the server logged it at.</summary>
    private static bool AccessLogFailure(string lower, List<int> offsets, int firstLine, int count)
    {
        for (var l = firstLine; l < firstLine + count; l++)
        {
            var line = LineSpan(lower, offsets, l);
            if (line.Contains(" http/", StringComparison.Ordinal) && Rx.IsMatch(AccessLogStatus(), line))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An excerpt with no failure in it: "unknown", LOW, and a confidence that says the engine is guessing.</summary>
    private static Classification NoFailure(NormalizedLog log, string? environment) =>
        new("unknown", SeverityRules.AdjustForEnvironment(Severity.LOW, environment), Calibration.NoFailureConfidence, 0, 0, null, MostSalientEvent(log), [], new Entities(), false)
        {
            NoFailure = true,
        };

    /// <summary>Re-files a network failure under the dependency it hit; a refused/unresolvable database or cache is down for everyone.</summary>
    private static (string Category, Severity? Hint) Reroute(Signature signature, int line, int e, bool[,] eventContext, Dictionary<int, int> lineContext, string lower, List<int> offsets)
    {
        var category = signature.Category;
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

        // refused: nobody listens, down for everyone; a reset connection is dropped and re-made by the client: degraded
        var reset = signature.Needles[0] is "econnreset" or "connection reset by peer" or "socket hang up";
        var hint = reset ? Severity.MEDIUM : category == "network.connection_refused" ? Severity.CRITICAL : Severity.HIGH;
        return context switch
        {
            0 => ("database.connection", hint),
            1 => ("cache.unavailable", hint),
            2 => ("messaging.broker", hint),
            _ => (category, null),
        };
    }

    /// <summary>Categories that are often the surface of another cause: a null, a bad value, a missing key or file, an
    /// unhandled exception — the configuration that was not loaded, the call that failed just before.</summary>
    private static bool IsSurfaceSymptom(string category) =>
        category is "code.null_reference" or "code.type_error" or "code.index_error" or "code.unhandled" or "filesystem.not_found"
            or "data.validation" or "dependency.missing";

    /// <summary>
    /// Whether the verdict names a surface symptom while the excerpt points elsewhere: an earlier failure of another
    /// category, or configuration named in the deciding event (a settings class, an environment variable, a config file).
    /// Such answers are right less often than their evidence suggests (issue 15's held-out misses were of this kind).
    /// </summary>
    private static bool CauseMayLieElsewhere(string category, NormalizedLog log, int decidingEvent,
        Dictionary<(int Event, string Category), (double Best, int Count, int Line, Severity? Hint)> perEvent, string lower, List<int> offsets)
    {
        if (!IsSurfaceSymptom(category))
        {
            return false;
        }

        foreach (var (e, cat) in perEvent.Keys)
        {
            if (e < decidingEvent && cat != category)
            {
                return true;
            }
        }

        var first = FlatIndex(log, decidingEvent, 0);
        var last = first + log.Events[decidingEvent].Messages.Count - 1;
        var start = offsets[first];
        var end = last + 1 < offsets.Count ? offsets[last + 1] : lower.Length;
        return Rx.IsMatch(ConfigWords(), lower.AsSpan(start, end - start));
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

    /// <summary>
    /// Within one line, later clauses are deeper causes: wrapped errors read outer-to-inner ("upstream connect error …
    /// reset reason: connection failure", Go's "a: b: c", Spring's "…; nested exception is X"), so a hit further along the
    /// line counts up to 12 % more than one at its start.
    /// </summary>
    private static double ClauseFactor(List<int> offsets, int textLength, int line, int at)
    {
        var start = offsets[line];
        var end = line + 1 < offsets.Count ? offsets[line + 1] - 1 : textLength;
        var length = Math.Max(1, end - start);
        return 1.0 + 0.12 * Math.Clamp((double)(at - start) / length, 0, 1);
    }

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

    private static List<int> EvidenceFor(SortedSet<int> lines, int deciding, int[] lineEvent, string original, List<int> offsets)
    {
        var chosen = new SortedSet<int> { deciding };
        var decidingEvent = lineEvent[deciding];
        foreach (var l in lines)
        {
            if (chosen.Count >= 5)
            {
                break;
            }

            if (IsHeaderLine(LineSpan(original, offsets, l)))
            {
                continue; // "Containers:", "Errors:", "Events:" are section titles, not evidence
            }

            if (lineEvent[l] == decidingEvent || chosen.Count < 3)
            {
                chosen.Add(l);
            }
        }

        return chosen.ToList();
    }

    /// <summary>A line that is only a label ending in ':' (a section title of describe-style output).</summary>
    private static bool IsHeaderLine(ReadOnlySpan<char> line)
    {
        var t = line.Trim();
        if (t.Length < 2 || t[^1] != ':' || t.Length > 40)
        {
            return false;
        }

        foreach (var c in t[..^1])
        {
            if (!char.IsLetterOrDigit(c) && c is not (' ' or '-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
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
        ["succe", "recover", "reconnect", "establish", "back to normal", "resolved", "pulled", "assigned"], StringComparison.Ordinal);

    /// <summary>
    /// Whether a line after the failure's last occurrence says the same thing recovered: a generic recovery ("retry
    /// succeeded", "recovered") recovers any failure; a reconnection recovers only a connection failure; a pulled image
    /// only a pull failure; a scheduled pod only a scheduling failure. (A later "Successfully pulled" says nothing about a
    /// crash loop: the container is pulled, started and crashes again.)
    /// </summary>
    /// <returns>The flattened line that shows the recovery, or -1.</returns>
    private static int Recovered(string category, string original, string lower, List<int> offsets, int lastFailureLine)
    {
        var start = lastFailureLine + 1 < offsets.Count ? offsets[lastFailureLine + 1] : original.Length;
        if (start >= original.Length)
        {
            return -1;
        }

        var length = Math.Min(original.Length - start, 8192);
        if (!lower.AsSpan(start, length).ContainsAny(RecoveredCues))
        {
            return -1;
        }

        var text = original.Substring(start, length);
        for (var m = Rx.Match(RecoveredRx(), text); m.Success; m = m.NextMatch())
        {
            var recovers = m.Groups["any"].Success
                || (m.Groups["conn"].Success && IsConnectionFailure(category))
                || (m.Groups["pull"].Success && category == "k8s.image_pull")
                || (m.Groups["sched"].Success && category == "k8s.scheduling");
            if (recovers)
            {
                return LineAt(offsets, start + m.Index);
            }
        }

        return -1;
    }

    private static bool IsConnectionFailure(string category) =>
        category is "database.connection" or "database.pool_exhausted" or "network.connection_refused" or "network.timeout" or "network.dns"
            or "network.tls" or "cache.unavailable" or "messaging.broker" or "http.upstream_error";

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

    private static bool IsFrame(string message) => StackTrace.IsFrame(message);

    [GeneratedRegex(@"(?i:\b(?:error|fail(?:ed|ure)?|fatal|exception|panic|died|exited|killed|crash(?:ed)?|could not|cannot|unable)\b)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ErrorWord();

    [GeneratedRegex(@"(?i:\b(?:(?<any>retry (?:succeeded|successful)|succeeded after|recovered|back to normal|resolved)|(?<conn>successfully (?:re)?connected|reconnected|connection (?:re-?)?established)|(?<pull>successfully pulled)|(?<sched>successfully assigned))\b)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex RecoveredRx();

    // PostgreSQL names each deadlocked backend's statement in the DETAIL ("Process 4212: UPDATE ..."), the failing one in STATEMENT
    [GeneratedRegex(@"^\s*(?:STATEMENT|QUERY):\s+(?<s>\S.{0,400})$|^\s*Process \d+: (?<s>(?:SELECT|INSERT|UPDATE|DELETE|WITH|MERGE)\b.{0,400})$|SQL statement ""(?<s>[^""]{1,400})""|\[SQL: '(?<s>[^']{1,400})'", RegexOptions.CultureInvariant | RegexOptions.Multiline, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Statement();

    [GeneratedRegex(@"-Xmx(?<h>\d+[kKmMgG])\b|--max-old-space-size=(?<mb>\d+)|MaxHeapSize=(?<h>\d+[kKmMgG]?)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex HeapRx();

    [GeneratedRegex(@"[\w@.-]{1,100}\.service\b", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex SystemdUnit();

    [GeneratedRegex(@"config|settings|environ|\.env\b|\.ya?ml\b|\.toml\b|\.ini\b|\.properties\b|getenv|process\.env", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ConfigWords();

    [GeneratedRegex(@"""(?:get|post|put|delete|patch|head|options) \S{1,2000} http/[\d.]+""? [45]\d\d\b|\bcompleted [45]\d\d \w", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex AccessLogStatus();
}
