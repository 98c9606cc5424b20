using System.Text.Json;

namespace Bifrost.FakeLlm;

/// <summary>
/// A stand-in model that answers like a small instruction-tuned LLM: it reads the fenced excerpt, names a taxonomy
/// category by keywords and writes the JSON the system prompt asks for. Also the canned bad replies tests need.
/// </summary>
public static class FakeModel
{
    private static readonly (string Keyword, string Category, string Severity, string Cause)[] Rules =
    [
        ("OutOfMemoryError", "resource.memory", "CRITICAL", "the JVM heap is exhausted"),
        ("OOMKilled", "resource.memory", "CRITICAL", "the container exceeded its memory limit"),
        ("CUDA out of memory", "gpu.out_of_memory", "HIGH", "the GPU ran out of memory"),
        ("too many clients", "database.pool_exhausted", "HIGH", "the database refuses new connections"),
        ("Connection is not available", "database.pool_exhausted", "HIGH", "the connection pool is exhausted"),
        ("deadlock", "database.deadlock", "HIGH", "two transactions wait on each other"),
        ("duplicate key", "database.constraint", "MEDIUM", "a unique constraint was violated"),
        ("Connection refused", "network.connection_refused", "HIGH", "nothing listens on the target port"),
        ("timed out", "network.timeout", "MEDIUM", "a downstream call exceeded its timeout"),
        ("UnknownHostException", "network.dns", "HIGH", "the host name does not resolve"),
        ("NullPointerException", "code.null_reference", "HIGH", "a null value was dereferenced"),
        ("No space left on device", "resource.disk", "CRITICAL", "the disk is full"),
        ("CrashLoopBackOff", "k8s.crash_loop", "CRITICAL", "the container keeps crashing"),
        ("429", "http.rate_limited", "MEDIUM", "the upstream throttles us"),
        ("503", "http.upstream_error", "HIGH", "the upstream is unavailable"),
    ];

    /// <summary>The default responder: a good JSON answer for the excerpt in the request.</summary>
    public static FakeReply Answer(CapturedRequest request) => FakeReply.Json(AnswerJson(request.FencedExcerpt));

    public static string AnswerJson(string excerpt)
    {
        var rule = Rules.FirstOrDefault(r => excerpt.Contains(r.Keyword, StringComparison.OrdinalIgnoreCase));
        var firstLine = excerpt.Split('\n').FirstOrDefault(l => l.Trim().Length > 0)?.Trim() ?? "";
        if (firstLine.Length > 120)
        {
            firstLine = firstLine[..120];
        }

        return JsonSerializer.Serialize(new
        {
            summary = $"The service failed: {firstLine}",
            root_cause = rule.Cause is null ? "The excerpt does not show a clear cause." : $"Most likely {rule.Cause}.",
            recommendation = "Check the component named in the first error line, its recent changes and its resource limits.",
            severity = rule.Severity ?? "MEDIUM",
            confidence = rule.Category is null ? 0.35 : 0.8,
            category = rule.Category ?? "unknown",
        });
    }

    /// <summary>A chatty model that wraps the JSON in prose and a code fence.</summary>
    public static FakeReply ProseAround(CapturedRequest request) =>
        FakeReply.Text($"Sure! Here is my analysis of the log:\n\n```json\n{AnswerJson(request.FencedExcerpt)}\n```\n\nLet me know if you need more help.");

    /// <summary>Truncated JSON, as when a model hits its token limit mid-object.</summary>
    public static FakeReply Broken(CapturedRequest request)
    {
        var json = AnswerJson(request.FencedExcerpt);
        return FakeReply.Text(json[..(json.Length / 2)]);
    }
}
