using System.Text.RegularExpressions;

namespace Bifrost.Analysis.Normalization;

/// <summary>
/// The one definition of what a stack trace looks like, used by the event joiner (which lines continue a record), the
/// classifier (frames name running code, not the failure) and the explanation (the first frame of the application's
/// own code). Covers the runtimes' own formats: Java/Kotlin, .NET, Python, Node.js, Go, Ruby, Rust, PHP, Dart, Elixir,
/// C++ (c10/lldb "frame #N").
/// </summary>
internal static partial class StackTrace
{
    /// <summary>A stack frame line: it names code that was running when the failure happened.</summary>
    /// <remarks>The regex is anchored; a first character no alternative can start with rules it out without running it.</remarks>
    public static bool IsFrame(string message) =>
        message.Length > 0 && (char.IsWhiteSpace(message[0]) || message[0] is 'a' or 'F' or '#' or 'f' or '(' || char.IsAsciiLetterOrDigit(message[0]))
        && Rx.IsMatch(Frame(), message);

    /// <summary>Trace furniture that is not a frame: "... N more", "--- End of ...", caret/tilde markers, goroutine headers.</summary>
    public static bool IsFurniture(string message) =>
        message.Length > 0 && (char.IsWhiteSpace(message[0]) || message[0] is '.' or '^' or '~' or 'g' or '-' or 'E' or '(')
        && Rx.IsMatch(Furniture(), message);

    /// <summary>A frame or trace furniture: a line that continues the record above it.</summary>
    public static bool IsStackLine(string message) => IsFrame(message) || IsFurniture(message);

    /// <summary>A line that opens a nested cause ("Caused by:", " ---> ", "Inner exception").</summary>
    public static bool IsInnerCause(string message) =>
        (message.Contains("aused by", StringComparison.Ordinal) || message.Contains("---> ", StringComparison.Ordinal) || message.Contains("Inner exception", StringComparison.Ordinal))
        && Rx.IsMatch(InnerCause(), message);

    /// <summary>Any line that links two parts of one exception chain: an inner cause, a suppressed exception, Python's chain sentences.</summary>
    public static bool IsChainMarker(string message) =>
        message.Length > 0 && (char.IsWhiteSpace(message[0]) || message[0] is 'C' or 'c' or 'S' or '-' or 'D' or 'T' or 'W' or 'I')
        && (IsInnerCause(message) || Rx.IsMatch(OtherChainMarker(), message));

    /// <summary>Python's sentence between two chained tracebacks (the earlier block is the cause of the later one).</summary>
    public static bool IsPythonChainSentence(string message) =>
        message.Length > 0 && message[0] is 'D' or 'T' && Rx.IsMatch(OtherChainMarker(), message) && !message.StartsWith("Traceback", StringComparison.Ordinal);

    /// <summary>
    /// Where the frame points, as <c>file:line</c> (or the method when the frame has no file), and whether it belongs to the
    /// runtime or a third-party library rather than the application. Null when <paramref name="message"/> is not a frame.
    /// </summary>
    public static (string Location, bool Library)? Locate(string message)
    {
        if (!IsFrame(message))
        {
            return null;
        }

        var m = Rx.Match(FrameLocation(), message);
        if (!m.Success)
        {
            return null;
        }

        var path = m.Groups["path"].Value.Replace('\\', '/');
        var method = m.Groups["method"].Value;
        var line = m.Groups["line"].Value;
        var library = IsLibraryPath(path) || IsLibraryMethod(method) || Rx.IsMatch(LibraryJar(), message);
        var location = path.Length > 0 && line.Length > 0 ? Short(path) + ":" + line : method;
        return location.Length == 0 ? null : (location, library);
    }

    /// <summary>The first frame of the application's own code in <paramref name="ev"/> (innermost cause first), or null.</summary>
    public static string? FirstApplicationFrame(LogEvent ev)
    {
        ArgumentNullException.ThrowIfNull(ev);
        var fromInnermost = FirstApplicationFrame(ev, ev.InnermostIndex);
        return fromInnermost ?? (ev.InnermostIndex > 0 ? FirstApplicationFrame(ev, 0) : null);
    }

