using Microsoft.Extensions.Configuration;

namespace Bifrost.Configuration;

// One options class per section of config.yaml; keys are snake_case in YAML (ConfigurationKeyName),
// defaults inline. Validation lives in OptionsValidation and names the offending key.

public sealed class KafkaOptions
{
    public const string Section = "kafka";

    /// <summary>Empty = Kafka worker disabled (embedded default).</summary>
    [ConfigurationKeyName("bootstrap_servers")] public string BootstrapServers { get; set; } = "";

    /// <summary>Any librdkafka consumer property by its own dotted name, e.g. <c>api.version.request: false</c>.</summary>
    [ConfigurationKeyName("consumer")] public Dictionary<string, string> Consumer { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Any librdkafka producer property by its own dotted name.</summary>
    [ConfigurationKeyName("producer")] public Dictionary<string, string> Producer { get; set; } = new(StringComparer.Ordinal);

    [ConfigurationKeyName("topics")] public TopicsOptions Topics { get; set; } = new();

    [ConfigurationKeyName("group_id")] public string GroupId { get; set; } = "bifrost-consumer-group";

    /// <summary>Messages analysed concurrently per instance (per-key order is kept regardless).</summary>
    [ConfigurationKeyName("max_in_flight")] public int MaxInFlight { get; set; } = 4096;

    /// <summary>Requests larger than this go to the DLQ as PAYLOAD_TOO_LARGE.</summary>
    [ConfigurationKeyName("max_message_bytes")] public int MaxMessageBytes { get; set; } = 1_048_576;

    /// <summary>How long SIGTERM waits for in-flight work before handing it back.</summary>
    [ConfigurationKeyName("shutdown_timeout_seconds")] public double ShutdownTimeoutSeconds { get; set; } = 20;

    /// <summary>Put Spring Kafka's kafka_dlt-* headers on DLQ records. Turn off for brokers older than 0.11 (no record headers).</summary>
    [ConfigurationKeyName("dlq_headers")] public bool DlqHeaders { get; set; } = true;

    /// <summary>
    /// Put the W3C trace context (<c>traceparent</c>/<c>tracestate</c>) of the publish span on result records, so
    /// Heimdall's trace continues from ours. Turn off for brokers older than 0.11 (no record headers).
    /// </summary>
    [ConfigurationKeyName("trace_headers")] public bool TraceHeaders { get; set; } = true;
}

public sealed class TopicsOptions
{
    [ConfigurationKeyName("request")] public string Request { get; set; } = "analysis.request";

    /// <summary>Where results are published (and what <c>topics create</c> makes); always allowed as a request's callback_topic.</summary>
    [ConfigurationKeyName("result")] public string Result { get; set; } = "analysis.result";

    [ConfigurationKeyName("dlq")] public string Dlq { get; set; } = "dlq.failed";
}

/// <summary>The <c>heimdall</c> section: what is specific to Heimdall's requests (timeouts and retries are in <see cref="AnalysisOptions"/>).</summary>
public sealed class HeimdallOptions
{
    public const string Section = "heimdall";

    [ConfigurationKeyName("enabled")] public bool Enabled { get; set; } = true;

    /// <summary>Other topics a request may name as <c>callback_topic</c> (besides <c>kafka.topics.result</c>).</summary>
    [ConfigurationKeyName("allowed_callback_topics")] public List<string> AllowedCallbackTopics { get; set; } = [];
}

public sealed class AiOptions
{
    public const string Section = "ai";

    /// <summary>builtin | llm | hybrid. Empty: builtin unless an LLM base_url is configured, then hybrid.</summary>
    [ConfigurationKeyName("mode")] public string Mode { get; set; } = "";

    /// <summary>ollama | openai.</summary>
    [ConfigurationKeyName("provider")] public string Provider { get; set; } = "ollama";

    [ConfigurationKeyName("base_url")] public string BaseUrl { get; set; } = "";

    [ConfigurationKeyName("model")] public string Model { get; set; } = "mistral-7b";

    [ConfigurationKeyName("api_key")] public string ApiKey { get; set; } = "";

    [ConfigurationKeyName("max_tokens")] public int MaxTokens { get; set; } = 1024;

    [ConfigurationKeyName("temperature")] public double Temperature { get; set; } = 0.1;

    /// <summary>Seconds for one LLM call.</summary>
    [ConfigurationKeyName("timeout")] public double Timeout { get; set; } = 20;

    /// <summary>Output language of explanations: en | ko.</summary>
    [ConfigurationKeyName("language")] public string Language { get; set; } = "en";

    /// <summary>Hybrid mode asks the LLM when the built-in confidence is below this.</summary>
    [ConfigurationKeyName("confidence_threshold")] public double ConfidenceThreshold { get; set; } = 0.5;

    [ConfigurationKeyName("max_concurrency")] public int MaxConcurrency { get; set; } = 4;

    [ConfigurationKeyName("cache_size")] public int CacheSize { get; set; } = 10_000;

    /// <summary>Built-in engine answers kept by exact input (0 disables): a repeated failure costs a hash, not an analysis.</summary>
    [ConfigurationKeyName("builtin_cache_size")] public int BuiltinCacheSize { get; set; } = 10_000;

    /// <summary>Token budget for the log excerpt sent to the LLM (reduced to its salient windows, ~4 chars/token).</summary>
    [ConfigurationKeyName("max_input_tokens")] public int MaxInputTokens { get; set; } = 3000;

    /// <summary>schema (JSON schema via Ollama <c>format</c> / OpenAI <c>response_format</c>) | json (plain JSON mode) | none (prompt only, for servers without either).</summary>
    [ConfigurationKeyName("structured_output")] public string StructuredOutput { get; set; } = "schema";

    /// <summary>Retries of one LLM call on transient failures (5xx, 429, connection errors), within the deadline.</summary>
    [ConfigurationKeyName("retry_attempts")] public int RetryAttempts { get; set; } = 2;

    /// <summary>Requests waiting for a free LLM slot beyond <see cref="MaxConcurrency"/>; more are answered by the built-in engine.</summary>
    [ConfigurationKeyName("queue_limit")] public int QueueLimit { get; set; } = 10_000;

    [ConfigurationKeyName("circuit_breaker")] public CircuitBreakerOptions CircuitBreaker { get; set; } = new();
}

/// <summary>When the LLM server keeps failing, stop calling it for a while and answer with the built-in engine.</summary>
public sealed class CircuitBreakerOptions
{
    [ConfigurationKeyName("failure_ratio")] public double FailureRatio { get; set; } = 0.5;
    [ConfigurationKeyName("minimum_throughput")] public int MinimumThroughput { get; set; } = 4;
    [ConfigurationKeyName("sampling_seconds")] public double SamplingSeconds { get; set; } = 30;
    [ConfigurationKeyName("break_seconds")] public double BreakSeconds { get; set; } = 15;
}

public sealed class DatabaseOptions
{
    public const string Section = "database";

    /// <summary>
    /// <c>postgresql://user:pass@host:port/db</c>, an Npgsql key=value string, or <c>sqlite:PATH</c>.
    /// Empty: the embedded SQLite file <c>bifrost.db</c>.
    /// </summary>
    [ConfigurationKeyName("url")] public string Url { get; set; } = "";

    [ConfigurationKeyName("pool_size")] public int PoolSize { get; set; } = 20;
}
