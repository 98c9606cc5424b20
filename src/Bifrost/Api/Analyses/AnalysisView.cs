using System.Text.Json;
using Bifrost.Storage;

namespace Bifrost.Api.Analyses;

// What the REST API and WebSocket return for a stored analysis. Property names go out in snake_case
// (the API's JSON naming policy), matching the Kafka contract's spelling.

/// <summary>A stored analysis: its status, the request it came from and, once COMPLETED, the result.</summary>
public sealed record AnalysisView(
    long AnalysisId,
    string Status,
    RequestView Request,
    ResultView? Result,
    string? Model,
    string? Engine,
    double? DurationSeconds,
    int Attempts,
    string? Error,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt)
{
    public static AnalysisView From(StoredAnalysis a, bool includeLogContent = false) => new(
        a.Id,
        a.Status.ToString(),
        RequestView.From(a.Request, includeLogContent),
        a.Result is { } r ? ResultView.From(r) : null,
        a.Result?.Model,
        a.Result?.Engine,
        a.Result?.DurationSeconds,
        a.Attempts,
        a.Error,
        a.Request.ReceivedAt,
        a.StartedAt,
        a.CompletedAt);
}

/// <summary>
/// The request fields as stored (log content already redacted; only in single-analysis responses), with the dialect it
/// came in (guide | v1 | v2) and Heimdall release 2's tenant.
/// </summary>
public sealed record RequestView(
    string RequestId,
    string CorrelationId,
    long LogId,
    string ServiceName,
    string Environment,
    string Priority,
    string Source,
    JsonElement? Metadata,
    string? LogContent,
    string Dialect = "guide",
    string? TenantId = null)
{
    public static RequestView From(NewAnalysis r, bool includeLogContent) => new(
        r.RequestId,
        r.CorrelationId,
        r.LogId,
        r.ServiceName,
        r.Environment,
        r.Priority,
        r.Source,
        ParseMetadata(r.MetadataJson),
        includeLogContent ? r.LogContent : null,
        r.Dialect,
        r.TenantId);

    /// <summary>
    /// Deepest metadata a view carries. Requests are refused above <see cref="Pipeline.MetadataLimits.MaxDepth"/>;
    /// a row stored before that limit (or by another writer) deeper than this is shown as a note, because a
    /// response nests it a few levels down and System.Text.Json writes at most 64: one such row used to turn every
    /// list, pattern and WebSocket answer that included it into a 500 for everyone.
    /// </summary>
    internal const int MaxMetadataDepth = 32;

    private static JsonElement? ParseMetadata(string json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = MaxMetadataDepth });
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return UnreadableMetadata;
        }
    }

    private static readonly JsonElement UnreadableMetadata =
        JsonDocument.Parse("""{"bifrost_unreadable_metadata":"stored metadata is not JSON of at most 32 levels; not shown"}""").RootElement.Clone();
}

/// <summary>What the analyzer concluded.</summary>
public sealed record ResultView(
    string Summary,
    string RootCause,
    string Recommendation,
    string Severity,
    double Confidence,
    string Category,
    string Fingerprint,
    IReadOnlyList<EvidenceView> Evidence,
    DateTimeOffset Timestamp)
{
    public static ResultView From(AnalysisResultData r) => new(
        r.Summary, r.RootCause, r.Recommendation, r.Severity, r.Confidence, r.Category, r.Fingerprint, ParseEvidence(r.EvidenceJson), r.ResultAt);

    internal static IReadOnlyList<EvidenceView> ParseEvidence(string json)
    {
        if (string.IsNullOrWhiteSpace(json)) return [];
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Array) return [];
            var lines = new List<EvidenceView>();
            foreach (var e in doc.RootElement.EnumerateArray())
            {
                var line = e.TryGetProperty("line", out var l) && l.TryGetInt32(out var n) ? n : 0;
                var text = e.TryGetProperty("text", out var t) ? t.GetString() ?? "" : "";
                lines.Add(new EvidenceView(line, text));
            }

            return lines;
        }
        catch (JsonException)
        {
            return [];
        }
    }
}

public sealed record EvidenceView(int Line, string Text);