    private static string? FirstApplicationFrame(LogEvent ev, int from)
    {
        for (var i = from; i < ev.Messages.Count; i++)
        {
            var m = ev.Messages[i];
            if (i > from && IsChainMarker(m) && from != 0)
            {
                break; // the next cause's frames belong to it
            }

            // a location printed in the message itself: PHP "in /x.php on line 67", Rust "panicked at src/main.rs:319:101",
            // Node's crash header "/app/lib/x.js:14"
            var own = i == from || i <= ev.InnermostIndex + 1 ? Rx.Match(MessageLocation(), m) : Match.Empty;
            if (own.Success && !IsLibraryPath(own.Groups["path"].Value))
            {
                return Short(own.Groups["path"].Value.Replace('\\', '/')) + ":" + own.Groups["line"].Value;
            }

            if (Locate(m) is { Library: false } frame && frame.Location.Contains(':', StringComparison.Ordinal))
            {
                return frame.Location;
            }
        }

        return null;
    }

    // runtime and package-manager locations: the application's own files are everything else
    private static readonly string[] LibraryPathParts =
    [
        "site-packages/", "dist-packages/", "/lib/python", "<frozen", "runpy.py", "node_modules/", "node:", "internal/",
        "/usr/local/go/", "/usr/lib/go", "/go/pkg/mod/", "/pkg/mod/", "runtime/", "/rustc/", "/.cargo/registry/", "/gems/",
        "/rubygems/", "/vendor/", "/usr/lib/", "/usr/local/lib/", "/usr/share/", "dart:", "/jdk/", "/lib/ruby/",
    ];

    private static bool IsLibraryPath(string path)
    {
        if (path.Length == 0)
        {
            return false;
        }

        foreach (var part in LibraryPathParts)
        {
            if (path.Contains(part, StringComparison.Ordinal))
            {
                return true;
            }
        }

        // Node's core modules print a bare file name ("events.js:95", "timers.js:475")
        return !path.Contains('/', StringComparison.Ordinal) && path.EndsWith(".js", StringComparison.Ordinal) && char.IsAsciiLetterLower(path[0]);
    }

    // platform and the most common framework namespaces (Java/Kotlin/Scala, .NET): a frame there is not the application's
    private static readonly string[] LibraryNamespaces =
    [
        "java.", "javax.", "jakarta.", "jdk.", "sun.", "com.sun.", "kotlin.", "kotlinx.", "scala.", "akka.", "org.springframework.",
        "org.apache.", "org.hibernate.", "org.eclipse.", "org.junit.", "org.postgresql.", "com.mysql.", "com.zaxxer.", "com.fasterxml.",
        "io.netty.", "reactor.", "io.reactivex.", "io.grpc.", "okhttp3.", "retrofit2.", "com.google.", "io.micronaut.", "io.quarkus.",
        "io.vertx.", "org.jboss.", "org.glassfish.", "com.auth0.", "ch.qos.", "org.slf4j.", "org.gradle.", "org.codehaus.",
        "System.", "Microsoft.", "Npgsql.", "Newtonsoft.", "Grpc.", "Polly.", "StackExchange.", "Dapper.", "MySql.", "MySqlConnector.",
        "Confluent.", "Serilog.", "NLog.", "Xunit.", "NUnit.", "Castle.", "Autofac.", "std::", "core::", "alloc::", "tokio::", "c10::",
        "_Native", "_Root", "_Future", "Object.", "Module.", "process.", "Function.",
    ];

