using System.Text;
using System.Text.Json;
using Bifrost.Messaging;
using Bifrost.Storage;

namespace Bifrost.Heimdall;

/// <summary>
/// Release 2's <c>analysis.result</c>, keyed by job_id: exactly its DTO's keys (status SUCCEEDED or FAILED, the
/// analysis' fields flat, model_used/token_usage/latency_ms for what really ran, error_code/error_message when it
/// failed), within its column limits. A job whose analysis failed gets a FAILED result — without one it stays RUNNING.
/// </summary>
public static class V2ResultMessage
{
    public const string Succeeded = "SUCCEEDED";
    public const string Failed = "FAILED";

    public static byte[] Key(V2Reply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return Encoding.UTF8.GetBytes(reply.JobId);
    }

    /// <summary>The stored analysis (COMPLETED or FAILED) as the answer to <paramref name="reply"/>.</summary>
    public static byte[] Value(StoredAnalysis analysis, V2Reply reply)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        if (analysis.Status != AnalysisStatus.COMPLETED || analysis.Result is null)
        {
            var failedAt = analysis.CompletedAt ?? analysis.Request.ReceivedAt;
            var spent = analysis.StartedAt is { } started ? (failedAt - started).TotalSeconds : 0;
            return FailedValue(reply, FailureCodes.Of(analysis.Error), analysis.Error ?? "analysis failed", failedAt, spent);
        }

        var result = analysis.Result;
        var w = Start(reply);
        w.WriteString("status"u8, Succeeded);
        w.WriteString("summary"u8, result.Summary);
        w.WriteString("root_cause"u8, result.RootCause);
        w.WriteString("recommendation"u8, result.Recommendation);
        w.WriteString("severity"u8, HeimdallLimits.Clip(result.Severity, HeimdallLimits.Severity));
        w.WriteNumber("confidence"u8, HeimdallLimits.Confidence(result.Confidence));
        w.WriteString("model_used"u8, HeimdallLimits.Clip(result.Model, HeimdallLimits.Model));
        if (result.TokensUsed > 0 || result.PromptTokens > 0 || result.CompletionTokens > 0)
        {
            w.WriteStartObject("token_usage"u8);
            w.WriteNumber("prompt_tokens"u8, result.PromptTokens);
            w.WriteNumber("completion_tokens"u8, result.CompletionTokens);
            w.WriteNumber("total_tokens"u8, Math.Max(result.TokensUsed, result.PromptTokens + result.CompletionTokens));
            w.WriteEndObject();
        }
        else
        {
            // No language model ran (the built-in engine, or an LLM answer taken from the cache): nothing was spent.
            w.WriteNull("token_usage"u8);
        }

        w.WriteNumber("latency_ms"u8, HeimdallLimits.Milliseconds(result.DurationSeconds));
        w.WriteNull("error_code"u8);
        w.WriteNull("error_message"u8);
        return Finish(w, reply, result.ResultAt);
    }

    /// <summary>A FAILED result for a job that has no stored analysis to report (e.g. its log was never found).</summary>
    public static byte[] FailedValue(V2Reply reply, string errorCode, string errorMessage, DateTimeOffset at, double secondsSpent)
    {
        var w = Start(reply);
        w.WriteString("status"u8, Failed);
        w.WriteNull("summary"u8);
        w.WriteNull("root_cause"u8);
        w.WriteNull("recommendation"u8);
        w.WriteNull("severity"u8);
        w.WriteNull("confidence"u8);
        w.WriteNull("model_used"u8);
        w.WriteNull("token_usage"u8);
        w.WriteNumber("latency_ms"u8, HeimdallLimits.Milliseconds(secondsSpent));
        w.WriteString("error_code"u8, HeimdallLimits.Clip(errorCode, HeimdallLimits.ErrorCode));
        w.WriteString("error_message"u8, HeimdallLimits.Clip(errorMessage, HeimdallLimits.ErrorMessage));
        return Finish(w, reply, at);
    }

    /// <summary>The keys every release-2 result starts with (this thread's record writer; see <see cref="ContractJson.StartRecord"/>).</summary>
    private static Utf8JsonWriter Start(V2Reply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var w = ContractJson.StartRecord();
        w.WriteStartObject();
        w.WriteNumber("schema_version"u8, V2Job.SchemaVersion);
        w.WriteString("job_id"u8, reply.JobId);
        return w;
    }

    private static byte[] Finish(Utf8JsonWriter w, V2Reply reply, DateTimeOffset timestamp)
    {
        // Unchanged, even past Heimdall's 36-character column on the success path: it is Heimdall's own id and a
        // shortened one would match nothing.
        if (reply.TraceId is null)
        {
            w.WriteNull("trace_id"u8);
        }
        else
        {
            w.WriteString("trace_id"u8, reply.TraceId);
        }

        w.WriteNumber("log_id"u8, reply.LogId);
        ContractJson.WriteTimestamp(w, "timestamp"u8, timestamp);
        w.WriteEndObject();
        return ContractJson.FinishRecord(w);
    }
}

/// <summary>The <c>error_code</c> of a failed analysis, from the error text the pipeline stored with it.</summary>
public static class FailureCodes
{
    private static readonly System.Buffers.SearchValues<char> ErrorCodeChars = System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789");

    public const string AnalysisFailed = "ANALYSIS_FAILED";
    public const string AnalysisTimeout = "ANALYSIS_TIMEOUT";

    /// <summary>The text's own leading <c>CODE:</c> when it has one; a timeout; else ANALYSIS_FAILED.</summary>
    public static string Of(string? error)
    {
        if (string.IsNullOrEmpty(error))
        {
            return AnalysisFailed;
        }

        var colon = error.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && colon <= HeimdallLimits.ErrorCode && error.AsSpan(0, colon).IndexOfAnyExcept(ErrorCodeChars) < 0)
        {
            return error[..colon];
        }

        return error.Contains("timed out", StringComparison.OrdinalIgnoreCase) ? AnalysisTimeout : AnalysisFailed;
    }
}
