namespace Bifrost.Analysis;

/// <summary>What the engine concluded about one excerpt. Every text field is already redacted.</summary>
/// <param name="Summary">One or two sentences: what happened.</param>
/// <param name="RootCause">Why it happened.</param>
/// <param name="Recommendation">What to do about it, concretely.</param>
/// <param name="Severity">Graded by the taxonomy's rules, environment included.</param>
/// <param name="Confidence">0..1, rounded to 2 decimals; calibrated (0.9 means right ~9 times in 10).</param>
/// <param name="Category">A taxonomy id, e.g. <c>database.pool_exhausted</c>, or <c>unknown</c>.</param>
/// <param name="Fingerprint">Stable id of the failure's template: same failure, different ids/hosts/times → same value.</param>
/// <param name="Evidence">The lines that decided the category, in excerpt order.</param>
/// <param name="Model">The engine's name and version, e.g. <c>bifrost-builtin/1.0</c>.</param>
public sealed record AnalysisReport(
    string Summary,
    string RootCause,
    string Recommendation,
    Severity Severity,
    double Confidence,
    string Category,
    string Fingerprint,
    IReadOnlyList<EvidenceLine> Evidence,
    string Model);

/// <summary>One line of the excerpt that supports the conclusion (1-based line number in the original excerpt).</summary>
public sealed record EvidenceLine(int LineNumber, string Text);
