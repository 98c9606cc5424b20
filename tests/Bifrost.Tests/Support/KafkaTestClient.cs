using System.Collections.Concurrent;
using Confluent.Kafka;

namespace Bifrost.Tests;

/// <summary>The one set of plain Confluent.Kafka clients for tests: produce requests, read and collect what Bifrost publishes.</summary>
internal static class KafkaTestClient
{
    /// <summary>The 0.9 test broker's compatibility settings (configuration, as in config.test-broker.yaml).</summary>
    public static readonly Dictionary<string, string> Broker09 = new()
    {
        ["api.version.request"] = "false",
        ["broker.version.fallback"] = "0.9.0.1",
    };

    public static string UniqueTopic(string name) => $"t{Guid.NewGuid().ToString("N")[..10]}.{name}";

    /// <summary>Configuration for an in-process host or a `bifrost serve` process against <paramref name="bootstrap"/>.</summary>
    public static Dictionary<string, string> ServiceEnvironment(string bootstrap, string databaseUrl, string requestTopic, string resultTopic, string dlqTopic, bool broker09 = true)
    {
        var env = new Dictionary<string, string>
        {
            ["KAFKA_BOOTSTRAP_SERVERS"] = bootstrap,
            ["DATABASE_URL"] = databaseUrl,
            ["LOG_LEVEL"] = "warning",
            ["kafka__group_id"] = "g-" + Guid.NewGuid().ToString("N")[..10],
            ["kafka__topics__request"] = requestTopic,
            ["kafka__topics__result"] = resultTopic,
            ["kafka__topics__dlq"] = dlqTopic,
            ["kafka__shutdown_timeout_seconds"] = "5",
            ["heimdall__callback_topic"] = resultTopic,
            ["heimdall__retry_backoff_seconds"] = "0.1",
        };
        if (broker09)
        {
            env["kafka__dlq_headers"] = "false";
            env["kafka__trace_headers"] = "false";
            env["kafka__result_headers"] = "false";
            env["kafka__consumer__session.timeout.ms"] = "6000";
            env["kafka__producer__enable.idempotence"] = "false";
            foreach (var (key, value) in Broker09)
            {
                env[$"kafka__consumer__{key}"] = value;
                env[$"kafka__producer__{key}"] = value;
            }
        }

        return env;
    }

    public static ClientConfig Client(string bootstrap, bool broker09 = true)
    {
        var config = new ClientConfig { BootstrapServers = bootstrap };
        if (broker09)
        {
            foreach (var (key, value) in Broker09)
            {
                config.Set(key, value);
            }
        }

        return config;
    }

    /// <summary>A string producer on the test broker (what Heimdall or an operator would run).</summary>
    public static IProducer<string?, string> Producer() =>
        new ProducerBuilder<string?, string>(new ProducerConfig(Client(TestServices.Kafka))).Build();

