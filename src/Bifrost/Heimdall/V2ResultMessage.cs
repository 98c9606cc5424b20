using System.Buffers;
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
        return Write(reply, w =>
        {
            w.WriteString("status", Succeeded);
            w.WriteString("summary", result.Summary);
            w.WriteString("root_cause", result.RootCause);
            w.WriteString("recommendation", result.Recommendation);
            w.WriteString("severity", HeimdallLimits.Clip(result.Severity, HeimdallLimits.Severity));
            w.WriteNumber("confidence", HeimdallLimits.Confidence(result.Confidence));
            w.WriteString("model_used", HeimdallLimits.Clip(result.Model, HeimdallLimits.Model));
            if (result.TokensUsed > 0 || result.PromptTokens > 0 || result.CompletionTokens > 0)
            {
                w.WriteStartObject("token_usage");
                w.WriteNumber("prompt_tokens", result.PromptTokens);
                w.WriteNumber("completion_tokens", result.CompletionTokens);
                w.WriteNumber("total_tokens", Math.Max(result.TokensUsed, result.PromptTokens + result.CompletionTokens));
                w.WriteEndObject();
            }
            else
            {
                // No language model ran (the built-in engine, or an LLM answer taken from the cache): nothing was spent.
                w.WriteNull("token_usage");
            }

            w.WriteNumber("latency_ms", HeimdallLimits.Milliseconds(result.DurationSeconds));
            w.WriteNull("error_code");
            w.WriteNull("error_message");
        }, result.ResultAt);
    }

    /// <summary>A FAILED result for a job that has no stored analysis to report (e.g. its log was never found).</summary>
    public static byte[] FailedValue(V2Reply reply, string errorCode, string errorMessage, DateTimeOffset at, double secondsSpent) =>
        Write(reply, w =>
        {
            w.WriteString("status", Failed);
            w.WriteNull("summary");
            w.WriteNull("root_cause");
            w.WriteNull("recommendation");
            w.WriteNull("severity");
            w.WriteNull("confidence");
            w.WriteNull("model_used");
            w.WriteNull("token_usage");
            w.WriteNumber("latency_ms", HeimdallLimits.Milliseconds(secondsSpent));
            w.WriteString("error_code", HeimdallLimits.Clip(errorCode, HeimdallLimits.ErrorCode));
            w.WriteString("error_message", HeimdallLimits.Clip(errorMessage, HeimdallLimits.ErrorMessage));
        }, at);

    private static byte[] Write(V2Reply reply, Action<Utf8JsonWriter> body, DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer, ContractJson.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteNumber("schema_version", V2Job.SchemaVersion);
            w.WriteString("job_id", reply.JobId);
            body(w);
            // Unchanged, even past Heimdall's 36-character column on the success path: it is Heimdall's own id and a
            // shortened one would match nothing.
            if (reply.TraceId is null)
            {
                w.WriteNull("trace_id");
            }
            else
            {
                w.WriteString("trace_id", reply.TraceId);
            }

            w.WriteNumber("log_id", reply.LogId);
            w.WriteString("timestamp", ContractJson.Timestamp(timestamp));
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}

/// <summary>The <c>error_code</c> of a failed analysis, from the error text the pipeline stored with it.</summary>
public static class FailureCodes
{
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
        if (colon > 0 && colon <= HeimdallLimits.ErrorCode && error.AsSpan(0, colon).IndexOfAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789") < 0)
        {
            return error[..colon];
        }

        return error.Contains("timed out", StringComparison.OrdinalIgnoreCase) ? AnalysisTimeout : AnalysisFailed;
    }
}
