namespace Bifrost.Storage;

/// <summary>Life cycle of one stored analysis. The names are stored and shown as-is.</summary>
#pragma warning disable CA1707
public enum AnalysisStatus
{
    RECEIVED = 0,
    PROCESSING = 1,
    COMPLETED = 2,
    FAILED = 3,
}
#pragma warning restore CA1707

/// <summary>Where a request came in.</summary>
public static class AnalysisSources
{
    public const string Kafka = "kafka";
    public const string Rest = "rest";
    public const string Grpc = "grpc";

    /// <summary><c>bifrost analyze</c>: never stored, but admitted at the same boundary as the others.</summary>
    public const string Cli = "cli";
}

/// <summary>
/// A request as it is stored: validated request fields, every text already redacted (see
/// <see cref="Pipeline.SubmissionBoundary"/>). Timestamps are truncated to milliseconds by the caller so both
/// stores round-trip them exactly.
/// </summary>
/// <param name="Dialect">guide | v1 | v2: the contract the request came in (Bifrost.Heimdall.Dialects).</param>
/// <param name="TenantId">Heimdall release 2's tenant, when it sent one.</param>
/// <param name="Caller">Whose request_id namespace this is: "" for Kafka (Heimdall is one caller, the contract's
/// semantics), <c>key:ID</c> or <c>anonymous</c> for the API (see <see cref="StorageKey"/>).</param>
/// <param name="RequestHash">Digest of the redacted request content, so a reused request_id with different
/// content is told apart (409) from a retry (null on rows stored before it existed).</param>
public sealed record NewAnalysis(
    string RequestId,
    string CorrelationId,
    long LogId,
    string ServiceName,
    string Environment,
    string Priority,
    string AnalysisType,
    string CallbackTopic,
    string MetadataJson,
    string LogContent,
    string Source,
    DateTimeOffset RequestTimestamp,
    DateTimeOffset ReceivedAt,
    string Dialect = "guide",
    string? TenantId = null,
    string Caller = "",
    string? RequestHash = null)
{
    /// <summary>Separates the caller from the request_id in <see cref="StorageKey"/> (request ids may not contain control characters).</summary>
    public const char ScopeSeparator = '\u001f';

    /// <summary>
    /// The unique key of the <c>request_id</c> column: the request_id itself for Kafka (so existing rows and the
    /// contract keep their meaning), <c>caller␟request_id</c> for API callers, so one caller's id can never reach
    /// another caller's analysis.
    /// </summary>
    public string StorageKey => ToStorageKey(Caller, RequestId);

    public static string ToStorageKey(string caller, string requestId) => caller.Length == 0 ? requestId : caller + ScopeSeparator + requestId;

    /// <summary>The caller and request_id a stored key holds.</summary>
    public static (string Caller, string RequestId) FromStorageKey(string key)
    {
        var separator = key.IndexOf(ScopeSeparator, StringComparison.Ordinal);
        return separator < 0 ? ("", key) : (key[..separator], key[(separator + 1)..]);
    }
}

/// <summary>What an analyzer concluded, as stored (and re-published byte-for-byte on redelivery).</summary>
/// <param name="EvidenceJson">JSON array of <c>{"line":n,"text":"..."}</c>.</param>
/// <param name="Confidence">0..1, rounded to 2 decimals.</param>
/// <param name="DurationSeconds">Analysis time, rounded to 3 decimals.</param>
/// <param name="ResultAt">The result's <c>timestamp</c>.</param>
/// <param name="PromptTokens">LLM tokens of the prompt(s) sent (0 when no LLM call was made).</param>
/// <param name="CompletionTokens">LLM tokens of the answer(s) received.</param>
public sealed record AnalysisResultData(
    string Summary,
    string RootCause,
    string Recommendation,
    string Severity,
    double Confidence,
    string Category,
    string Fingerprint,
    string EvidenceJson,
    string Model,
    string Engine,
    double DurationSeconds,
    int TokensUsed,
    bool CacheHit,
    bool Fallback,
    DateTimeOffset ResultAt,
    int PromptTokens = 0,
    int CompletionTokens = 0);

/// <summary>One row of the store. <see cref="Id"/> is the published <c>bifrost_analysis_id</c>.</summary>
public sealed record StoredAnalysis(
    long Id,
    NewAnalysis Request,
    AnalysisStatus Status,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    int Attempts,
    string? Error,
    AnalysisResultData? Result)
{
    public string RequestId => Request.RequestId;
}

