using System.Buffers;
using System.Text.RegularExpressions;
using Bifrost.Analysis.Normalization;

namespace Bifrost.Analysis.Signatures;

/// <summary>
/// What the excerpt shows about the failure's reach, independent of its category: did the process die or fail to
/// start, is every backend down, did a user's request fail, is the failure being retried, was the stop planned,
/// is it a client's own 4xx or handshake. Severity is graded from these (<see cref="SeverityRules"/>).
/// </summary>
/// <param name="ProcessDown">The process terminated or could not start (uncaught exception, panic, non-zero exit, startup failure).</param>
/// <param name="ProcessDownLine">Index (into the flattened lines) of the line that shows it, or -1.</param>
/// <param name="AllDown">No backend/broker/server is left to serve requests.</param>
/// <param name="RequestFailed">The failure is tied to a user's request (a request line, a request-processing wrapper).</param>
/// <param name="Retrying">The client says it retries / reconnects / backs off.</param>
/// <param name="AcceptFailing">A server cannot accept new connections (accept() failing).</param>
/// <param name="PlannedStop">A requested shutdown (SIGTERM, "received fast shutdown request") comes before the failure.</param>
/// <param name="ClientSide">The failure is a client's own doing as the server logs it: a 4xx in an access log, a client's TLS handshake.</param>
/// <param name="Deprecation">The excerpt is about a deprecation notice.</param>
/// <param name="Restarted">A supervisor restarts what died ("Restarting worker", "will be restarted").</param>
/// <param name="AnsweredClientError">The server answered the client with a 4xx for it: a 4xx status line anywhere in the excerpt, or a
/// framework exception that the framework itself renders as a 422 (Laravel's ValidationException, Rails' RecordInvalid).</param>
internal sealed record ImpactSignals(
    bool ProcessDown,
    int ProcessDownLine,
    bool AllDown,
    bool RequestFailed,
    bool Retrying,
    bool AcceptFailing,
    bool PlannedStop,
    bool ClientSide,
    bool Deprecation,
    bool Restarted,
    bool AnsweredClientError = false);

internal static partial class Impact
{
    // every alternative of each regex below contains one of its cues (ordinal, as written): text without any cannot match
    private static readonly SearchValues<string> ProcessDownCues = SearchValues.Create(
    [
        "Exception in thread", "panic: ", "fatal error: ", "panicked at", "nhandled", "Terminating", "terminate called", "Segmentation fault",
        "core dumped", "SIGSEGV", "SIGABRT", "Fatal Python error", "xit", "status=", "code=", "Failed with result", "failed state",
        "to start", "TO START", "startup", "Startup", "start up", "terminated unexpectedly", "Error starting", "rror starting", "start service",
        "init function returned error", "dbexit", "app crashed", "ELIFECYCLE", "terminated", "Node.js v", "in <module>", "Exiting",
        "Last State:", "Killed", "Aborted", "died with", "run failed", "Application startup", "Sentry is attempting to send", "** (", "from daemon", "Cannot start", "can't start", "Can't start", "Could not start", "could not start",
    ], StringComparison.Ordinal);

    private static readonly SearchValues<string> AllDownCues = SearchValues.Create(
        ["no server available", "0 active and 0 backup", "no healthy upstream", "brokers are down", "are down", "NoNodeAvailable", "NoHostAvailable", "no available"],
        StringComparison.Ordinal);

    private static readonly SearchValues<string> RequestCues = SearchValues.Create(
        ["request: \"", "HTTP/1", "HTTP/2", "Request processing failed", "Servlet.service()", "upstream, client", "while executing the request",
         "Internal Server Error:", "Exception on /", "Request: ", "Method: ", "request failed", "Request failed"],
        StringComparison.Ordinal);

    private static readonly SearchValues<string> RetryCues = SearchValues.Create(
        ["retr", "Retr", "RETR", "attempt", "Attempt", "backing off", "Backing off", "reconnect", "Reconnect", "try again", "trying again"],
        StringComparison.Ordinal);

    private static readonly SearchValues<string> StopCues = SearchValues.Create(
        ["shutdown request", "Stopping application", "SIGTERM", "signal 15", "gracefully", "Graceful", "graceful", "shutdown requested", "Shutdown requested"],
        StringComparison.Ordinal);

    private static readonly SearchValues<string> ClientCues = SearchValues.Create(
        [" HTTP/", "Completed 4", "while SSL handshaking, client", "TLS handshake error from"], StringComparison.Ordinal);

    private static readonly SearchValues<string> AnsweredCues = SearchValues.Create(
        [" HTTP/", "Completed 4", "ValidationException", "RecordInvalid", "ParameterMissing"], StringComparison.Ordinal);

