using Bifrost.Knowledge;
using Bifrost.Storage;

namespace Bifrost.Feedback;

/// <summary>Why a feedback change was refused: a status (400/404/409) and what to tell the caller.</summary>
public sealed record FeedbackRefusal(int Status, string Detail, Dictionary<string, string[]>? Errors = null);

/// <summary>
/// Adding, editing and withdrawing feedback, the same for REST, gRPC and the dashboard: checks the input, stores it
/// under the caller's key name, and makes this instance apply it to the very next analysis.
/// </summary>
public sealed class FeedbackService(IFeedbackStore store, IAnalysisStore analyses, KnowledgeRefresher refresher, TimeProvider time)
{
    private static readonly string[] Severities = ["LOW", "MEDIUM", "HIGH", "CRITICAL"];

    public async Task<(FeedbackEntry? Entry, FeedbackRefusal? Refusal)> AddAsync(long analysisId, FeedbackInput input, string author, CancellationToken cancellationToken)
    {
        if (Validate(input) is { } invalid)
        {
            return (null, invalid);
        }

        var analysis = await analyses.GetAsync(analysisId, cancellationToken).ConfigureAwait(false);
        if (analysis is null)
        {
            return (null, new FeedbackRefusal(404, $"no analysis with id {analysisId}"));
        }

        if (analysis.Result is not { } result)
        {
            return (null, new FeedbackRefusal(409, $"analysis {analysisId} is {analysis.Status}: feedback needs a completed analysis"));
        }

        var subject = new FeedbackSubject(analysis.Id, result.Fingerprint, analysis.Request.ServiceName, result.Category, result.Severity, result.Engine);
        var entry = await store.AddAsync(subject, input.Normalize(), author, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await refresher.ChangedAsync(KnowledgeVersions.Feedback, cancellationToken).ConfigureAwait(false);
        return (entry, null);
    }

    public async Task<(FeedbackEntry? Entry, FeedbackRefusal? Refusal)> UpdateAsync(long id, FeedbackInput input, string by, CancellationToken cancellationToken)
    {
        if (Validate(input) is { } invalid)
        {
            return (null, invalid);
        }

        var entry = await store.UpdateAsync(id, input.Normalize(), by, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return await ResultAsync(id, entry, cancellationToken).ConfigureAwait(false);
    }

    public async Task<(FeedbackEntry? Entry, FeedbackRefusal? Refusal)> WithdrawAsync(long id, string by, CancellationToken cancellationToken)
    {
        var entry = await store.WithdrawAsync(id, by, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return await ResultAsync(id, entry, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A changed entry: this instance applies it from the next analysis on. None: why not.</summary>
    private async Task<(FeedbackEntry? Entry, FeedbackRefusal? Refusal)> ResultAsync(long id, FeedbackEntry? changed, CancellationToken cancellationToken)
    {
        if (changed is null)
        {
            return (null, await MissingOrWithdrawnAsync(id, cancellationToken).ConfigureAwait(false));
        }

        await refresher.ChangedAsync(KnowledgeVersions.Feedback, cancellationToken).ConfigureAwait(false);
        return (changed, null);
    }

    private async Task<FeedbackRefusal> MissingOrWithdrawnAsync(long id, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken).ConfigureAwait(false) is { WithdrawnAt: { } at } withdrawn
            ? new FeedbackRefusal(409, $"feedback {id} was withdrawn by {withdrawn.WithdrawnBy} at {at:yyyy-MM-dd HH:mm:ss}Z; add new feedback instead")
            : new FeedbackRefusal(404, $"no feedback with id {id}");

    /// <summary>Field (as sent) → reasons; null when the input is usable.</summary>
    public static FeedbackRefusal? Validate(FeedbackInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var category = input.Category?.Trim();
        if (!string.IsNullOrEmpty(category) && (!Llm.TaxonomyCategories.IsKnown(category) || category == Llm.TaxonomyCategories.Unknown))
        {
            errors["category"] = [$"must be a taxonomy category id (e.g. database.pool_exhausted), not '{Clip(category)}'"];
        }

        var severity = input.Severity?.Trim();
        if (!string.IsNullOrEmpty(severity) && !Severities.Contains(severity.ToUpperInvariant()))
        {
            errors["severity"] = [$"must be one of LOW, MEDIUM, HIGH, CRITICAL, not '{Clip(severity)}'"];
        }

        if (input.Note is { Length: > FeedbackInput.MaxNoteChars })
        {
            errors["note"] = [$"must be at most {FeedbackInput.MaxNoteChars} characters"];
        }

        if (input.ServiceSpecific && string.IsNullOrEmpty(category) && string.IsNullOrEmpty(severity))
        {
            errors["service_specific"] = ["applies to a correction: give category and/or severity"];
        }

        if (errors.Count == 0 && input.Normalize().IsEmpty)
        {
            errors["$"] = ["give at least one of helpful, category, severity or note"];
        }

        return errors.Count == 0 ? null : new FeedbackRefusal(400, string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")), errors);
    }

    private static string Clip(string s) => s.Length <= 60 ? s : s[..60] + "…";
}
