using Microsoft.Extensions.Configuration;

namespace Bifrost.Configuration;

/// <summary><c>logging</c> section: console format and default level (env: LOG_FORMAT, LOG_LEVEL).</summary>
public sealed class LoggingOptions
{
    public const string Section = "logging";

    /// <summary>text | json (one JSON object per line, scopes included).</summary>
    [ConfigurationKeyName("format")] public string Format { get; set; } = "text";

    /// <summary>trace | debug | info | warning | error | critical (Python-style names accepted).</summary>
    [ConfigurationKeyName("level")] public string Level { get; set; } = "info";

    public static LogLevel? ParseLevel(string? level) => level?.Trim().ToLowerInvariant() switch
    {
        "trace" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "info" or "information" => LogLevel.Information,
        "warn" or "warning" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "critical" or "fatal" => LogLevel.Critical,
        "none" or "off" => LogLevel.None,
        _ => null,
    };
}
