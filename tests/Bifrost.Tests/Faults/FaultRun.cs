using Xunit.Abstractions;
using System.Text;
using System.Text.Json.Nodes;
using Bifrost.Tests.Pipeline;
using Npgsql;

namespace Bifrost.Tests.Faults;

/// <summary>
/// One fault scenario's world: a fresh database schema, fresh topics, collectors on the result and DLQ topics,
/// and the requests it sent. <see cref="AssertNothingLostAsync"/> is the check every fault test ends with:
/// every request has exactly one stored analysis and at least one result, all results for a request_id are
/// byte-identical, and the DLQ holds only the poison messages the scenario sent.
/// </summary>
internal sealed class FaultRun : IAsyncDisposable
{
    private readonly List<(byte[]? Key, byte[] Value)> _sent = [];
    private readonly HashSet<string> _requestIds = [];
    private readonly List<string> _poisonMarkers = [];
    private readonly ITestOutputHelper _output;

    private FaultRun(TestDatabase db, ITestOutputHelper output)
    {
        Database = db;
        _output = output;
        RequestTopic = KafkaTestClient.UniqueTopic("request");
        ResultTopic = KafkaTestClient.UniqueTopic("result");
        DlqTopic = KafkaTestClient.UniqueTopic("dlq");
        Results = new TopicCollector(TestServices.Kafka, ResultTopic);
        Dlq = new TopicCollector(TestServices.Kafka, DlqTopic);
    }

    public TestDatabase Database { get; }

    public string RequestTopic { get; }

    public string ResultTopic { get; }

    public string DlqTopic { get; }

    public TopicCollector Results { get; }

    public TopicCollector Dlq { get; }

    public int RequestCount => _requestIds.Count;

    public static async Task<FaultRun> CreateAsync(ITestOutputHelper output) => new(await TestDatabase.CreateAsync(), output);

    /// <summary>The service configuration for this run: small batches and short timeouts so faults show quickly.</summary>
    public Dictionary<string, string> Environment(int maxInFlight = 32, string logLevel = "information")
    {
        var env = KafkaTestClient.ServiceEnvironment(TestServices.Kafka, Database.Url, RequestTopic, ResultTopic, DlqTopic);
        env["LOG_LEVEL"] = logLevel;
        env["kafka__max_in_flight"] = maxInFlight.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // librdkafka: notice a dead broker and a dead group member within seconds, not minutes.
        env["kafka__consumer__socket.timeout.ms"] = "10000";
        env["kafka__producer__socket.timeout.ms"] = "10000";
        env["kafka__consumer__reconnect.backoff.max.ms"] = "1000";
        env["kafka__producer__reconnect.backoff.max.ms"] = "1000";
        env["kafka__producer__message.timeout.ms"] = "30000";
        env["database__pool_size"] = "10";
        return env;
    }

    /// <summary>Requests with realistic excerpts; every <paramref name="poisonEvery"/>-th is poison (not JSON) instead.</summary>
    public List<(byte[]? Key, byte[] Value)> NextBatch(int count, int poisonEvery = 0)
    {
        var batch = new List<(byte[]? Key, byte[] Value)>(count);
        for (var i = 0; i < count; i++)
        {
            var n = _sent.Count + batch.Count;
            if (poisonEvery > 0 && n % poisonEvery == poisonEvery - 1)
            {
                var marker = $"poison-{Guid.NewGuid():N}";
                _poisonMarkers.Add(marker);
                batch.Add((null, Encoding.UTF8.GetBytes($"{marker} is not json")));
                continue;
            }

            var requestId = $"fault-{Guid.NewGuid():N}";
            _requestIds.Add(requestId);
            batch.Add((Encoding.UTF8.GetBytes($"svc-{n % 23}"), TestRequests.Json(requestId, 10_000 + n, Excerpt(n))));
        }

        _sent.AddRange(batch);
        return batch;
    }

    private static string Excerpt(int n) => (n % 4) switch
    {
        0 => $"2026-11-26T10:{n % 60:00}:01Z ERROR [pool-{n % 7}] HikariPool-1 - Connection is not available, request timed out after 30000ms.\n\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)",
        1 => $"ERROR Connection refused: db-{n % 3}.internal:5432 (attempt {n})",
        2 => $"java.lang.OutOfMemoryError: Java heap space\n\tat java.util.Arrays.copyOf(Arrays.java:3210)\n\tat com.acme.Batch.load(Batch.java:{n % 400})",
        _ => $"WARN upstream timed out (110: Connection timed out) while reading response header from upstream, client: 10.0.{n % 250}.4, request: \"GET /api/orders/{n} HTTP/1.1\"",
    };

    public Task ProduceAsync(IEnumerable<(byte[]? Key, byte[] Value)> records) => KafkaTestClient.ProduceAsync(TestServices.Kafka, RequestTopic, records);

