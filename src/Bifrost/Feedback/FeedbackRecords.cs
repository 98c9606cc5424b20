namespace Bifrost.Feedback;

/// <summary>
/// What someone said about an analysis: any combination of a vote (helpful or not), a correction of category and/or
/// severity, and a resolution note. Notes arrive already redacted and clipped (see <see cref="FeedbackInput.Normalize"/>).
/// </summary>
/// <param name="ServiceSpecific">The correction applies only to this analysis's service, not to the same failure everywhere.</param>
public sealed record FeedbackInput(bool? Helpful = null, string? Category = null, string? Severity = null, bool ServiceSpecific = false, string? Note = null)
{
    public const int MaxNoteChars = 2000;

    public bool IsCorrection => Category is not null || Severity is not null;

    public bool IsEmpty => Helpful is null && !IsCorrection && Note is null;

    /// <summary>Trimmed, empty strings as null, severity upper case, the note redacted first and clipped second.</summary>
    public FeedbackInput Normalize()
    {
        static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
        var note = Blank(Note) is { } n ? Clip(Analysis.Redaction.Redactor.Redact(n), MaxNoteChars) : null;
        return this with { Category = Blank(Category), Severity = Blank(Severity)?.ToUpperInvariant(), Note = note };
    }

    private static string Clip(string s, int max) => s.Length <= max ? s : s[..max] + "…";
}

/// <summary>The analysis the feedback is about, as it was shown (its category and severity may themselves carry an earlier correction).</summary>
public sealed record FeedbackSubject(long AnalysisId, string Fingerprint, string ServiceName, string Category, string Severity, string Engine);

/// <summary>One stored feedback row. Never deleted: a withdrawn one stays listed with <see cref="WithdrawnAt"/>.</summary>
public sealed record FeedbackEntry(
    long Id,
    FeedbackSubject Subject,
    FeedbackInput Input,
    string Author,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string UpdatedBy,
    DateTimeOffset? WithdrawnAt,
    string? WithdrawnBy)
{
    public bool Active => WithdrawnAt is null;

    public bool IsCorrection => Input.IsCorrection;
}

/// <summary>Filters for listing feedback; newest first (by id), cursor-paged.</summary>
/// <param name="Kind">helpful | unhelpful | correction | note.</param>
public sealed record FeedbackQuery(
    long? AnalysisId = null,
    string? Fingerprint = null,
    string? ServiceName = null,
    string? Author = null,
    string? Kind = null,
    bool IncludeWithdrawn = true,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    int Limit = 50,
    long? Before = null);

public sealed record FeedbackPage(IReadOnlyList<FeedbackEntry> Items, long? NextBefore);

/// <summary>Helpful and not-helpful votes of one group (a category, service, engine or day).</summary>
public sealed record HelpfulCount(string Key, long Helpful, long Unhelpful)
{
    public long Votes => Helpful + Unhelpful;

    public double? HelpfulRate => Votes == 0 ? null : Math.Round((double)Helpful / Votes, 3);
}

/// <summary>A failure people keep marking unhelpful: the queue for improving the engine.</summary>
public sealed record UnhelpfulFingerprint(string Fingerprint, long Unhelpful, long Helpful, long LatestAnalysisId, string Category, string ServiceName, string? Summary);

/// <summary>Votes (not withdrawn) given in [From, To), grouped.</summary>
public sealed record FeedbackStats(
    DateTimeOffset From,
    DateTimeOffset To,
    HelpfulCount Total,
    IReadOnlyList<HelpfulCount> ByCategory,
    IReadOnlyList<HelpfulCount> ByService,
    IReadOnlyList<HelpfulCount> ByEngine,
    IReadOnlyList<HelpfulCount> ByDay,
    IReadOnlyList<UnhelpfulFingerprint> MostUnhelpful,
    long Corrections,
    long Notes);

/// <summary>A corrected excerpt for <c>bifrost feedback export</c>: the analysis as stored plus its newest active correction.</summary>
public sealed record CorrectedExcerpt(FeedbackEntry Correction, string LogContent, string Environment);
