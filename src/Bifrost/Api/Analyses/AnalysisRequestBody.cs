using System.Text.Json;
using Bifrost.Pipeline;
using Bifrost.Storage;

namespace Bifrost.Api.Analyses;

/// <summary>
/// Body of <c>POST /api/v1/analysis/request</c> and <c>POST /api/v1/analysis</c> (the seed guide's fields, in
/// snake_case). Everything is nullable so a missing field is reported by <see cref="Validate"/> with its name
/// rather than as a deserialization error.
/// </summary>
public sealed record AnalysisRequestBody(
    string? LogContent,
    string? ServiceName,
    string? Environment,
    string? Priority = null,
    string? RequestId = null,
    string? CorrelationId = null,
    long? LogId = null,
    JsonElement? Metadata = null)
{
    public static readonly string[] Priorities = ["LOW", "NORMAL", "HIGH", "CRITICAL"];

    /// <summary>Field name (as sent) → reasons; empty when the body is valid.</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        Require(errors, "log_content", LogContent);
        Require(errors, "service_name", ServiceName);
        Require(errors, "environment", Environment);
        if (Priority is not null && !Priorities.Contains(Priority.Trim().ToUpperInvariant()))
        {
            errors["priority"] = [$"must be one of LOW, NORMAL, HIGH, CRITICAL (any case), not '{Priority}'"];
        }

        if (RequestId is not null && (RequestId.Trim().Length is 0 or > 128))
        {
            errors["request_id"] = ["must be 1 to 128 characters"];
        }
        else if (RequestId is not null && RequestId.AsSpan().ContainsAnyInRange('\u0000', '\u001f'))
        {
            errors["request_id"] = ["must not contain control characters"];
        }

        if (CorrelationId is not null && CorrelationId.Trim().Length == 0)
        {
            errors["correlation_id"] = ["must not be empty when given"];
        }

        if (Metadata is { } m && m.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
        {
            errors["metadata"] = [$"must be a JSON object or null, not {m.ValueKind.ToString().ToLowerInvariant()}"];
        }
        else if (Metadata is { ValueKind: JsonValueKind.Object } meta && MetadataLimits.Check(meta) is { } tooBig)
        {
            errors["metadata"] = [tooBig];
        }

        return errors;
    }

    /// <summary>
    /// The pipeline's submission for a valid body; request_id defaults to a new UUID, correlation_id to the request_id.
    /// <paramref name="caller"/> (<see cref="Auth.ApiCaller"/>) scopes the request_id: idempotent per caller.
    /// </summary>
    public AnalysisSubmission ToSubmission(string source, string caller = "")
    {
        var requestId = RequestId?.Trim() is { Length: > 0 } id ? id : Guid.NewGuid().ToString();
        return new AnalysisSubmission(
            RequestId: requestId,
            CorrelationId: CorrelationId?.Trim() is { Length: > 0 } c ? c : requestId,
            LogId: LogId ?? 0,
            LogContent: LogContent!,
            ServiceName: ServiceName!.Trim(),
            Environment: Environment!.Trim(),
            Priority: Priority?.Trim().ToUpperInvariant() ?? "NORMAL",
            MetadataJson: Metadata is { ValueKind: JsonValueKind.Object } m ? m.GetRawText() : "{}",
            Source: source,
            Caller: caller);
    }

    private static void Require(Dictionary<string, string[]> errors, string field, string? value)
    {
        if (value is null) errors[field] = ["is required"];
        else if (value.Trim().Length == 0) errors[field] = ["must not be empty"];
    }
}

/// <summary>Answer of <c>POST /api/v1/analysis/request</c>.</summary>
public sealed record AcceptedAnalysis(long AnalysisId, string Status, string Message, string RequestId);
