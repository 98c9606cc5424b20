using System.Globalization;
using Microsoft.Extensions.Options;

namespace Bifrost.Configuration;

/// <summary>
/// Start-up checks. Each failure is one line naming the key as written in config.yaml, e.g.
/// <c>analysis.retry_attempts must be >= 0 (got -1)</c>; `serve` prints the first and exits with code 2.
/// </summary>
internal static class Check
{
    public static void AtLeast(List<string> failures, string key, double value, double min)
    {
        if (!(value >= min))
        {
            failures.Add($"{key} must be >= {min.ToString(CultureInfo.InvariantCulture)} (got {value.ToString(CultureInfo.InvariantCulture)})");
        }
    }

    public static void Positive(List<string> failures, string key, double value)
    {
        if (!(value > 0))
        {
            failures.Add($"{key} must be > 0 (got {value.ToString(CultureInfo.InvariantCulture)})");
        }
    }

    public static void NotEmpty(List<string> failures, string key, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            failures.Add($"{key} must not be empty");
        }
    }

    public static ValidateOptionsResult Result(List<string> failures) =>
        failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
}

internal sealed class KafkaOptionsValidator : IValidateOptions<KafkaOptions>
{
    public ValidateOptionsResult Validate(string? name, KafkaOptions o)
    {
        var f = new List<string>();
        foreach (var server in o.BootstrapServers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = server.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(server.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                f.Add($"kafka.bootstrap_servers must be a comma-separated list of host:port (got \"{server}\")");
            }
        }

        Check.NotEmpty(f, "kafka.group_id", o.GroupId);
        Check.NotEmpty(f, "kafka.topics.request", o.Topics.Request);
        Check.NotEmpty(f, "kafka.topics.result", o.Topics.Result);
        Check.NotEmpty(f, "kafka.topics.dlq", o.Topics.Dlq);
        Check.AtLeast(f, "kafka.max_in_flight", o.MaxInFlight, 1);
        Check.AtLeast(f, "kafka.max_message_bytes", o.MaxMessageBytes, 1024);
        Check.AtLeast(f, "kafka.shutdown_timeout_seconds", o.ShutdownTimeoutSeconds, 0);
        return Check.Result(f);
    }
}

internal sealed class HeimdallOptionsValidator : IValidateOptions<HeimdallOptions>
{
    public ValidateOptionsResult Validate(string? name, HeimdallOptions o)
    {
        var f = new List<string>();
        for (var i = 0; i < o.AllowedCallbackTopics.Count; i++)
        {
            Check.NotEmpty(f, $"heimdall.allowed_callback_topics[{i}]", o.AllowedCallbackTopics[i]);
        }

        return Check.Result(f);
    }
}

internal sealed class AnalysisOptionsValidator : IValidateOptions<AnalysisOptions>
{
    public ValidateOptionsResult Validate(string? name, AnalysisOptions o)
    {
        var f = new List<string>();
        Check.Positive(f, "analysis.timeout_seconds", o.TimeoutSeconds);
        Check.AtLeast(f, "analysis.retry_attempts", o.RetryAttempts, 0);
        Check.AtLeast(f, "analysis.retry_backoff_seconds", o.RetryBackoffSeconds, 0);
        return Check.Result(f);
    }
}

internal sealed class AiOptionsValidator : IValidateOptions<AiOptions>
{
    public ValidateOptionsResult Validate(string? name, AiOptions o)
    {
        var f = new List<string>();
        Check.AtLeast(f, "ai.max_tokens", o.MaxTokens, 1);
        Check.AtLeast(f, "ai.builtin_cache_size", o.BuiltinCacheSize, 0);
        if (o.Temperature is < 0 or > 2)
        {
            f.Add($"ai.temperature must be between 0 and 2 (got {o.Temperature.ToString(CultureInfo.InvariantCulture)})");
        }

        Check.Positive(f, "ai.timeout", o.Timeout);
        return Check.Result(f);
    }
}

internal sealed class LoggingOptionsValidator : IValidateOptions<LoggingOptions>
{
    public ValidateOptionsResult Validate(string? name, LoggingOptions o)
    {
        var f = new List<string>();
        if (o.Format is not ("text" or "json"))
        {
            f.Add($"logging.format must be text or json (got \"{o.Format}\")");
        }

        if (LoggingOptions.ParseLevel(o.Level) is null)
        {
            f.Add($"logging.level must be one of trace, debug, info, warning, error, critical (got \"{o.Level}\")");
        }

        return Check.Result(f);
    }
}

/// <summary>Turns what options binding and validation throw into the one line `serve` prints.</summary>
public static class ConfigurationErrors
{
    public static string? Describe(Exception exception)
    {
        switch (exception)
        {
            case ConfigurationException c:
                return c.Message;
            case OptionsValidationException v:
                return v.Failures.FirstOrDefault() ?? v.Message;
            case InvalidOperationException io when io.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal):
                // "Failed to convert configuration value 'abc' at 'heimdall:retry_attempts' to type 'System.Int32'."
                var parts = io.Message.Split('\'');
                return parts.Length >= 6
                    ? $"{parts[3].Replace(':', '.')} has an invalid value \"{parts[1]}\" (expected {parts[5].Replace("System.", "", StringComparison.Ordinal)})"
                    : io.Message;
            case ArgumentException arg when arg.Message.Contains("configuration property", StringComparison.OrdinalIgnoreCase):
                // librdkafka rejected a passthrough property (kafka.consumer / kafka.producer).
                return $"kafka: {arg.Message}";
            case AggregateException a when a.InnerExceptions.Count > 0:
                return Describe(a.InnerExceptions[0]);
            default:
                return exception.InnerException is { } inner ? Describe(inner) : null;
        }
    }
}
