using Bifrost.Analysis;
using Bifrost.Analyzers;
using Bifrost.Knowledge;
using Bifrost.Pipeline;
using Microsoft.Extensions.Options;

namespace Bifrost.Feedback;

/// <summary>
/// Applies what the team said about a failure to its next analysis: the correction in force replaces category and/or
/// severity (the summary says so, <c>engine</c>/<c>model</c> gain "+feedback", confidence follows agreement), and the
/// latest resolution notes end the recommendation. Withdrawn feedback is gone from <see cref="CorrectionBook"/>, so
/// the engine's own answer comes back by itself.
/// </summary>
public sealed class FeedbackEnricher(CorrectionBook book, IOptions<KnowledgeOptions> options, TimeProvider time) : IAnalysisEnricher
{
    /// <summary>Appended to <c>engine</c> and <c>model</c> of an analysis a correction changed.</summary>
    public const string OverrideSuffix = "+feedback";

    /// <summary>Heimdall stores <c>model</c> in 100 characters.</summary>
    private const int MaxModelChars = 100;

    public ValueTask EnrichAsync(IReadOnlyList<EnrichmentItem> items, CancellationToken cancellationToken)
    {
        var knowledge = book.Current;
        if (knowledge.IsEmpty)
        {
            return ValueTask.CompletedTask;
        }

        var now = time.GetUtcNow();
        foreach (var item in items)
        {
            if (knowledge.For(item.Outcome.Report.Fingerprint, item.Submission.ServiceName, options.Value.NotesShown) is { } team)
            {
                item.Outcome = Apply(item.Outcome, team, item.Submission.Language, now);
            }
        }

        return ValueTask.CompletedTask;
    }

    public static AnalyzerOutcome Apply(AnalyzerOutcome outcome, TeamKnowledge team, string language, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(team);
        var report = outcome.Report;
        var summary = report.Summary;
        var category = report.Category;
        var severity = report.Severity;
        var confidence = report.Confidence;
        var engine = outcome.Engine;
        var model = outcome.Model;
        if (team.HasCorrection)
        {
            var newCategory = team.CategoryFrom?.Input.Category;
            var newSeverity = team.SeverityFrom?.Input.Severity is { } s && Enum.TryParse<Severity>(s, ignoreCase: true, out var parsed) ? parsed : (Severity?)null;
            var latest = team.Latest!;
            summary = $"{summary} {FeedbackTexts.Correction(language, newCategory, newSeverity?.ToString(), report.Category, report.Severity.ToString(), latest.Author, FeedbackTexts.Ago(language, latest.UpdatedAt, now))}";
            var engineAgrees = (newCategory is null || newCategory == report.Category) && (newSeverity is null || newSeverity == report.Severity);
            category = newCategory ?? category;
            severity = newSeverity ?? severity;
            confidence = Confidence(team, engineAgrees);
            engine = engine.EndsWith(OverrideSuffix, StringComparison.Ordinal) ? engine : engine + OverrideSuffix;
            model = (model.Length + OverrideSuffix.Length > MaxModelChars ? model[..(MaxModelChars - OverrideSuffix.Length)] : model) + OverrideSuffix;
        }

        var recommendation = report.Recommendation;
        foreach (var note in team.Notes)
        {
            recommendation += "\n" + FeedbackTexts.LastTime(language, note.Input.Note!, note.Author, FeedbackTexts.Ago(language, note.UpdatedAt, now));
        }

        return outcome with
        {
            Report = report with { Summary = summary, Category = category, Severity = severity, Confidence = confidence, Recommendation = recommendation },
            Engine = engine,
            Model = model,
        };
    }

    /// <summary>
    /// A person's correction starts at 0.75; each further correction saying the same adds 0.05, the engine having said
    /// the same adds 0.1, each superseded correction that said otherwise takes 0.1 off (people disagreed). 0.40–0.97.
    /// </summary>
    internal static double Confidence(TeamKnowledge team, bool engineAgrees) =>
        Math.Round(Math.Clamp(0.75 + 0.05 * (team.Agreeing - 1) + (engineAgrees ? 0.1 : 0) - 0.1 * team.Disagreeing, 0.40, 0.97), 2);
}
