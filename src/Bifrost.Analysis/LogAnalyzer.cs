using Bifrost.Analysis.Explanation;
using Bifrost.Analysis.Normalization;
using Bifrost.Analysis.Redaction;
using Bifrost.Analysis.Signatures;
using Bifrost.Analysis.Templates;
using System.Text.RegularExpressions;

namespace Bifrost.Analysis;

/// <summary>
/// The built-in engine's entry point: excerpt in, report out. normalise → redact → fingerprint → classify → explain.
/// Pure and thread-safe (no shared mutable state); no I/O, no clock.
/// </summary>
public sealed class LogAnalyzer
{
    public const string ModelName = "bifrost-builtin/1.0";

    public AnalysisReport Analyze(AnalysisInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var text = input.LogContent ?? string.Empty;
        try
        {
            return Report(Normalizer.Normalize(text), input.ServiceName, input.Environment, input.Language);
        }
        catch (RegexMatchTimeoutException)
        {
            // The regexes carry short match timeouts as a guard against catastrophic backtracking. A timeout is
            // either a stalled CPU (GC pause, a saturated host) or a pathological long line: try once more with
            // long lines clipped, so neither turns into a failed analysis (found by the engine fuzz tests).
        }

        return Report(Normalizer.Normalize(ClipLines(text, MaxLineOnRetry)), input.ServiceName, input.Environment, input.Language);
    }

    /// <summary>Line length kept when a first attempt timed out; long enough for any real message and its stack frame.</summary>
    internal const int MaxLineOnRetry = 1024;

    internal static string ClipLines(string text, int max)
    {
        var builder = new System.Text.StringBuilder(Math.Min(text.Length, 1 << 20));
        foreach (var line in text.Split('\n'))
        {
            builder.Append(line.Length <= max ? line : line[..max]).Append('\n');
        }

        return builder.ToString(0, Math.Max(0, builder.Length - 1));
    }

    /// <summary>
    /// Whole-file analysis: the incidents in <paramref name="fileText"/>, grouped by the fingerprint of their
    /// deciding event, most important first (severity, then count, then first seen).
    /// </summary>
    public IReadOnlyList<Incident> AnalyzeIncidents(string fileText, string? serviceName = null, string? environment = null, string language = "en", int maxIncidents = 50)
    {
        ArgumentNullException.ThrowIfNull(fileText);
        return IncidentFinder.Find(fileText, serviceName, environment, language, maxIncidents);
    }

    internal static AnalysisReport Report(NormalizedLog log, string? service, string? environment, string? language)
    {
        var verdict = Classifier.Classify(log, environment);
        var deciding = log.Events.Count == 0 ? null : log.Events[verdict.DecidingEvent];
        var fingerprintSource = deciding is null ? string.Empty : Redactor.Redact(deciding.InnermostMessage.Trim());
        var text = Explainer.Explain(verdict, deciding, service, language);
        var evidence = new List<EvidenceLine>(verdict.EvidenceLines.Count);
        foreach (var number in verdict.EvidenceLines)
        {
            var line = LineText(log, number);
            if (line is not null)
            {
                evidence.Add(new EvidenceLine(number, Redactor.Redact(Clip(line.Trim(), 500))));
            }
        }

        return new AnalysisReport(
            Summary: Redactor.Redact(text.Summary),
            RootCause: Redactor.Redact(text.RootCause),
            Recommendation: Redactor.Redact(text.Recommendation),
            Severity: verdict.Severity,
            Confidence: verdict.Confidence,
            Category: verdict.Category,
            Fingerprint: TemplateFingerprint.Of(fingerprintSource),
            Evidence: evidence,
            Model: ModelName);
    }

    private static string? LineText(NormalizedLog log, int number)
    {
        foreach (var ev in log.Events)
        {
            for (var i = 0; i < ev.LineNumbers.Count; i++)
            {
                if (ev.LineNumbers[i] == number)
                {
                    return ev.Lines[i];
                }
            }
        }

        return null;
    }

    internal static string Clip(string s, int max) => s.Length <= max ? s : s[..max] + "…";
}
