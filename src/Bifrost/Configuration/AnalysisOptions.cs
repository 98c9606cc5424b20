using Microsoft.Extensions.Configuration;

namespace Bifrost.Configuration;

/// <summary>
/// The <c>analysis</c> section: how long one analysis may take and how often it is retried, for every channel
/// (Kafka, REST, gRPC). These keys were under <c>heimdall:</c> before; the old names are still read (see
/// <see cref="DeprecatedKeys"/>).
/// </summary>
public sealed class AnalysisOptions
{
    public const string Section = "analysis";

    /// <summary>Deadline for one analysis attempt (an LLM call gets the shorter of this and <c>ai.timeout</c>).</summary>
    [ConfigurationKeyName("timeout_seconds")] public double TimeoutSeconds { get; set; } = 30;

    /// <summary>Retries after the first failed attempt; then the analysis is FAILED (Kafka: DLQ ANALYSIS_FAILED).</summary>
    [ConfigurationKeyName("retry_attempts")] public int RetryAttempts { get; set; } = 3;

    /// <summary>First backoff, doubling per retry; also the first backoff of storage and broker retries, which never give up.</summary>
    [ConfigurationKeyName("retry_backoff_seconds")] public double RetryBackoffSeconds { get; set; } = 1;
}