    private static bool IsLibraryMethod(string method)
    {
        foreach (var ns in LibraryNamespaces)
        {
            if (method.StartsWith(ns, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The last two segments of a path: enough to find the file, short enough to read.</summary>
    private static string Short(string path)
    {
        var trimmed = path.TrimStart('.', '/');
        var last = trimmed.LastIndexOf('/');
        if (last < 0)
        {
            return trimmed;
        }

        var previous = trimmed.LastIndexOf('/', last - 1);
        return previous < 0 ? trimmed : trimmed[(previous + 1)..];
    }

    [GeneratedRegex(@"^(?:\s*at\s+[\w$<.\[/(]|at [\w$<.]+[.(/]|\s+File ""|\t[/\w][^\t]*\.go:\d+|\s+[\w/.\\:-]+\.(?:py|js|mjs|cjs|ts|go|rb|java|kt|scala|cs|php|rs|ex|exs|dart):\d+|\s*#\d+\s+\S|\s*frame #\d+: |\s+\d{1,3}: (?:[\w<]+::|0x)|\s*(?:from\s+)?[\w/.\[\]-]+\.rb:\d+:in\s|\s*\([\w]+ [\w.-]+\) [\w/.-]+\.exs?:\d+:|\s*[\w$.]+\.\w+\([\w$]+\.java:\d+\)\s*$)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Frame();

    [GeneratedRegex(@"^(?:\s*\.\.\. \d+ (?:more|common frames omitted)|\s*\^+\s*$|\s*~+\s*$|goroutine \d+ \[|\s*--- End of |\s*Emitted 'error' event|\s+throw |\s*\(\d+ additional frame\(s\) were not displayed\))", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Furniture();

    [GeneratedRegex(@"^\s*(?:Caused by:|caused by[: ]|\s*---> |Inner exception)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex InnerCause();

    [GeneratedRegex(@"^\s*(?:Suppressed:|During handling of the above exception|The above exception was the direct cause|Traceback \(most recent call last\)|Wrapped by:)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex OtherChainMarker();

    // one alternative per runtime; each names the file (path) and line, or only the method when the runtime prints no file
    [GeneratedRegex(@"^\s*File ""(?<path>[^""]{1,300})"", line (?<line>\d+)|^\s*at (?<method>[\w$.<>`\[\]]+)\([^)]*\) in (?<path>[^\s:]{0,3}[^:]{1,300}):line (?<line>\d+)|^\s*at (?:async )?(?<method>[\w$.<>`\[\] ]{1,200}?) \((?<path>(?:file://)?[^():]{0,3}[^():]{1,300}):(?<line>\d+)(?::\d+)?\)|^\s*at (?<path>(?:file://)?/[^():]{1,300}):(?<line>\d+)|^\s*at (?<method>[\w$.<>/]+)\((?<path>[\w$-]+\.(?:java|kt|scala|groovy)):(?<line>\d+)\)|^\s*at (?<method>[\w$.<>`\[\], ]+)\(|^\t(?<path>[^\s]+\.go):(?<line>\d+)|^\s+(?<path>[\w/.\\-]+\.(?:py|js|ts|go|rb|java|cs|php|rs|ex|exs)):(?<line>\d+)|^\s*#\d+\s+(?<path>[^\s(]+\.php)\((?<line>\d+)\)|^\s*(?:from\s+)?(?<path>[\w/.\[\]-]+\.rb):(?<line>\d+)|^\s*\([\w]+ [\w.-]+\) (?<path>[\w/.-]+\.exs?):(?<line>\d+)|^\s*[\w$.]+\.(?<method>\w+)\((?<path>[\w$]+\.java):(?<line>\d+)\)|^\s*at (?<path>[\w./\\-]+\.rs):(?<line>\d+)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex FrameLocation();

    [GeneratedRegex(@"(?: in (?<path>/[^\s]{1,300}\.php) on line (?<line>\d+)|panicked at '?(?<path>[\w./\\-]+\.rs):(?<line>\d+)|^(?<path>/[\w./-]+\.(?:js|mjs|cjs|ts)):(?<line>\d+)\s*$)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex MessageLocation();

    // logback/log4j print the jar a frame came from: "~[spring-web-5.1.4.RELEASE.jar:...]" is a library, "~[main/:na]" is not
    [GeneratedRegex(@"\[[\w.-]+-\d[\w.-]*\.jar:", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex LibraryJar();
}