    /// <summary>An analysis.request message as the guide's contract writes it (shared/contract/README.md).</summary>
    public static Message<string?, string> Request(string service, string environment, string log)
    {
        var requestId = Guid.NewGuid().ToString();
        var value = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["request_id"] = requestId,
            ["log_id"] = Random.Shared.NextInt64(1, 1_000_000_000),
            ["log_content"] = log,
            ["service_name"] = service,
            ["environment"] = environment,
            ["correlation_id"] = "corr-" + requestId,
        });
        return new Message<string?, string> { Key = service, Value = value };
    }

    /// <summary>Reads <paramref name="topic"/> from the beginning until <paramref name="until"/> matches a record.</summary>
    public static ConsumeResult<string?, string>? ConsumeUntil(string topic, Func<ConsumeResult<string?, string>, bool> until, TimeSpan timeout)
    {
        var config = new ConsumerConfig(Client(TestServices.Kafka))
        {
            GroupId = "test-reader-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            SessionTimeoutMs = 10000,
        };
        using var consumer = new ConsumerBuilder<string?, string>(config).Build();
        consumer.Subscribe(topic);
        var deadline = DateTime.UtcNow + timeout;
        try
        {
            while (DateTime.UtcNow < deadline)
            {
                var result = consumer.Consume(TimeSpan.FromMilliseconds(250));
                if (result is not null && !result.IsPartitionEOF && until(result))
                {
                    return result;
                }
            }

            return null;
        }
        finally
        {
            consumer.Close();
        }
    }

    /// <summary>Every record of <paramref name="topic"/> up to the current high watermarks (assign, no group commit).</summary>
    public static List<ConsumeResult<string?, string>> ReadAll(string topic, TimeSpan timeout)
    {
        var config = new ConsumerConfig(Client(TestServices.Kafka))
        {
            GroupId = "test-reader",
            EnableAutoCommit = false,
            EnablePartitionEof = true,
        };
        using var admin = new AdminClientBuilder(Client(TestServices.Kafka)).Build();
        using var consumer = new ConsumerBuilder<string?, string>(config).Build();
        var partitions = admin.GetMetadata(topic, timeout).Topics.Single().Partitions.Select(p => new TopicPartition(topic, p.PartitionId)).ToList();
        var ends = partitions.ToDictionary(p => p.Partition.Value, p => consumer.QueryWatermarkOffsets(p, timeout).High.Value);
        var records = new List<ConsumeResult<string?, string>>();
        var open = ends.Where(e => e.Value > 0).Select(e => e.Key).ToHashSet();
        consumer.Assign(partitions.Where(p => open.Contains(p.Partition.Value)).Select(p => new TopicPartitionOffset(p, Offset.Beginning)));
        var deadline = DateTime.UtcNow + timeout;
        while (open.Count > 0 && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is null)
            {
                continue;
            }

            if (!result.IsPartitionEOF)
            {
                records.Add(result);
            }

            if (result.IsPartitionEOF || result.Offset.Value + 1 >= ends[result.Partition.Value])
            {
                open.Remove(result.Partition.Value);
            }
        }

        consumer.Close();
        return records;
    }

    public static async Task ProduceAsync(string bootstrap, string topic, IEnumerable<(byte[]? Key, byte[] Value)> records, bool broker09 = true)
    {
        var config = new ProducerConfig(Client(bootstrap, broker09)) { Acks = Acks.All, LingerMs = 5 };
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(config).Build();
        var failures = new ConcurrentQueue<Error>();
        var count = 0;
        foreach (var (key, value) in records)
        {
            while (true)
            {
                try
                {
                    producer.Produce(topic, new Message<byte[]?, byte[]?> { Key = key, Value = value }, r =>
                    {
                        if (r.Error.IsError)
                        {
                            failures.Enqueue(r.Error);
                        }
                    });
                    break;
                }
                catch (ProduceException<byte[]?, byte[]?> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(50));
                }
            }

            count++;
        }

        await Task.Run(() => producer.Flush(TimeSpan.FromSeconds(60)));
        Assert.True(failures.IsEmpty, $"producing {count} test records failed: {string.Join(", ", failures.Take(3))}");
    }
}

/// <summary>
/// Reads a topic from its current end (so earlier runs on the same broker do not count) into a list,
/// on a background thread, until disposed.
/// </summary>
internal sealed class TopicCollector : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private readonly ConcurrentQueue<ConsumeResult<byte[]?, byte[]?>> _records = new();
    private readonly IConsumer<byte[]?, byte[]?> _consumer;

    public TopicCollector(string bootstrap, string topic, bool broker09 = true)
    {
        var config = new ConsumerConfig(KafkaTestClient.Client(bootstrap, broker09))
        {
            GroupId = "collector-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        };
        _consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).SetLogHandler((_, _) => { }).Build();
        using var admin = new AdminClientBuilder(KafkaTestClient.Client(bootstrap, broker09)).SetLogHandler((_, _) => { }).Build();
        var partitions = PartitionsOf(admin, topic);
        _consumer.Assign(partitions.Select(p =>
        {
            var tp = new TopicPartition(topic, p);
            return new TopicPartitionOffset(tp, _consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10)).High);
        }));
        _thread = new Thread(Run) { IsBackground = true, Name = "collector-" + topic };
        _thread.Start();
    }

    /// <summary>Metadata for the topic, retried until the broker has created it (0.9 auto-creates on metadata requests).</summary>
    private static List<int> PartitionsOf(IAdminClient admin, string topic)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var meta = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single();
            if (meta.Error.Code == ErrorCode.NoError && meta.Partitions.Count > 0 && meta.Partitions.All(p => p.Leader >= 0))
            {
                return [.. meta.Partitions.Select(p => p.PartitionId)];
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"topic {topic} not available: {meta.Error}");
            }

            Thread.Sleep(200);
        }
    }

    public IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> Records => [.. _records];

    public int Count => _records.Count;

    private void Run()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                if (_consumer.Consume(TimeSpan.FromMilliseconds(100)) is { Message: not null } r)
                {
                    _records.Enqueue(r);
                }
            }
            catch (ConsumeException)
            {
            }
        }
    }

    /// <summary>Waits until <paramref name="count"/> records arrived, then <paramref name="settle"/> more to catch extras.</summary>
    public async Task<IReadOnlyList<ConsumeResult<byte[]?, byte[]?>>> WaitForAsync(int count, TimeSpan timeout, TimeSpan? settle = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        await Task.Delay(settle ?? TimeSpan.FromSeconds(1));
        return Records;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _consumer.Close();
        _consumer.Dispose();
    }
}
