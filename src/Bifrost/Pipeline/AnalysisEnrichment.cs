using Bifrost.Analyzers;

namespace Bifrost.Pipeline;

/// <summary>
/// A named step between the analyzer and the store: it may change an analysis before it is stored and published
/// (a team's correction, cited runbooks, …). Enrichers run in registration order, once per batch of analyses, so a
/// step that needs the database asks once per batch. A step with nothing to add must cost nothing.
/// </summary>
public interface IAnalysisEnricher
{
    ValueTask EnrichAsync(IReadOnlyList<EnrichmentItem> items, CancellationToken cancellationToken);
}

/// <summary>One analysis on its way to the store: the request it answers and the outcome so far (replace it to change it).</summary>
public sealed class EnrichmentItem(AnalysisSubmission submission, AnalyzerOutcome outcome)
{
    public AnalysisSubmission Submission { get; } = submission;

    public AnalyzerOutcome Outcome { get; set; } = outcome;
}
