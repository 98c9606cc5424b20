using System.Globalization;
using System.Text.Json;

namespace Bifrost.Heimdall;

/// <summary>
/// A release-2 analysis job as Heimdall writes it (shared/contract/heimdall/README.md, "Release 2"): no log text —
/// the log is row <see cref="LogId"/> of Heimdall's <c>log_entries</c>.
/// </summary>
/// <param name="LogLevel">The request's <c>priority</c> as sent: the log's level (DEBUG … FATAL).</param>
/// <param name="Priority">That level as a Bifrost priority (<see cref="LogLevels.ToPriority"/>).</param>
/// <param name="ModelPolicyJson">The <c>model_policy</c> object as sent, or null.</param>
public sealed record V2Job(
    string JobId,
    string IdempotencyKey,
    long LogId,
    string? TenantId,
    string? LogLevel,
    string Priority,
    int? TimeoutMs,
    string? ModelSource,
    string? ModelPolicyJson,
    string? TraceId,
    DateTimeOffset? Timestamp)
{
    public const int SchemaVersion = 1;

    /// <summary>Longest idempotency key kept (Bifrost stores it as the analysis' request id).</summary>
    public const int MaxIdempotencyKeyLength = 512;

    /// <summary>
    /// Reads a release-2 job; <paramref name="errors"/> gets one entry per invalid field. Unknown fields are ignored,
    /// nulls are accepted where Heimdall writes them (tenant_id, timeout_ms, model_policy, trace_id).
    /// </summary>
    public static V2Job? Read(JsonElement root, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (root.TryGetProperty("schema_version", out var version) && version.ValueKind != JsonValueKind.Null
            && !(version.ValueKind == JsonValueKind.Number && version.TryGetInt32(out var v) && v == SchemaVersion))
        {
            errors.Add($"schema_version: only {SchemaVersion} is understood, got {Describe(version)}");
        }

        var jobId = String(root, "job_id", errors, required: true);
        if (jobId is not null && !IsCanonicalUuid(jobId))
        {
            errors.Add($"job_id: expected a UUID (36 characters, 8-4-4-4-12 hex digits), got \"{Shorten(jobId)}\"");
        }

        var idempotencyKey = String(root, "idempotency_key", errors, required: true);
        if (idempotencyKey is { Length: > MaxIdempotencyKeyLength })
        {
            errors.Add($"idempotency_key: must be at most {MaxIdempotencyKeyLength} characters, got {idempotencyKey.Length}");
        }

        var logId = 0L;
        if (!root.TryGetProperty("log_id", out var logIdElement) || logIdElement.ValueKind == JsonValueKind.Null)
        {
            errors.Add("log_id: required field is missing");
        }
        else if (!Messaging.RequestParser.TryLogId(logIdElement, out logId))
        {
            errors.Add($"log_id: expected an integer, got {Describe(logIdElement)}");
        }

        var tenantId = String(root, "tenant_id", errors, required: false);
        var level = String(root, "priority", errors, required: false);
        var traceId = String(root, "trace_id", errors, required: false);

        int? timeoutMs = null;
        if (root.TryGetProperty("timeout_ms", out var timeout) && timeout.ValueKind != JsonValueKind.Null)
        {
            if (timeout.ValueKind == JsonValueKind.Number && timeout.TryGetInt64(out var ms) && ms > 0)
            {
                timeoutMs = (int)Math.Min(ms, int.MaxValue);
            }
            else
            {
                errors.Add($"timeout_ms: expected a positive integer (milliseconds) or null, got {Describe(timeout)}");
            }
        }

        string? source = null;
        string? policy = null;
        if (root.TryGetProperty("model_policy", out var modelPolicy) && modelPolicy.ValueKind != JsonValueKind.Null)
        {
            if (modelPolicy.ValueKind != JsonValueKind.Object)
            {
                errors.Add($"model_policy: expected an object or null, got {Describe(modelPolicy)}");
            }
            else
            {
                policy = modelPolicy.GetRawText();
                source = String(modelPolicy, "source", errors, required: false, path: "model_policy.source")?.Trim().ToLowerInvariant();
            }
        }

        DateTimeOffset? timestamp = null;
        if (String(root, "timestamp", errors, required: false) is { } ts)
        {
            if (Messaging.RequestParser.TryTimestamp(ts, out var parsed))
            {
                timestamp = parsed;
            }
            else
            {
                errors.Add($"timestamp: expected an ISO-8601 date-time, got \"{Shorten(ts)}\"");
            }
        }

        return errors.Count > 0 || jobId is null || idempotencyKey is null
            ? null
            : new V2Job(jobId, idempotencyKey, logId, tenantId, level, LogLevels.ToPriority(level), timeoutMs, source, policy, traceId, timestamp);
    }

    /// <summary>What a dead letter can still link: the job's ids when they are strings, whatever else is wrong.</summary>
    public static (string? JobId, string? IdempotencyKey, string? TraceId) Ids(JsonElement root) =>
        (Text(root, "job_id"), Text(root, "idempotency_key"), Text(root, "trace_id"));

    /// <summary>8-4-4-4-12 hex digits, 36 characters: the form Heimdall's result parser accepts for job_id.</summary>
    public static bool IsCanonicalUuid(string value) =>
        value.Length == 36 && Guid.TryParseExact(value, "D", out _);

    private static string? Text(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;

    private static string? String(JsonElement root, string name, List<string> errors, bool required, string? path = null)
    {
        path ??= name;
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                errors.Add($"{path}: required field is missing");
            }

            return null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            errors.Add($"{path}: expected a string, got {Describe(element)}");
            return null;
        }

        var value = element.GetString()!;
        if (required && value.Length == 0)
        {
            errors.Add($"{path}: must not be empty");
            return null;
        }

        return value;
    }

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => $"string \"{Shorten(element.GetString()!)}\"",
        JsonValueKind.Number => $"number {Shorten(element.GetRawText())}",
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };

    private static string Shorten(string s) => s.Length <= 64 ? s : s[..64] + "…";

    /// <summary>Canonical text of <see cref="LogId"/> (for keys and logs).</summary>
    public string LogIdText => LogId.ToString(CultureInfo.InvariantCulture);
}
