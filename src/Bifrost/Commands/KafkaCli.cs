using System.CommandLine;
using Bifrost.Configuration;

namespace Bifrost.Commands;

/// <summary>
/// The Kafka connection options the operator commands share (topics describe, dlq list/replay):
/// <c>--bootstrap-servers</c> (default <c>$KAFKA_BOOTSTRAP_SERVERS</c>) and <c>-X name=value</c> for any
/// librdkafka property (e.g. <c>-X api.version.request=false</c> for a 0.9 broker, <c>-X security.protocol=SSL</c>).
/// </summary>
internal static class KafkaCli
{
    public static Option<string> BootstrapServers() => new("--bootstrap-servers", "-b")
    {
        Description = "Kafka bootstrap servers (default: $KAFKA_BOOTSTRAP_SERVERS)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("KAFKA_BOOTSTRAP_SERVERS") ?? "",
    };

    public static Option<string[]> Properties() => new("--property", "-X")
    {
        Description = "librdkafka client property name=value (repeatable)",
        AllowMultipleArgumentsPerToken = false,
        DefaultValueFactory = _ => [],
    };

    /// <summary>A <see cref="KafkaOptions"/> whose consumer and producer both get <paramref name="properties"/>.</summary>
    public static KafkaOptions Options(string bootstrapServers, IReadOnlyDictionary<string, string> properties, string? requestTopic = null, string? dlqTopic = null)
    {
        if (string.IsNullOrWhiteSpace(bootstrapServers))
        {
            throw new ArgumentException("no Kafka bootstrap servers: pass --bootstrap-servers or set KAFKA_BOOTSTRAP_SERVERS");
        }

        var options = new KafkaOptions { BootstrapServers = bootstrapServers };
        foreach (var (key, value) in properties)
        {
            options.Consumer[key] = value;
            options.Producer[key] = value;
        }

        options.Topics.Request = requestTopic ?? options.Topics.Request;
        options.Topics.Dlq = dlqTopic ?? options.Topics.Dlq;
        return options;
    }

    /// <summary>Parses <c>name=value</c> pairs; a malformed one is a usage error naming it.</summary>
    public static IReadOnlyDictionary<string, string> ParseProperties(IEnumerable<string> pairs)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new ArgumentException($"-X {pair}: expected name=value");
            }

            properties[pair[..eq].Trim()] = pair[(eq + 1)..].Trim();
        }

        return properties;
    }

    /// <summary>Properties that belong to consumers or producers only; librdkafka rejects them on an admin client.</summary>
    public static Dictionary<string, string> ForAdminClient(IReadOnlyDictionary<string, string> properties) =>
        properties.Where(p => !AdminIrrelevant.Any(prefix => p.Key.StartsWith(prefix, StringComparison.Ordinal)))
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private static readonly string[] AdminIrrelevant =
        ["group.", "session.", "auto.", "enable.", "fetch.", "max.poll", "heartbeat.", "partition.assignment", "isolation.", "acks", "linger.", "batch.", "compression.", "queue.buffering", "retries", "retry.", "delivery.", "message.send", "statistics.interval"];
}
