using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bifrost.Analysis.Redaction;
using Bifrost.Storage;

namespace Bifrost.Pipeline;

/// <summary>
/// The boundary every request crosses, whatever channel brought it: <see cref="AnalysisPipeline"/> calls
/// <see cref="Admit"/> first in each of its entry points, so nothing downstream (store, logs, analyzers, LLM prompts,
/// published results, WebSocket/gRPC feeds) ever sees a raw text field. A new channel only has to hand its requests
/// to the pipeline; channels that hold a request before that (the REST background queue) admit it themselves.
/// Redact first, clip second: the engine's quotes are cut from text that is already masked.
/// </summary>
public static class SubmissionBoundary
{
    /// <summary>
    /// Redacts every text field (<c>log_content</c>, <c>service_name</c>, <c>environment</c>, <c>analysis_type</c>)
    /// and the metadata's names and values, and computes the request's content digest. Identifiers
    /// (<c>request_id</c>, <c>correlation_id</c>) are kept as sent: callers match results by them
    /// (docs/security.md). Idempotent.
    /// </summary>
    public static AnalysisSubmission Admit(AnalysisSubmission submission)
    {
        ArgumentNullException.ThrowIfNull(submission);
        if (submission.Admitted)
        {
            return submission;
        }

        var admitted = submission with
        {
            LogContent = Redactor.Redact(submission.LogContent),
            ServiceName = Redactor.Redact(submission.ServiceName),
            Environment = Redactor.Redact(submission.Environment),
            AnalysisType = Redactor.Redact(submission.AnalysisType),
            MetadataJson = RedactMetadata(submission.MetadataJson),
            Admitted = true,
        };
        return admitted with { RequestHash = Digest(admitted) };
    }

    /// <summary>
    /// Whether <paramref name="stored"/> is the caller's request_id holding other content than
    /// <paramref name="admitted"/>: a reused id, answered 409 (never for Kafka, whose redeliveries re-publish).
    /// </summary>
    public static bool Conflicts(StoredAnalysis stored, AnalysisSubmission admitted)
    {
        ArgumentNullException.ThrowIfNull(admitted);
        return Conflicts(stored, admitted.Caller, admitted.RequestHash);
    }

    /// <summary>The same check for a request as stored (<see cref="NewAnalysis.Caller"/>, <see cref="NewAnalysis.RequestHash"/>).</summary>
    public static bool Conflicts(StoredAnalysis stored, string caller, string? requestHash)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(caller);
        return caller.Length > 0
            && stored.Request.RequestHash is { } hash
            && requestHash is not null
            && !string.Equals(hash, requestHash, StringComparison.Ordinal);
    }

    /// <summary>
    /// Metadata redacted by name and value (<see cref="JsonRedactor"/>). Channels refuse metadata over
    /// <see cref="MetadataLimits"/> with a clear reason; if one did not, the boundary stores a note instead of it
    /// rather than a row no reader could serialise.
    /// </summary>
    private static string RedactMetadata(string json)
    {
        if (string.IsNullOrWhiteSpace(json) || json == "{}")
        {
            return "{}";
        }

        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return "{}";
            }

            return MetadataLimits.Check(root) is { } reason
                ? JsonSerializer.Serialize(new Dictionary<string, string> { ["bifrost_dropped_metadata"] = "metadata " + reason })
                : JsonRedactor.Redact(root);
        }
        catch (JsonException)
        {
            return "{}";
        }
    }

    private static string Digest(AnalysisSubmission s)
    {
        var text = string.Join('\u001f', s.LogContent, s.ServiceName, s.Environment, s.Priority, s.AnalysisType, s.MetadataJson,
            s.LogId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
    }
}