    /// <summary>Produces a batch spread over <paramref name="duration"/> (a stream, not one burst).</summary>
    public async Task ProducePacedAsync(List<(byte[]? Key, byte[] Value)> records, TimeSpan duration, int slices = 20, CancellationToken cancellationToken = default)
    {
        var size = (records.Count + slices - 1) / slices;
        for (var i = 0; i < records.Count; i += size)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await ProduceAsync(records.Skip(i).Take(size));
            await Task.Delay(duration / slices, cancellationToken);
        }
    }

    /// <summary>Distinct request_ids of this run seen on the result topic.</summary>
    public int DistinctResults => Results.Records.Select(RequestIdOf).Where(_requestIds.Contains).Distinct().Count();

    public async Task WaitForResultsAsync(int distinct, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DistinctResults < distinct && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
    }

    /// <summary>The closing check of every fault scenario. Returns how many results were duplicates (at-least-once redeliveries).</summary>
    public async Task<int> AssertNothingLostAsync(TimeSpan timeout)
    {
        await WaitForResultsAsync(_requestIds.Count, timeout);
        var deadline = DateTime.UtcNow + timeout;
        while (DlqMarkersSeen().Count < _poisonMarkers.Count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        await Task.Delay(TimeSpan.FromSeconds(2)); // late duplicates would show up here

        var results = Results.Records.Select(r => (Id: RequestIdOf(r), Value: r.Message.Value!)).ToList();
        var byId = results.GroupBy(r => r.Id).ToDictionary(g => g.Key, g => g.Select(r => r.Value).ToList());
        var missing = _requestIds.Where(id => !byId.ContainsKey(id)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {_requestIds.Count} requests have no result, e.g. {string.Join(", ", missing.Take(3))}");
        Assert.True(byId.Keys.All(_requestIds.Contains), "a result for a request this run never sent");
        foreach (var (id, values) in byId)
        {
            if (values.FirstOrDefault(v => !v.AsSpan().SequenceEqual(values[0])) is { } other)
            {
                Assert.Fail($"results for {id} differ:\n{Encoding.UTF8.GetString(values[0])}\n{Encoding.UTF8.GetString(other)}");
            }
        }

        // Exactly one stored analysis per request, each COMPLETED, and its id is the one the results carry.
        var stored = await StoredAsync();
        Assert.Equal(_requestIds.Count, stored.Count);
        Assert.True(_requestIds.SetEquals(stored.Keys), "stored request_ids differ from the requests sent");
        Assert.All(stored, s => Assert.Equal("COMPLETED", s.Value.Status));
        foreach (var (id, values) in byId)
        {
            Assert.Equal(stored[id].Id, JsonNode.Parse(values[0])!["bifrost_analysis_id"]!.GetValue<long>());
        }

        // The DLQ holds only the poison this run sent, each at least once.
        var letters = Dlq.Records.Select(r => Encoding.UTF8.GetString(r.Message.Value!)).ToList();
        var seen = DlqMarkersSeen();
        if (letters.FirstOrDefault(l => !_poisonMarkers.Any(l.Contains)) is { } unexpected)
        {
            Assert.Fail($"unexpected DLQ record: {unexpected}");
        }
        Assert.Equal(_poisonMarkers.Count, seen.Count);

        var duplicates = results.Count - byId.Count;
        _output.WriteLine($"{_requestIds.Count} requests, {results.Count} results ({duplicates} redelivered duplicates, all identical), {letters.Count} DLQ records for {_poisonMarkers.Count} poison messages");
        return duplicates;
    }

    private HashSet<string> DlqMarkersSeen()
    {
        var letters = Dlq.Records.Select(r => Encoding.UTF8.GetString(r.Message.Value!)).ToList();
        return [.. _poisonMarkers.Where(m => letters.Any(l => l.Contains(m, StringComparison.Ordinal)))];
    }

    public async Task<Dictionary<string, (long Id, string Status, int Attempts)>> StoredAsync()
    {
        await using var source = NpgsqlDataSource.Create(Bifrost.Storage.DatabaseUrl.Parse(Database.Url).ConnectionString);
        await using var command = source.CreateCommand("SELECT request_id, id, status, attempts FROM analyses");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<string, (long, string, int)>();
        while (await reader.ReadAsync())
        {
            Assert.True(rows.TryAdd(reader.GetString(0), (reader.GetInt64(1), reader.GetString(2), reader.GetInt32(3))), $"two stored analyses for {reader.GetString(0)}");
        }

        return rows;
    }

    private static string RequestIdOf(Confluent.Kafka.ConsumeResult<byte[]?, byte[]?> record) =>
        JsonNode.Parse(record.Message.Value!)!["request_id"]!.GetValue<string>();

    public async ValueTask DisposeAsync()
    {
        Results.Dispose();
        Dlq.Dispose();
        await Database.DisposeAsync();
    }
}
