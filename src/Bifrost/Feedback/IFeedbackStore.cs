namespace Bifrost.Feedback;

/// <summary>
/// The <c>analysis_feedback</c> table. Every change to a correction or note bumps the <c>feedback</c> knowledge
/// version in the same transaction, so serving instances reload what they apply (<see cref="CorrectionBook"/>).
/// </summary>
public interface IFeedbackStore
{
    Task<FeedbackEntry> AddAsync(FeedbackSubject subject, FeedbackInput input, string author, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Replaces the entry's vote, correction and note; null when it does not exist or was withdrawn.</summary>
    Task<FeedbackEntry?> UpdateAsync(long id, FeedbackInput input, string by, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Withdraws the entry (it stays listed); null when it does not exist or was withdrawn already.</summary>
    Task<FeedbackEntry?> WithdrawAsync(long id, string by, DateTimeOffset at, CancellationToken cancellationToken);

    Task<FeedbackEntry?> GetAsync(long id, CancellationToken cancellationToken);

    Task<FeedbackPage> ListAsync(FeedbackQuery query, CancellationToken cancellationToken);

    /// <summary>Every entry not withdrawn that carries a correction or a note, oldest change first.</summary>
    Task<IReadOnlyList<FeedbackEntry>> ActiveKnowledgeAsync(CancellationToken cancellationToken);

    Task<FeedbackStats> StatsAsync(DateTimeOffset from, DateTimeOffset until, int topFingerprints, CancellationToken cancellationToken);

    /// <summary>Each analysis with an active correction, with its newest one (for the evaluation-corpus export).</summary>
    Task<IReadOnlyList<CorrectedExcerpt>> CorrectedExcerptsAsync(CancellationToken cancellationToken);
}
