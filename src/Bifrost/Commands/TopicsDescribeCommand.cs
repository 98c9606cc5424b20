using System.CommandLine;
using System.Globalization;
using Confluent.Kafka;
using Bifrost.Configuration;
using Confluent.Kafka.Admin;

namespace Bifrost.Commands;

/// <summary>
/// <c>bifrost topics describe [TOPIC...]</c>: partitions, replication factor and retention of Bifrost's topics,
/// next to what the contract asks for. Uses DescribeConfigs for retention; brokers older than 0.11 cannot
/// describe configs, so there it falls back to cluster metadata and prints retention as unknown.
/// </summary>
internal static class TopicsDescribeCommand
{
    /// <summary>The contract's topics under the configured names: the same specification `topics create` uses.</summary>
    public static IReadOnlyList<TopicSpec> Contract(TopicsOptions topics) =>
        [.. TopicsCommand.Specifications(topics, null).Select(s => new TopicSpec(s.Name, s.NumPartitions, s.ReplicationFactor, long.Parse(s.Configs["retention.ms"], CultureInfo.InvariantCulture)))];

    /// <summary>Adds <c>describe</c> under the <c>topics</c> command, creating <c>topics</c> if no other command did.</summary>
    public static void Register(RootCommand root)
    {
        var topics = root.Subcommands.FirstOrDefault(c => c.Name == "topics");
        if (topics is null)
        {
            topics = new Command("topics", "Kafka topics Bifrost uses.");
            root.Subcommands.Add(topics);
        }

        topics.Subcommands.Add(Create());
    }

    public static Command Create()
    {
        var names = new Argument<string[]>("topic") { Description = "topics to describe (default: the configured request, result and DLQ topics)", Arity = ArgumentArity.ZeroOrMore };
        var config = KafkaCli.Config();
        var bootstrap = KafkaCli.BootstrapServers();
        var properties = KafkaCli.Properties();
        var timeout = new Option<double>("--timeout") { Description = "seconds to wait for the broker", DefaultValueFactory = _ => 15 };
        var command = new Command("describe", "Show partitions, replication and retention of the topics, against the contract.") { names, config, bootstrap, properties, timeout };
        command.SetAction((parse, ct) => KafkaCli.GuardAsync(() => RunAsync(
            KafkaCli.Resolve(parse.GetValue(config)?.FullName, parse.GetValue(bootstrap), KafkaCli.ParseProperties(parse.GetValue(properties)!)),
            parse.GetValue(names) is { Length: > 0 } given ? given : null, TimeSpan.FromSeconds(parse.GetValue(timeout)), Console.Out, ct)));
        return command;
    }

    /// <returns>0 when every topic exists, 1 when one is missing.</returns>
    public static async Task<int> RunAsync(KafkaOptions kafka, IReadOnlyList<string>? topics, TimeSpan timeout, TextWriter output, CancellationToken cancellationToken)
    {
        var properties = kafka.Consumer;
        var config = new AdminClientConfig(KafkaCli.ForAdminClient(properties)) { BootstrapServers = kafka.BootstrapServers };
        using var admin = new AdminClientBuilder(config).SetLogHandler((_, _) => { }).Build();
        var contract = Contract(kafka.Topics);
        var wanted = topics ?? [.. contract.Select(c => c.Name)];

        // All-topics metadata: asking for named topics would make an old broker auto-create them.
        var metadata = admin.GetMetadata(timeout);
        var retention = PredatesDescribeConfigs(properties)
            ? null
            : await RetentionAsync(admin, wanted.Where(t => metadata.Topics.Any(m => m.Topic == t)).ToList(), timeout, cancellationToken).ConfigureAwait(false);

        await output.WriteLineAsync($"{"TOPIC",-24} {"PARTITIONS",10} {"REPLICATION",11} {"RETENTION_MS",14}  CONTRACT").ConfigureAwait(false);
        var missing = 0;
        foreach (var name in wanted)
        {
            var topic = metadata.Topics.FirstOrDefault(t => t.Topic == name && !t.Error.IsError);
            if (topic is null)
            {
                missing++;
                await output.WriteLineAsync($"{name,-24} {"-",10} {"-",11} {"-",14}  missing (bifrost topics create)").ConfigureAwait(false);
                continue;
            }

            var partitions = topic.Partitions.Count;
            var replication = topic.Partitions.Count == 0 ? 0 : topic.Partitions.Min(p => p.Replicas.Length);
            long? retentionMs = retention is not null && retention.TryGetValue(name, out var ms) ? ms : null;
            var described = new TopicSpec(name, partitions, replication, retentionMs);
            await output.WriteLineAsync(
                $"{name,-24} {partitions,10} {replication,11} {retentionMs?.ToString(CultureInfo.InvariantCulture) ?? "unknown",14}  {Compare(described, contract)}").ConfigureAwait(false);
        }

        if (retention is null)
        {
            await output.WriteLineAsync("retention unknown: the broker cannot describe configs (Kafka < 0.11); values above come from metadata").ConfigureAwait(false);
        }

        return missing == 0 ? 0 : 1;
    }

    /// <summary>"ok", or what differs from the contract (e.g. "replication 1 (contract 2)"); "-" for non-contract topics.</summary>
    public static string Compare(TopicSpec described, IReadOnlyList<TopicSpec> contract)
    {
        var expected = contract.FirstOrDefault(c => c.Name == described.Name);
        if (expected is null)
        {
            return "-";
        }

        var differences = new List<string>();
        if (described.Partitions != expected.Partitions) differences.Add($"partitions {described.Partitions} (contract {expected.Partitions})");
        if (described.Replication != expected.Replication) differences.Add($"replication {described.Replication} (contract {expected.Replication})");
        if (described.RetentionMs is { } ms && ms != expected.RetentionMs) differences.Add($"retention.ms {ms} (contract {expected.RetentionMs})");
        return differences.Count == 0 ? "ok" : string.Join("; ", differences);
    }

    /// <summary>
    /// The client is told the broker is older than 0.11 (no ApiVersionRequest, fallback version below 0.11): asking
    /// for configs would only wait out the timeout, so retention is reported unknown at once.
    /// </summary>
    internal static bool PredatesDescribeConfigs(IReadOnlyDictionary<string, string> properties) =>
        properties.TryGetValue("api.version.request", out var request) && request.Equals("false", StringComparison.OrdinalIgnoreCase)
        && properties.TryGetValue("broker.version.fallback", out var fallback) && Version.TryParse(fallback, out var version)
        && version < new Version(0, 11);

    /// <summary>retention.ms per topic, or null when the broker does not support DescribeConfigs.</summary>
    private static async Task<Dictionary<string, long>?> RetentionAsync(IAdminClient admin, List<string> topics, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (topics.Count == 0)
        {
            return [];
        }

        try
        {
            var described = await admin.DescribeConfigsAsync(
                    topics.Select(t => new ConfigResource { Type = ResourceType.Topic, Name = t }),
                    new DescribeConfigsOptions { RequestTimeout = timeout })
                .WaitAsync(timeout + TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            return described.ToDictionary(
                d => d.ConfigResource.Name,
                d => d.Entries.TryGetValue("retention.ms", out var entry) ? long.Parse(entry.Value, CultureInfo.InvariantCulture) : -1);
        }
        catch (KafkaException)
        {
            return null; // Kafka 0.9/0.10: no DescribeConfigs API
        }
        catch (TimeoutException)
        {
            return null;
        }
    }
}

/// <summary>A topic's shape; <see cref="RetentionMs"/> null when unknown.</summary>
internal sealed record TopicSpec(string Name, int Partitions, int Replication, long? RetentionMs);