    /// <param name="original">The flattened messages (one line each), as written.</param>
    /// <param name="lower">The same text lower-cased.</param>
    /// <param name="decidingLine">The flattened line that decided the category, or -1.</param>
    /// <param name="downLine">From <see cref="ProcessDownLine"/>.</param>
    public static ImpactSignals Read(string original, string lower, List<int> offsets, int decidingLine, int downLine)
    {
        var span = original.AsSpan();
        var allDown = span.ContainsAny(AllDownCues) && Rx.IsMatch(AllDown(), original);
        var request = span.ContainsAny(RequestCues) && Rx.IsMatch(RequestFailed(), original);
        var retrying = span.ContainsAny(RetryCues) && Rx.IsMatch(Retrying(), original);
        var accept = lower.Contains("accept", StringComparison.Ordinal) && Rx.IsMatch(AcceptFailing(), lower);

        // a planned stop counts only when it comes before the deciding failure
        var stop = span.ContainsAny(StopCues) ? Rx.Match(PlannedStop(), original) : Match.Empty;
        var planned = stop.Success && (decidingLine < 0 || Classifier.LineAt(offsets, stop.Index) <= decidingLine);

        // the client's own doing: judged on the deciding line itself (an access-log 4xx, a client's failed handshake)
        var decidingText = decidingLine < 0 ? ReadOnlySpan<char>.Empty : Line(original, offsets, decidingLine);
        var clientSide = decidingText.ContainsAny(ClientCues) && Rx.IsMatch(ClientSide(), decidingText);
        var deprecation = lower.Contains("deprecat", StringComparison.Ordinal);
        var restarted = (lower.Contains("restart", StringComparison.Ordinal) || lower.Contains("respawn", StringComparison.Ordinal)) && Rx.IsMatch(Restarted(), lower);
        var answered4xx = clientSide || (span.ContainsAny(AnsweredCues) && Rx.IsMatch(AnsweredClientError(), original));
        return new ImpactSignals(downLine >= 0, downLine, allDown, request, retrying, accept, planned, clientSide, deprecation, restarted, answered4xx);
    }

    /// <summary>The flattened line that shows the process terminating or failing to start, or -1.</summary>
    public static int ProcessDownLine(string original, List<int> offsets)
    {
        var down = original.AsSpan().ContainsAny(ProcessDownCues) ? Rx.Match(ProcessDown(), original) : Match.Empty;
        if (!down.Success && original.Contains('^', StringComparison.Ordinal) && !original.Contains("Traceback (most recent call last)", StringComparison.Ordinal))
        {
            // V8 prints an uncaught exception as "file.js:LINE", the source line, a lone caret under the column, then the
            // error: that printout only appears when the process dies (Python's carets sit inside tracebacks, excluded)
            var crash = Rx.Match(V8Crash(), original);
            return crash.Success ? Classifier.LineAt(offsets, crash.Index + crash.Length - 1) : -1; // the error line, not the caret
        }

        return down.Success ? Classifier.LineAt(offsets, down.Index) : -1;
    }

    private static ReadOnlySpan<char> Line(string text, List<int> offsets, int line)
    {
        var start = offsets[line];
        var end = line + 1 < offsets.Count ? offsets[line + 1] - 1 : text.Length;
        return text.AsSpan(start, Math.Max(start, end) - start);
    }

    // Process termination and startup failure, in the runtimes' and supervisors' own words: JVM/.NET/Node/Python/Go/Rust
    // uncaught exceptions and panics, C++ aborts and signals, non-zero exits (shell, Docker, systemd, Kubernetes describe),
    // frameworks' startup failures (Spring Boot, ASP.NET Core hosting, Serilog, systemd, nginx), Node's crash trailer.
    [GeneratedRegex(@"Exception in thread ""|^panic: |^fatal error: |thread '[^']{0,100}' (?:\(\d+\) )?panicked at|^Unhandled [Ee]xception[.:]|AppDomain_UnhandledException|Unhandled 'error' event|UnhandledPromiseRejection|Terminating due to java\.lang\.\w+Error|Terminating app due to uncaught exception|terminate called after throwing|Segmentation fault|core dumped|\bSIG(?:SEGV|ABRT)\b|Fatal Python error|\b(?:[Ee]xited|[Ee]xit(?:ed)? with(?: exit)? code|[Ee]xit [Cc]ode|exit status)[:= ]+\(?-?[1-9]\d{0,10}\b|\bdied with (?:exit )?code -?[1-9]|Process finished with exit code [1-9]|Exited \([1-9]\d{0,2}\)|code=(?:exited, status=[1-9]|killed|dumped)|Failed with result|entered failed state|\b[Ff]ailed to start\b|APPLICATION FAILED TO START|Application run failed|Application startup exception|Host terminated unexpectedly|Hosting failed to start|[Ee]rror starting\b|\b(?:[Ss]tartup|[Bb]oot) (?:failed|aborted)|[Uu]nable to start\b|(?:[Cc]ould not|[Cc]an't|[Cc]annot) start\b|Cannot start service|init function returned error|\bdbexit\b|\[nodemon\] app crashed|npm ERR! code ELIFECYCLE|Worker .{0,40} terminated|^Node\.js v\d+\.\d+|, in <module>$|^Exiting\b|Last State:\s+Terminated|^Killed$|^Aborted(?: \(core dumped\))?$|Sentry is attempting to send \d+ pending|Error response from daemon: (?:error while creating mount source path|OCI runtime (?:create|exec|start) failed|failed to create (?:shim|task)|driver failed programming external connectivity)|^\*\* \((?:[A-Z]\w*\.)*[A-Z]\w*(?:Error|Exception)\)", RegexOptions.CultureInvariant | RegexOptions.Multiline, matchTimeoutMilliseconds: 2000)]
    private static partial Regex ProcessDown();

