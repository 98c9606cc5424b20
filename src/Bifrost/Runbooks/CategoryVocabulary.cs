using System.Collections.Frozen;

namespace Bifrost.Runbooks;

/// <summary>
/// The words of each taxonomy category, from the category's description in the taxonomy (../shared/taxonomy.md, the
/// contract the engine classifies by). A runbook search adds them to the excerpt's own words, so a section that
/// describes the failure in the taxonomy's terms is a candidate even when the excerpt's wording differs.
/// </summary>
internal static class CategoryVocabulary
{
    private static readonly FrozenDictionary<string, string> Descriptions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["database.connection"] = "the database cannot be reached: refused, reset, unreachable host, connect timeout, \"server closed the connection\"",
        ["database.pool_exhausted"] = "the client-side connection pool has no free connection: pool timeout, \"too many clients\", \"remaining connection slots are reserved\", max_connections reached",
        ["database.deadlock"] = "deadlock detected, lock wait timeout, serialization failure",
        ["database.constraint"] = "unique / foreign-key / not-null / check constraint violated, duplicate key",
        ["database.query"] = "the statement itself is wrong: syntax error, unknown column/table/relation, type mismatch in SQL, missing migration",
        ["database.auth"] = "password authentication failed, access denied for user, role does not exist",
        ["network.connection_refused"] = "a non-database peer refused the connection (ECONNREFUSED, \"Connection refused\", no listener)",
        ["network.timeout"] = "a non-database call timed out (read/connect/socket timeout, deadline exceeded, TaskCanceledException from HttpClient timeout)",
        ["network.dns"] = "name resolution failed (UnknownHostException, getaddrinfo ENOTFOUND, \"Name or service not known\", NXDOMAIN)",
        ["network.tls"] = "TLS/SSL handshake failure, certificate expired / untrusted / hostname mismatch, PKIX path building failed",
        ["http.upstream_error"] = "an upstream answered 5xx (500/502/503/504, bad gateway, service unavailable)",
        ["http.rate_limited"] = "429, throttling, quota exceeded",
        ["auth.credentials"] = "our credentials were rejected: 401, invalid/expired token or JWT, signature verification failed, invalid API key",
        ["auth.permission"] = "authenticated but not allowed: 403, AccessDenied, EACCES on a resource owned by another principal, RBAC \"forbidden\"",
        ["resource.memory"] = "the process ran out of memory: OutOfMemoryError, MemoryError, OOMKilled, \"Cannot allocate memory\", exit code 137 from OOM",
        ["resource.disk"] = "no space left on device, disk quota exceeded, filesystem read-only because full",
        ["resource.file_descriptors"] = "too many open files, EMFILE, ulimit reached",
        ["gpu.out_of_memory"] = "CUDA out of memory, \"CUBLAS_STATUS_ALLOC_FAILED\", GPU memory exhausted",
        ["gpu.runtime"] = "NCCL errors/timeouts, CUDA driver/runtime mismatch, \"no CUDA-capable device\", device-side assert, Xid errors",
        ["k8s.crash_loop"] = "CrashLoopBackOff, \"Back-off restarting failed container\", container exited repeatedly",
        ["k8s.image_pull"] = "ImagePullBackOff, ErrImagePull, manifest unknown, pull access denied",
        ["k8s.probe_failed"] = "liveness/readiness/startup probe failed",
        ["k8s.scheduling"] = "FailedScheduling, Insufficient cpu/memory, node affinity/taint mismatch, Unschedulable, pending PVC",
        ["k8s.evicted"] = "pod evicted (node pressure, ephemeral storage)",
        ["code.null_reference"] = "NullPointerException, NullReferenceException, \"'NoneType' object has no attribute\", \"Cannot read properties of undefined/null\"",
        ["code.type_error"] = "ClassCastException, TypeError, InvalidCastException, ValueError, NumberFormatException, FormatException, JSON/parse errors of our own data",
        ["code.index_error"] = "IndexOutOfBounds, ArrayIndexOutOfBounds, IndexError, KeyError, KeyNotFoundException, ArgumentOutOfRangeException",
        ["code.stack_overflow"] = "StackOverflowError, RecursionError, \"Maximum call stack size exceeded\"",
        ["code.unhandled"] = "another uncaught exception or panic whose type names no category above (IllegalStateException, InvalidOperationException, RuntimeError, Go panic, assertion failed)",
        ["dependency.missing"] = "a code dependency cannot be loaded: ModuleNotFoundError, ImportError, ClassNotFoundException, NoClassDefFoundError, NoSuchMethodError, FileNotFoundException for an assembly, \"Cannot find module\", undefined symbol",
        ["config.invalid"] = "configuration missing or wrong: missing env var/setting, unknown property, invalid value, config file not found or unparsable",
        ["filesystem.not_found"] = "a data file or directory does not exist (ENOENT, FileNotFoundError, NoSuchFileException) — not a code dependency",
        ["filesystem.permission"] = "permission denied on a local path (EACCES/EPERM on files, read-only file system not caused by a full disk)",
        ["messaging.broker"] = "message broker trouble: Kafka broker not available, leader not available, rebalance in progress, commit failed, offset out of range, RabbitMQ/NATS connection lost",
        ["cache.unavailable"] = "cache/KV store unreachable or timing out (Redis, Memcached)",
        ["concurrency.thread_pool"] = "thread/worker pool starvation, RejectedExecutionException, \"pool exhausted\" for threads, too many concurrent requests in process",
        ["data.validation"] = "input data from outside rejected by validation (schema mismatch, bad request payload, 400 with validation details)",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The category id's own words and its description's informative words; empty for <c>unknown</c> or an id not in the taxonomy.</summary>
    public static IReadOnlyList<string> WordsOf(string? category)
    {
        if (category is null || !Descriptions.TryGetValue(category, out var description))
        {
            return [];
        }

        return [.. Knowledge.KnowledgeText.Informative(category + " " + description).Distinct(StringComparer.Ordinal)];
    }
}
