namespace Bifrost.Analysis.Normalization;

/// <summary>The dominant layout of an excerpt; decides how a line's prefix and message are read.</summary>
public enum LogShape
{
    /// <summary>Free text: bare messages and stack traces with no common prefix.</summary>
    Plain,
    /// <summary>Lines carry a timestamp and/or level prefix (log4j, logback, Serilog, Python logging, ...).</summary>
    Prefixed,
    /// <summary>One JSON object per line (structured logging).</summary>
    Json,
    /// <summary><c>key=value</c> pairs (logfmt: Go, Heroku, Grafana stack).</summary>
    Logfmt,
    /// <summary>RFC 3164/5424 syslog or journald lines (<c>Jun  2 17:26:16 host app[pid]: ...</c>).</summary>
    Syslog,
    /// <summary>Kubernetes events, <c>kubectl describe</c> or <c>kubectl get pods</c> output.</summary>
    Kubernetes,
}

/// <summary>How loud a line is, read from its level token. <see cref="Unknown"/> when the line has none.</summary>
public enum LogLevel
{
    Unknown,
    Trace,
    Debug,
    Info,
    Warn,
    Error,
    Fatal,
}
