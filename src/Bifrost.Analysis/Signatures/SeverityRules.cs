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
        ["resource.file_descriptors"] = Severity.HIGH, // CRITICAL when the server cannot accept connections at all (Impact)
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
        ["code.stack_overflow"] = Severity.CRITICAL, // a stack overflow ends the process on the JVM, .NET and Node
        ["code.unhandled"] = Severity.HIGH,
        ["dependency.missing"] = Severity.HIGH,
        ["config.invalid"] = Severity.CRITICAL, // read at start-up: a missing/invalid setting stops the service starting
        ["filesystem.not_found"] = Severity.HIGH,
        ["filesystem.permission"] = Severity.CRITICAL, // not transient: every write to the path fails the same way until ownership changes
        ["messaging.broker"] = Severity.HIGH,
        ["cache.unavailable"] = Severity.HIGH,
        ["concurrency.thread_pool"] = Severity.HIGH,
        ["data.validation"] = Severity.MEDIUM,
        ["unknown"] = Severity.MEDIUM,
    };

    /// <summary>Failures that come and go with the network or a peer: a retry or a warning-level record makes them MEDIUM.</summary>
    private static readonly HashSet<string> Transient = new(StringComparer.Ordinal)
    {
        "network.timeout", "network.connection_refused", "network.dns", "http.upstream_error", "cache.unavailable", "database.connection",
        "database.deadlock", "messaging.broker", "resource.file_descriptors", "concurrency.thread_pool", "http.rate_limited",
    };

    public static Severity BaseOf(string category) => Base.GetValueOrDefault(category, Severity.MEDIUM);

    /// <summary>
    /// The taxonomy's grade for one verdict. Raised to CRITICAL when the excerpt shows the process dying or failing to start,
    /// every backend down, or a server unable to accept connections; a network failure on a user's request (or escaped
    /// with a stack) is HIGH; lowered to LOW when the failure recovered afterwards, followed a requested stop, is a client's
    /// own 4xx/handshake or a deprecation notice, and to MEDIUM when it is retried or logged only as a warning. Then the
    /// environment step.
    /// </summary>
    /// <param name="hint">The winning signature's own grade, if it has one.</param>
    /// <param name="warnOnly">Every failure record in the excerpt is at WARN level.</param>
    /// <param name="level">The deciding record's level.</param>
    internal static Severity Grade(string category, Severity? hint, ImpactSignals impact, bool recovered, bool warnOnly, bool hasStack, LogLevel level, string? environment)
    {
        ArgumentNullException.ThrowIfNull(impact);
        var severity = hint ?? BaseOf(category);
        if (severity == Severity.MEDIUM && category is "network.timeout" or "network.connection_refused" && (hasStack || impact.RequestFailed))
        {
            severity = Severity.HIGH; // a request failed (or the error escaped as an exception), not just a retried call
        }

        if (category == "unknown")
        {
            severity = level switch
            {
                LogLevel.Fatal => Severity.CRITICAL,
                LogLevel.Error => Severity.HIGH,
                LogLevel.Unknown => severity,
                _ => Severity.LOW,
            };
        }

        // a crashed GPU job is HIGH by the taxonomy; a worker its supervisor restarts at once has not taken the service down
        // a server that cannot accept connections fails every new request: CRITICAL, HIGH while it keeps retrying
        var down = impact.ProcessDown || impact.AllDown || (impact.AcceptFailing && !impact.Retrying);
        if (impact.AcceptFailing && impact.Retrying && severity < Severity.HIGH)
        {
            severity = Severity.HIGH;
        }

        if (down && !impact.PlannedStop && !recovered && !category.StartsWith("gpu.", StringComparison.Ordinal))
        {
            severity = impact.Restarted && !impact.AllDown && category != "k8s.crash_loop" ? Severity.HIGH : Severity.CRITICAL;
        }
        else if (recovered || impact.PlannedStop || impact.ClientSide || (impact.Deprecation && (category == "unknown" || level <= LogLevel.Warn))
            || (category == "data.validation" && impact.AnsweredClientError))
        {
            severity = Severity.LOW;
        }
        else if (severity > Severity.MEDIUM && Transient.Contains(category) && !impact.AcceptFailing && (impact.Retrying || (warnOnly && hint != Severity.CRITICAL)))
        {
            severity = Severity.MEDIUM; // degraded but retried / only warned about: not (yet) failing requests
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
}
