using System.Text.RegularExpressions;
using Bifrost.Analysis.Explanation;
using Bifrost.Analysis.Normalization;
using Bifrost.Analysis.Redaction;
using Bifrost.Analysis.Signatures;
using Bifrost.Analysis.Templates;

namespace Bifrost.Analysis;

/// <summary>
/// The built-in engine's entry point: excerpt in, report out. redact → normalise → fingerprint → classify → explain.
/// Redaction comes first so every quote the engine clips (summary 160, details 120, evidence 500 characters) is cut
/// from text that is already masked: a secret straddling a cut can never come out half-masked.
/// Pure and thread-safe (no shared mutable state); no I/O, no clock.
/// </summary>
public sealed class LogAnalyzer
{
    public const string ModelName = "bifrost-builtin/1.0";

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "The engine is an injected service; callers hold an instance, not the type")]
    public AnalysisReport Analyze(AnalysisInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var log = Normalizer.Normalize(Redactor.Redact(input.LogContent ?? string.Empty));
        try
        {
            return Report(log, input.ServiceName, input.Environment, input.Language);
        }
        catch (RegexMatchTimeoutException)
        {
            // last line of defence: every regex call already degrades to "no match"; an answer beats a crash
            return Report(new NormalizedLog(log.Shape, [], log.TotalLines, log.Reduced), input.ServiceName, input.Environment, input.Language);
        }
    }

    /// <summary>
    /// Whole-file analysis: the incidents in <paramref name="fileText"/>, grouped by the fingerprint of their
    /// deciding event, most important first (severity, then count, then first seen).
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "The engine is an injected service; callers hold an instance, not the type")]
    public IReadOnlyList<Incident> AnalyzeIncidents(string fileText, string? serviceName = null, string? environment = null, string language = "en", int maxIncidents = 50)
    {
        ArgumentNullException.ThrowIfNull(fileText);
        return IncidentFinder.Find(fileText, serviceName, environment, language, maxIncidents);
    }

    /// <summary>Builds the report of a normalised log whose text is already redacted.</summary>
    internal static AnalysisReport Report(NormalizedLog log, string? service, string? environment, string? language)
    {
        // only the entities the explanation of the winning category reads are extracted
        var verdict = Classifier.Classify(log, environment, Explainer.EntitiesNeeded);
        var deciding = log.Events.Count == 0 ? null : log.Events[verdict.DecidingEvent];
        var fingerprintSource = deciding is null ? string.Empty : deciding.InnermostMessage.Trim();
        var text = Explainer.Explain(verdict, deciding, service, language);
        var evidence = new List<EvidenceLine>(verdict.EvidenceLines.Count);
        foreach (var number in verdict.EvidenceLines)
        {
            var line = LineText(log, number);
            if (line is not null)
            {
                evidence.Add(new EvidenceLine(number, Redactor.Clip(line.Trim(), 500)));
            }
        }

        // The excerpt was redacted before normalisation; the service and environment names come from the caller and
        // may not have been, so the assembled texts are masked once more (idempotent on what is already masked).
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
}