    [GeneratedRegex(@"^[ \t]*\^[ \t]*\n(?:[ \t]*\n)?[ \t]*(?:Uncaught )?(?:[A-Z]\w*)?(?:Error|Exception)\b", RegexOptions.CultureInvariant | RegexOptions.Multiline, matchTimeoutMilliseconds: 2000)]
    private static partial Regex V8Crash();

    [GeneratedRegex(@"has no server available|\b0 active and 0 backup servers left|no healthy upstream|\ball brokers are down|\b(\d+)/\1 brokers are down|\ball (?:\d+ )?(?:hosts|servers|backends|replicas|nodes|brokers) (?:are )?(?:down|unavailable|unreachable)|NoNodeAvailableException|NoHostAvailableException|\bno available (?:servers|backends|nodes|hosts)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 2000)]
    private static partial Regex AllDown();

    [GeneratedRegex(@"request: ""(?:GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS) |""(?:GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS) \S{1,2000} HTTP/[\d.]+"" 5\d\d\b|Request processing failed|Servlet\.service\(\) for servlet|while (?:connecting to|reading response header from|sending request to) upstream, client|while executing the request|^Internal Server Error: /|Exception on /\S{0,200} \[(?:GET|POST|PUT|DELETE|PATCH)\]|Request: (?:GET|POST|PUT|DELETE|PATCH) |Method: (?:GET|POST|PUT|DELETE|PATCH)\b|[Rr]equest failed with status code 5", RegexOptions.CultureInvariant | RegexOptions.Multiline, matchTimeoutMilliseconds: 2000)]
    private static partial Regex RequestFailed();

    [GeneratedRegex(@"(?i:\b(?:retrying|will retry|retry(?:ing)? in|retries? (?:left|remaining)|attempt \d+ (?:of|/) ?\d+|attempt \d+/\d+|backing off|reconnecting|attempting to reconnect|will try again|trying again)\b)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 2000)]
    private static partial Regex Retrying();

    [GeneratedRegex(@"\b(?:restarting (?:worker|process|child|the (?:worker|process))|respawn(?:ing)?\b|will be restarted|restarted automatically)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 2000)]
    private static partial Regex Restarted();

    [GeneratedRegex(@"\baccept(?:\(\))?(?: tcp\S*)?:? (?:failed|error)|socket accept failed|accept error|\baccept emfile|accept\(\) failed", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 2000)]
    private static partial Regex AcceptFailing();

    [GeneratedRegex(@"received (?:fast|smart|immediate) shutdown request|Stopping application '|received SIGTERM|SIGTERM received|[Rr]eceived signal 15\b|[Ss]hutting down gracefully|[Gg]raceful(?:ly)? (?:shutdown|stopping)|[Ss]hutdown requested", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 2000)]
    private static partial Regex PlannedStop();

    [GeneratedRegex(@"""(?:GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS) \S{1,2000} HTTP/[\d.]+""? 4\d\d\b|\bCompleted 4\d\d \w|while SSL handshaking, client|TLS handshake error from", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 2000)]
    private static partial Regex ClientSide();

    // the client's 4xx anywhere in the excerpt (an access-log line, Rails' "Completed 422"), or the validation exceptions that
    // Laravel and Rails render as a 422 response by default
    [GeneratedRegex(@"""(?:GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS) \S{1,2000} HTTP/[\d.]+""? 4\d\d\b|\bCompleted 4\d\d \w|Illuminate\\(?:Foundation\\)?Validation\\ValidationException|ActiveRecord::RecordInvalid|ActionController::ParameterMissing", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 2000)]
    private static partial Regex AnsweredClientError();
}
