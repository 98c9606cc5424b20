using Bifrost.Configuration;
using Confluent.Kafka;

namespace Bifrost.Messaging;

/// <summary>
/// librdkafka configuration: Bifrost's defaults, then everything under <c>kafka.consumer</c> /
/// <c>kafka.producer</c> by its own dotted name (so a 0.9 broker's <c>api.version.request: false</c> goes in
/// as configuration, not code), then the few settings correctness depends on.
/// </summary>
public static class KafkaClientConfig
{
    public static ConsumerConfig Consumer(KafkaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = new ConsumerConfig
        {
            BootstrapServers = options.BootstrapServers,
            GroupId = options.GroupId,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            // Auto-commit only ever commits what we *stored*, and we store an offset only after the broker
            // acknowledged that message's result or DLQ record: at-least-once without a sync commit per message.
            EnableAutoCommit = true,
            AutoCommitIntervalMs = 1000,
            EnablePartitionEof = false,
            SessionTimeoutMs = 30000,
            StatisticsIntervalMs = 5000, // librdkafka statistics feed the per-partition lag gauge (Telemetry/KafkaStatisticsLag)
        };
        foreach (var (key, value) in options.Consumer)
        {
            config.Set(key, value);
        }

        config.EnableAutoOffsetStore = false;
        config.BootstrapServers = options.BootstrapServers;
        config.GroupId = options.GroupId;
        return config;
    }

    public static ProducerConfig Producer(KafkaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = new ProducerConfig
        {
            BootstrapServers = options.BootstrapServers,
            Acks = Acks.All,
            // Modern brokers: no duplicates or reordering from producer retries. A 0.9 broker needs
            // `enable.idempotence: false` under kafka.producer (see config.test-broker.yaml).
            EnableIdempotence = true,
            MessageSendMaxRetries = int.MaxValue,
            RetryBackoffMs = 100,
            LingerMs = 5,
            BatchNumMessages = 10000,
            // Results are JSON that repeats itself across a batch: LZ4 shrinks what the broker writes, replicates and
            // serves for little CPU (measured on scripts/bench-e2e.sh: +7 % requests/s). Every maintained client
            // decodes it; `compression.type: none` under kafka.producer turns it off.
            CompressionType = CompressionType.Lz4,
            MessageMaxBytes = Math.Max(1_000_000, options.MaxMessageBytes * 2 + 65536),
            // Delivery reports are read for their error only: copying key, value and headers back into .NET for
            // every acknowledged result would cost an allocation per record for nothing.
            DeliveryReportFields = "none",
        };
        foreach (var (key, value) in options.Producer)
        {
            config.Set(key, value);
        }

        config.BootstrapServers = options.BootstrapServers;
        return config;
    }

    public static AdminClientConfig Admin(KafkaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = new AdminClientConfig { BootstrapServers = options.BootstrapServers };
        // Connection-level settings (api.version.request, security.*) apply to the admin client too.
        foreach (var (key, value) in options.Consumer.Where(kv => kv.Key.StartsWith("api.version", StringComparison.Ordinal) || kv.Key.StartsWith("broker.version", StringComparison.Ordinal) || kv.Key.StartsWith("security.", StringComparison.Ordinal) || kv.Key.StartsWith("sasl.", StringComparison.Ordinal) || kv.Key.StartsWith("ssl.", StringComparison.Ordinal)))
        {
            config.Set(key, value);
        }

        return config;
    }
}
