using Bifrost.Api.Analyses;
using Bifrost.Api.V1;
using Bifrost.Storage;
using Google.Protobuf.WellKnownTypes;

namespace Bifrost.Api.Grpc;

/// <summary>Between the protobuf messages and the pipeline's records (same validation as REST).</summary>
internal static class GrpcMapping
{
    public static AnalysisRequestBody ToBody(AnalyzeRequest r) => new(
        LogContent: r.LogContent,
        ServiceName: r.ServiceName,
        Environment: r.Environment,
        Priority: Empty(r.Priority),
        RequestId: Empty(r.RequestId),
        CorrelationId: Empty(r.CorrelationId),
        LogId: r.LogId,
        Metadata: r.Metadata.Count == 0 ? null : System.Text.Json.JsonSerializer.SerializeToElement(r.Metadata.ToDictionary(kv => kv.Key, kv => kv.Value)));

    /// <summary>"field: reason; field: reason" — the gRPC status detail for an invalid request.</summary>
    public static string Describe(Dictionary<string, string[]> errors) =>
        string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}"));

    public static string ConflictMessage(StoredAnalysis stored) =>
        $"request_id '{stored.RequestId}' was already used by this caller for a different request; send a new request_id";

    public static AnalysisRecord ToRecord(StoredAnalysis a)
    {
        var record = new AnalysisRecord
        {
            AnalysisId = a.Id,
            Status = a.Status.ToString(),
            RequestId = a.Request.RequestId,
            CorrelationId = a.Request.CorrelationId,
            LogId = a.Request.LogId,
            ServiceName = a.Request.ServiceName,
            Environment = a.Request.Environment,
            Priority = a.Request.Priority,
            Source = a.Request.Source,
            Error = a.Error ?? "",
            ReceivedAt = Timestamp.FromDateTimeOffset(a.Request.ReceivedAt),
        };
        if (a.CompletedAt is { } completed) record.CompletedAt = Timestamp.FromDateTimeOffset(completed);
        if (a.Result is { } r)
        {
            record.Model = r.Model;
            record.DurationSeconds = r.DurationSeconds;
            var result = new AnalysisResult
            {
                Summary = r.Summary,
                RootCause = r.RootCause,
                Recommendation = r.Recommendation,
                Severity = r.Severity,
                Confidence = r.Confidence,
                Category = r.Category,
                Fingerprint = r.Fingerprint,
            };
            result.Evidence.AddRange(ResultView.ParseEvidence(r.EvidenceJson).Select(e => new EvidenceLine { Line = e.Line, Text = e.Text }));
            record.Result = result;
        }

        return record;
    }

    private static string? Empty(string value) => value.Length == 0 ? null : value;
}
