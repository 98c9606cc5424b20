using System.Collections.Frozen;

namespace Bifrost.Feedback;

/// <summary>
/// The active corrections and resolution notes, in memory, by fingerprint: what the pipeline consults for every
/// analysis (a dictionary lookup; nothing at all while there are none). Reloaded whole from the store when the
/// feedback version changes — by this instance's own API at once, by others through <see cref="Knowledge.KnowledgeRefresher"/>.
/// </summary>
public sealed class CorrectionBook
{
    private volatile FeedbackKnowledge _current = FeedbackKnowledge.Empty;

    public FeedbackKnowledge Current => _current;

    public async Task ReloadAsync(IFeedbackStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        _current = FeedbackKnowledge.Build(await store.ActiveKnowledgeAsync(cancellationToken).ConfigureAwait(false));
    }
}

/// <summary>An immutable snapshot of corrections and notes by fingerprint.</summary>
public sealed class FeedbackKnowledge
{
    public static readonly FeedbackKnowledge Empty = new(FrozenDictionary<string, FeedbackEntry[]>.Empty);

    private readonly FrozenDictionary<string, FeedbackEntry[]> _byFingerprint;

    private FeedbackKnowledge(FrozenDictionary<string, FeedbackEntry[]> byFingerprint) => _byFingerprint = byFingerprint;

    public bool IsEmpty => _byFingerprint.Count == 0;

    public int Fingerprints => _byFingerprint.Count;

    /// <param name="entries">Active entries with a correction or a note.</param>
    public static FeedbackKnowledge Build(IEnumerable<FeedbackEntry> entries) => new(entries
        .Where(e => e.Active && (e.IsCorrection || e.Input.Note is not null))
        .GroupBy(e => e.Subject.Fingerprint, StringComparer.Ordinal)
        .ToFrozenDictionary(g => g.Key, g => g.OrderByDescending(e => e.UpdatedAt).ThenByDescending(e => e.Id).ToArray(), StringComparer.Ordinal));

    /// <summary>What the team said about this failure for this service; null when nothing applies.</summary>
    public TeamKnowledge? For(string fingerprint, string serviceName, int maxNotes)
    {
        if (!_byFingerprint.TryGetValue(fingerprint, out var entries))
        {
            return null;
        }

        // Newest first. A correction made for one service applies to that service only, and there it beats one made
        // for the failure everywhere; among equals the newest wins, field by field.
        var applicable = entries.Where(e => !e.Input.ServiceSpecific || string.Equals(e.Subject.ServiceName, serviceName, StringComparison.Ordinal)).ToArray();
        var corrections = applicable.Where(e => e.IsCorrection).OrderByDescending(e => e.Input.ServiceSpecific).ToArray();
        var category = corrections.FirstOrDefault(e => e.Input.Category is not null);
        var severity = corrections.FirstOrDefault(e => e.Input.Severity is not null);
        var notes = applicable.Where(e => e.Input.Note is not null).Take(Math.Max(0, maxNotes)).ToArray();
        if (category is null && severity is null && notes.Length == 0)
        {
            return null;
        }

        var agreeing = 0;
        var disagreeing = 0;
        foreach (var c in corrections)
        {
            var agrees = (c.Input.Category is null || c.Input.Category == category?.Input.Category)
                && (c.Input.Severity is null || c.Input.Severity == severity?.Input.Severity);
            if (agrees) agreeing++; else disagreeing++;
        }

        return new TeamKnowledge(category, severity, agreeing, disagreeing, notes);
    }
}

/// <summary>
/// The correction in force for one failure (category and severity each from the newest correction that set it) and
/// the latest resolution notes. <see cref="Agreeing"/>/<see cref="Disagreeing"/>: how many applicable corrections say
/// the same as the one in force, and how many said something else (history, superseded).
/// </summary>
public sealed record TeamKnowledge(FeedbackEntry? CategoryFrom, FeedbackEntry? SeverityFrom, int Agreeing, int Disagreeing, IReadOnlyList<FeedbackEntry> Notes)
{
    public bool HasCorrection => CategoryFrom is not null || SeverityFrom is not null;

    /// <summary>The newest of the entries in force: who to name.</summary>
    public FeedbackEntry? Latest => CategoryFrom is null ? SeverityFrom : SeverityFrom is null ? CategoryFrom
        : CategoryFrom.UpdatedAt >= SeverityFrom.UpdatedAt ? CategoryFrom : SeverityFrom;
}
