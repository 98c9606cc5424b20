using System.Buffers;
using System.Text.RegularExpressions;
using Bifrost.Analysis.Normalization;

namespace Bifrost.Analysis.Signatures;

/// <summary>
/// Severity by the taxonomy: a base grade per category, raised when the excerpt shows the process or every
/// request going down, lowered when the failure was handled/retried successfully or is only a deprecation notice,
/// then adjusted for the environment (dev/test lower CRITICAL/HIGH one step; production never lowers).
/// Request priority never enters here.
/// </summary>
public static partial class SeverityRules
{
    private static readonly Dictionary<string, Severity> Base = new(StringComparer.Ordinal)
    {
        ["database.connection"] = Severity.HIGH,
        ["database.pool_exhausted"] = Severity.HIGH,
        ["database.deadlock"] = Severity.HIGH,
        ["database.constraint"] = Severity.HIGH,
        ["database.query"] = Severity.HIGH,
        ["database.auth"] = Severity.HIGH,
        ["network.connection_refused"] = Severity.MEDIUM,
        ["network.timeout"] = Severity.MEDIUM,
        ["network.dns"] = Severity.HIGH,
        ["network.tls"] = Severity.HIGH,
        ["http.upstream_error"] = Severity.HIGH,
        ["http.rate_limited"] = Severity.MEDIUM,
        ["auth.credentials"] = Severity.HIGH,
        ["auth.permission"] = Severity.HIGH,
        ["resource.memory"] = Severity.HIGH,
        ["resource.disk"] = Severity.CRITICAL,
        ["resource.file_descriptors"] = Severity.CRITICAL,
        ["gpu.out_of_memory"] = Severity.HIGH,
        ["gpu.runtime"] = Severity.HIGH,
        ["k8s.crash_loop"] = Severity.CRITICAL,
        ["k8s.image_pull"] = Severity.HIGH,
        ["k8s.probe_failed"] = Severity.MEDIUM,
        ["k8s.scheduling"] = Severity.HIGH,
        ["k8s.evicted"] = Severity.HIGH,
        ["code.null_reference"] = Severity.HIGH,
        ["code.type_error"] = Severity.HIGH,
        ["code.index_error"] = Severity.HIGH,
        ["code.stack_overflow"] = Severity.HIGH,
        ["code.unhandled"] = Severity.HIGH,
        ["dependency.missing"] = Severity.HIGH,
        ["config.invalid"] = Severity.HIGH,
        ["filesystem.not_found"] = Severity.HIGH,
        ["filesystem.permission"] = Severity.HIGH,
        ["messaging.broker"] = Severity.HIGH,
        ["cache.unavailable"] = Severity.HIGH,
        ["concurrency.thread_pool"] = Severity.HIGH,
        ["data.validation"] = Severity.MEDIUM,
        ["unknown"] = Severity.MEDIUM,
    };

    /// <summary>Categories whose failure takes the whole process down when the excerpt shows it crashing.</summary>
    private static readonly HashSet<string> CrashRaises = new(StringComparer.Ordinal)
    {
        "code.null_reference", "code.type_error", "code.index_error", "code.stack_overflow", "code.unhandled",
        "dependency.missing", "config.invalid", "messaging.broker", "cache.unavailable", "unknown",
        "filesystem.not_found", "filesystem.permission", "concurrency.thread_pool", "resource.memory",
    };

    public static Severity BaseOf(string category) => Base.GetValueOrDefault(category, Severity.MEDIUM);

    public static Severity Grade(string category, Severity? hint, string text, bool recovered, string? environment, LogLevel level, string lower, bool hasStack = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(lower);
        var severity = hint ?? BaseOf(category);
        if (hint is null && CrashRaises.Contains(category) && IsProcessDown(text))
        {
            severity = Severity.CRITICAL;
        }

        if (hint is null && hasStack && severity == Severity.MEDIUM && category is "network.timeout" or "network.connection_refused")
        {
            severity = Severity.HIGH; // escaped as an exception with a stack: the request failed, not just a retried call
        }

        if (category == "unknown")
        {
            severity = level switch
            {
                LogLevel.Fatal => Severity.CRITICAL,
                LogLevel.Error => severity < Severity.HIGH ? Severity.HIGH : severity,
                LogLevel.Warn or LogLevel.Info or LogLevel.Debug or LogLevel.Trace when severity < Severity.CRITICAL => Severity.LOW,
                _ => severity,
            };
            if (severity < Severity.CRITICAL && Rx.IsMatch(DiedWithCode(), text))
            {
                severity = Severity.HIGH;
            }
        }

        if (lower.Contains("deprecat", StringComparison.Ordinal) && category == "unknown")
        {
            severity = Severity.LOW;
        }

        if (recovered)
        {
            severity = Severity.LOW;
        }
        else if (severity > Severity.MEDIUM && category is "network.timeout" or "network.connection_refused" or "http.upstream_error" or "cache.unavailable"
            && Rx.IsMatch(Retrying(), text) && !IsProcessDown(text))
        {
            severity = Severity.MEDIUM; // a retried single failure is degraded, not down
        }

        return AdjustForEnvironment(severity, environment);
    }

    /// <summary>dev/test (and CI, local) lower CRITICAL/HIGH one step; every other environment leaves it alone.</summary>
    public static Severity AdjustForEnvironment(Severity severity, string? environment)
    {
        var env = environment?.Trim().ToLowerInvariant();
        var lowers = env is "dev" or "development" or "test" or "testing" or "ci" or "local" or "qa";
        return lowers && severity >= Severity.HIGH ? severity - 1 : severity;
    }

    // ProcessDown is case-sensitive and each alternative contains one of these literals: text without any cannot match
    private static readonly SearchValues<string> ProcessDownCues = SearchValues.Create(
        ["Exception in thread \"main\"", "panic: ", "fatal error: ", "Unhandled 'error' event", "Application run failed", "APPLICATION FAILED TO START",
         "Failed to start", "exited with code", "process exited", "Segmentation fault", "core dumped", "FATAL", "unable to start",
         "Cannot start service", "Worker ", "shutting down", "Exited ("], StringComparison.Ordinal);

    private static bool IsProcessDown(string text) => text.AsSpan().ContainsAny(ProcessDownCues) && Rx.IsMatch(ProcessDown(), text);

    [GeneratedRegex(@"(?:Exception in thread ""main""|^panic: |^fatal error: |Unhandled 'error' event|Application run failed|APPLICATION FAILED TO START|Failed to start|exited with code|has exited with code|process exited|Segmentation fault|core dumped|\bFATAL\b|unable to start|Cannot start service|Worker .{0,40} terminated|shutting down|Exited \(\d+\))", RegexOptions.CultureInvariant | RegexOptions.Multiline, matchTimeoutMilliseconds: 2000)]
    private static partial Regex ProcessDown();

    [GeneratedRegex(@"(?i:\b(?:died|exited|terminated|crash(?:ed)?)\b)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 2000)]
    private static partial Regex DiedWithCode();

    [GeneratedRegex(@"(?i:\b(?:retrying|will retry|retry(?:ing)? in|attempt \d+ of \d+|attempt \d+/\d+|backing off)\b)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 2000)]
    private static partial Regex Retrying();
}
