using Bifrost.Analysis.Redaction;

namespace Bifrost.Analysis;

/// <summary>
/// The built-in engine's entry point: excerpt in, report out. Pure and thread-safe; no I/O, no clock.
/// PLACEHOLDER rules until the full engine (normalise → redact → mine → classify → explain) lands.
/// </summary>
public sealed class LogAnalyzer
{
    public const string ModelName = "bifrost-builtin/0.1";

    public AnalysisReport Analyze(AnalysisInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var lines = input.LogContent.Split('\n');
        var evidence = new List<EvidenceLine>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Contains("ERROR", StringComparison.OrdinalIgnoreCase)
                || lines[i].Contains("Exception", StringComparison.Ordinal)
                || lines[i].Contains("Error:", StringComparison.Ordinal))
            {
                evidence.Add(new EvidenceLine(i + 1, Redactor.Redact(lines[i].Trim())));
            }
        }

        var first = evidence.Count > 0 ? evidence[0].Text : Redactor.Redact(lines[0].Trim());
        var service = string.IsNullOrWhiteSpace(input.ServiceName) ? "the service" : input.ServiceName;
        return new AnalysisReport(
            Summary: $"{service} logged: {Truncate(first, 200)}",
            RootCause: "The excerpt does not name a cause this engine recognises.",
            Recommendation: $"Inspect {service}'s logs around this line and the component it names.",
            Severity: evidence.Count > 0 ? Severity.MEDIUM : Severity.LOW,
            Confidence: 0.2,
            Category: "unknown",
            Fingerprint: Templates.TemplateFingerprint.Of(first),
            Evidence: evidence,
            Model: ModelName);
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max] + "…";
}
