using Bifrost.Analysis.Normalization;
using Bifrost.Analysis.Redaction;
using Bifrost.Analysis.Templates;

namespace Bifrost.Analysis;

/// <summary>
/// Whole-file analysis: every event is classified on its own, events that show a failure are grouped by the
/// fingerprint of their innermost message, and each group is reported once. Work is bounded: files over
/// <see cref="MaxChars"/>/<see cref="MaxLines"/> are reduced to salient windows first.
/// </summary>
internal static class IncidentFinder
{
    public const int MaxChars = 8 * 1024 * 1024;
    public const int MaxLines = 200_000;
    public const int MaxEvents = 50_000;

    public static IReadOnlyList<Incident> Find(string fileText, string? service, string? environment, string? language, int maxIncidents)
    {
        var lines = SalientWindows.SplitLines(Redactor.Redact(AnsiText.Strip(fileText))); // redact first, clip second
        var kept = SalientWindows.Select(lines, MaxChars, MaxLines);
        var events = EventJoiner.Join(kept, MaxEvents);
        var groups = new Dictionary<string, (int Count, LogEvent First, LogEvent Last, AnalysisReport Report)>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var ev in events)
        {
            if (ev.Level is LogLevel.Trace or LogLevel.Debug or LogLevel.Info && ev.MaxDepth == 0 && ev.Messages.Count == 1)
            {
                continue; // plain informational records are context, not incidents
            }

            var key = TemplateFingerprint.Of(ev.InnermostMessage.Trim());
            if (groups.TryGetValue(key, out var group))
            {
                groups[key] = group with { Count = group.Count + 1, Last = ev };
                continue;
            }

            var single = new NormalizedLog(LogShape.Plain, [ev], ev.Lines.Count, false);
            var report = LogAnalyzer.Report(single, service, environment, language);
            if (report.Category == "unknown" && ev.Level is not (LogLevel.Error or LogLevel.Fatal))
            {
                continue;
            }

            groups[key] = (1, ev, ev, report);
            order.Add(key);
        }

        return order
            .Select(k => groups[k])
            .OrderByDescending(g => g.Report.Severity)
            .ThenByDescending(g => g.Report.Category != "unknown")
            .ThenByDescending(g => g.Count)
            .ThenBy(g => g.First.FirstLine)
            .Take(maxIncidents)
            .Select(g => new Incident(g.Count, Seen(g.First), Seen(g.Last), g.First.FirstLine, g.Last.FirstLine, g.Report, string.Join('\n', g.First.Lines)))
            .ToList();
    }

    private static string Seen(LogEvent ev) => ev.Timestamp ?? "line " + ev.FirstLine.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
