using Bifrost.Analysis.Normalization;

namespace Bifrost.Analysis.Signatures;

/// <summary>The classifier's verdict on one excerpt, before any text is written.</summary>
/// <param name="Score">Strength of the winning evidence (≈ weight of the best signature after level/depth factors).</param>
/// <param name="Margin">Winning score minus the best other category's score.</param>
/// <param name="DecidingEvent">Index of the event whose evidence won (or of the most salient event when unknown).</param>
/// <param name="EvidenceLines">Original 1-based line numbers of the lines that decided, in order.</param>
/// <param name="Recovered">A later line shows the failure was retried successfully or resolved.</param>
public sealed record Classification(
    string Category,
    Severity Severity,
    double Confidence,
    double Score,
    double Margin,
    string? RunnerUp,
    int DecidingEvent,
    IReadOnlyList<int> EvidenceLines,
    Entities Entities,
    bool Recovered)
{
    /// <summary>The excerpt has no error-level or exception-shaped event: nothing failed ("no failure found").</summary>
    public bool NoFailure { get; init; }

    /// <summary>What the excerpt shows about the failure's reach (process down, request failed, retried, ...).</summary>
    internal ImpactSignals? Impact { get; init; }

    /// <summary>What makes this failure specific: decisive line, likely cause, frame, targets, values.</summary>
    public Diagnosis Diagnosis { get; init; } = Diagnosis.None;
}