/// <summary>Outcome of get-or-create: the stored row and whether this call inserted it.</summary>
public sealed record GetOrCreateResult(StoredAnalysis Analysis, bool Created)
{
    /// <summary>The row a fresh insert of <paramref name="request"/> holds (what the store would read back).</summary>
    public static StoredAnalysis Inserted(long id, NewAnalysis request, AnalysisStatus initialStatus) =>
        initialStatus == AnalysisStatus.PROCESSING
            ? new StoredAnalysis(id, request, initialStatus, request.ReceivedAt, null, 1, null, null)
            : new StoredAnalysis(id, request, initialStatus, null, null, 0, null, null);
}

/// <summary>
/// A request analysed before it was stored (the built-in engine answers in microseconds): stored in one write,
/// already COMPLETED, instead of a PROCESSING row first and the result after.
/// </summary>
public sealed record FinishedAnalysis(NewAnalysis Request, DateTimeOffset StartedAt, DateTimeOffset CompletedAt, AnalysisResultData Result)
{
    /// <summary>The row a fresh insert holds (what the store would read back).</summary>
    public StoredAnalysis Inserted(long id) => new(id, Request, AnalysisStatus.COMPLETED, StartedAt, CompletedAt, 1, null, Result);
}

/// <summary>
/// A status transition. PROCESSING sets <see cref="Attempts"/> and started_at; COMPLETED sets the result (and
/// started_at if the row never had one);
/// FAILED sets <see cref="Error"/>. A COMPLETED row is never changed again (first completion wins).
/// <paramref name="Current"/>, when the caller has the row, spares the store sending it back (it returns
/// <c>Current</c> with the change applied when the change was applied, else the row as stored).
/// </summary>
public sealed record StatusUpdate(
    long Id,
    AnalysisStatus Status,
    DateTimeOffset At,
    int Attempts,
    string? Error = null,
    AnalysisResultData? Result = null,
    StoredAnalysis? Current = null)
{
    /// <summary>What the row looks like after this update, given the row before it.</summary>
    public StoredAnalysis ApplyTo(StoredAnalysis row) => Status switch
    {
        AnalysisStatus.PROCESSING => row with { Status = Status, Attempts = Attempts, StartedAt = At },
        AnalysisStatus.RECEIVED => row with { Status = Status, Attempts = Attempts },
        AnalysisStatus.FAILED => row with { Status = Status, Attempts = Attempts, Error = Error ?? "failed", CompletedAt = At },
        // A row completed straight from RECEIVED (an instant analyzer) started when it completed.
        _ => row with { Status = Status, Attempts = Attempts, Error = null, StartedAt = row.StartedAt ?? At, CompletedAt = At, Result = Result },
    };
}

/// <summary>Filters for listing analyses; every filter is optional. Newest first.</summary>
/// <param name="Text">Case-insensitive substring of summary, root cause, recommendation or log content.</param>
/// <param name="Cursor">Opaque cursor from the previous page's <see cref="AnalysisPage.NextCursor"/>.</param>
/// <param name="TenantId">Heimdall release 2's tenant.</param>
/// <param name="Offset">Rows to skip (the original service's <c>POST /history</c> pages by offset; prefer the cursor).</param>
public sealed record AnalysisQuery(
    string? ServiceName = null,
    string? Environment = null,
    string? Severity = null,
    string? Category = null,
    AnalysisStatus? Status = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    string? Text = null,
    string? Fingerprint = null,
    int Limit = 50,
    string? Cursor = null,
    string? TenantId = null,
    int Offset = 0);

public sealed record AnalysisPage(IReadOnlyList<StoredAnalysis> Items, string? NextCursor);

/// <summary>Counts over a window [From, To) of received_at.</summary>
public sealed record AnalysisStats(
    DateTimeOffset From,
    DateTimeOffset To,
    long Total,
    IReadOnlyDictionary<string, long> BySeverity,
    IReadOnlyDictionary<string, long> ByCategory,
    IReadOnlyDictionary<string, long> ByService,
    IReadOnlyDictionary<string, long> ByStatus);

/// <summary>A recurring failure template: how often it was seen in the window and its latest analysis.</summary>
public sealed record FingerprintSummary(string Fingerprint, long Count, DateTimeOffset LastSeen, StoredAnalysis Latest);
