namespace Bifrost.Heimdall;

/// <summary>
/// Release 2 sends the log's own level as <c>priority</c>; Bifrost's priorities are LOW/NORMAL/HIGH/CRITICAL.
/// FATAL → CRITICAL, ERROR → HIGH, WARN → NORMAL, INFO/DEBUG → LOW, with the other common spellings of the same
/// levels (syslog, java.util.logging, .NET) mapped alike. A level nobody names is NORMAL, not a rejected job.
/// </summary>
public static class LogLevels
{
    public static string ToPriority(string? level) => level?.Trim().ToUpperInvariant() switch
    {
        "FATAL" or "CRITICAL" or "CRIT" or "EMERG" or "EMERGENCY" or "ALERT" or "PANIC" or "SEVERE" => "CRITICAL",
        "ERROR" or "ERR" or "HIGH" => "HIGH",
        "WARN" or "WARNING" or "NORMAL" or "NOTICE" => "NORMAL",
        "INFO" or "INFORMATION" or "DEBUG" or "TRACE" or "VERBOSE" or "FINE" or "FINER" or "FINEST" or "CONFIG" or "LOW" => "LOW",
        _ => "NORMAL",
    };
}
