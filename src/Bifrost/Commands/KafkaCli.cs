using System.CommandLine;
using Bifrost.Configuration;
using Microsoft.Extensions.Configuration;

namespace Bifrost.Commands;

/// <summary>
/// The Kafka connection the operator commands share (topics describe, dlq list/replay): the <c>kafka</c> section
/// of the same configuration <c>serve</c> reads (<c>--config</c>, else $BIFROST_CONFIG, else ./config.yaml; plus
/// KAFKA_BOOTSTRAP_SERVERS and the other variables), then <c>--bootstrap-servers</c> and <c>-X name=value</c>
/// (any librdkafka property, e.g. <c>-X api.version.request=false</c> for a 0.9 broker) on top.
/// </summary>
internal static class KafkaCli
{
    public static Option<FileInfo?> Config() => new("--config") { Description = "config.yaml to read (default: $BIFROST_CONFIG, then ./config.yaml if present)" };

    public static Option<string?> BootstrapServers() => new("--bootstrap-servers", "-b") { Description = "overrides kafka.bootstrap_servers" };

    public static Option<string[]> Properties() => new("--property", "-X")
    {
        Description = "librdkafka client property name=value (repeatable), added to kafka.consumer and kafka.producer",
        DefaultValueFactory = _ => [],
    };

    /// <summary>The configured <c>kafka</c> section with the command line's overrides applied.</summary>
    public static KafkaOptions Resolve(string? configFile, string? bootstrapServers, IReadOnlyDictionary<string, string> properties)
    {
        var environment = BifrostConfiguration.ProcessEnvironment();
        var file = BifrostConfiguration.ResolveConfigFile(configFile, n => environment.TryGetValue(n, out var v) ? v : null, Directory.GetCurrentDirectory());
        var kafka = new KafkaOptions();
        BifrostConfiguration.Build(file, environment).GetSection(KafkaOptions.Section).Bind(kafka);
        return Apply(kafka, bootstrapServers, properties);
    }

    /// <summary>Options from explicit values only (tests, scripts).</summary>
    public static KafkaOptions Options(string bootstrapServers, IReadOnlyDictionary<string, string> properties, string? requestTopic = null, string? dlqTopic = null)
    {
        var kafka = Apply(new KafkaOptions(), bootstrapServers, properties);
        kafka.Topics.Request = requestTopic ?? kafka.Topics.Request;
        kafka.Topics.Dlq = dlqTopic ?? kafka.Topics.Dlq;
        return kafka;
    }

    private static KafkaOptions Apply(KafkaOptions kafka, string? bootstrapServers, IReadOnlyDictionary<string, string> properties)
    {
        if (!string.IsNullOrWhiteSpace(bootstrapServers))
        {
            kafka.BootstrapServers = bootstrapServers;
        }

        if (string.IsNullOrWhiteSpace(kafka.BootstrapServers))
        {
            throw new ConfigurationException("kafka.bootstrap_servers", "kafka.bootstrap_servers: not set (pass --bootstrap-servers, set KAFKA_BOOTSTRAP_SERVERS, or use --config)");
        }

        foreach (var (key, value) in properties)
        {
            kafka.Consumer[key] = value;
            kafka.Producer[key] = value;
        }

        return kafka;
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
                throw new ConfigurationException("-X", $"-X {pair}: expected name=value");
            }

            properties[pair[..eq].Trim()] = pair[(eq + 1)..].Trim();
        }

        return properties;
    }

    /// <summary>Runs a command body; bad configuration or arguments end it with one line and exit code 2, as <c>serve</c> does.</summary>
    public static async Task<int> GuardAsync(Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (Exception ex) when (ConfigurationErrors.Describe(ex) is { } line)
        {
            await Console.Error.WriteLineAsync($"invalid configuration: {line}").ConfigureAwait(false);
            return ServeCommand.InvalidConfiguration;
        }
    }

    /// <summary>Properties that belong to consumers or producers only; librdkafka rejects them on an admin client.</summary>
    public static Dictionary<string, string> ForAdminClient(IReadOnlyDictionary<string, string> properties) =>
        properties.Where(p => !AdminIrrelevant.Any(prefix => p.Key.StartsWith(prefix, StringComparison.Ordinal)))
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private static readonly string[] AdminIrrelevant =
        ["group.", "session.", "auto.", "enable.", "fetch.", "max.poll", "heartbeat.", "partition.assignment", "isolation.", "acks", "linger.", "batch.", "compression.", "queue.buffering", "retries", "retry.", "delivery.", "message.send", "statistics.interval"];
}
