using System.Text;
using System.Text.Json.Nodes;
using Bifrost.Analysis;
using Bifrost.Analyzers;
using Bifrost.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Bifrost.Tests.Pipeline;

/// <summary>Transient failures are retried, never dropped; what still fails goes to the DLQ; redelivery re-publishes the stored result.</summary>
public class FailureHandlingTests
{
    private sealed class ScriptedAnalyzer(Func<int, AnalyzerRequest, CancellationToken, Task> beforeAnswer) : IAnalyzer
    {
        private int _calls;

        public int Calls => _calls;

        public async Task<AnalyzerOutcome> AnalyzeAsync(AnalyzerRequest request, CancellationToken cancellationToken)
        {
            await beforeAnswer(Interlocked.Increment(ref _calls), request, cancellationToken);
            var report = new LogAnalyzer().Analyze(new AnalysisInput(request.LogContent, request.ServiceName, request.Environment));
            return new AnalyzerOutcome(report, "builtin", report.Model);
        }
    }

    private sealed record Setup(TestDatabase Db, string RequestTopic, TopicCollector Results, TopicCollector Dead, Dictionary<string, string> Env) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Results.Dispose();
            Dead.Dispose();
            await Db.DisposeAsync();
        }
    }

    private static async Task<Setup> SetUpAsync(params (string Key, string Value)[] settings)
    {
        var db = await TestDatabase.CreateAsync();
        var (requestTopic, resultTopic, dlqTopic) = (KafkaTestClient.UniqueTopic("request"), KafkaTestClient.UniqueTopic("result"), KafkaTestClient.UniqueTopic("dlq"));
        var env = KafkaTestClient.ServiceEnvironment(TestServices.Kafka, db.Url, requestTopic, resultTopic, dlqTopic);
        foreach (var (key, value) in settings)
        {
            env[key] = value;
        }

        return new Setup(db, requestTopic, new TopicCollector(TestServices.Kafka, resultTopic), new TopicCollector(TestServices.Kafka, dlqTopic), env);
    }

    [Fact]
    public async Task AnalyzerAlwaysFailing_GoesToDlqAsAnalysisFailed_WithAttempts()
    {
        await using var s = await SetUpAsync(("heimdall__retry_attempts", "2"), ("heimdall__retry_backoff_seconds", "0.05"));
        var analyzer = new ScriptedAnalyzer((_, _, _) => throw new HttpRequestException("model server down"));
        await using var bifrost = await TestHost.StartAsync(s.Env, services => services.AddSingleton<IAnalyzer>(analyzer));
        await KafkaTestClient.ProduceAsync(TestServices.Kafka, s.RequestTopic, [(Encoding.UTF8.GetBytes("k"), TestRequests.Json("fail-1", 9, "ERROR x"))]);

        var letter = Assert.Single(await s.Dead.WaitForAsync(1, TimeSpan.FromSeconds(60)));
        Contract.AssertValid("dlq.failed.schema.json", letter.Message.Value!);
        var json = JsonNode.Parse(letter.Message.Value)!;
        Assert.Equal("ANALYSIS_FAILED", json["error_code"]!.GetValue<string>());
        Assert.Equal(3, json["attempts"]!.GetValue<int>());
        Assert.Contains("model server down", json["error_message"]!.GetValue<string>());
        Assert.Equal("fail-1", json["request_id"]!.GetValue<string>());
        Assert.Equal("fail-1", json["payload"]!["request_id"]!.GetValue<string>());
        Assert.Empty(s.Results.Records);
        Assert.Equal(3, analyzer.Calls);
        var stored = await bifrost.Services.GetRequiredService<IAnalysisStore>().GetByRequestIdAsync("fail-1", default);
        Assert.Equal((AnalysisStatus.FAILED, 3), (stored!.Status, stored.Attempts));
    }

    [Fact]
    public async Task AnalyzerTimingOutTwice_IsRetried_ThenCompletes()
    {
        await using var s = await SetUpAsync(("heimdall__retry_attempts", "3"), ("heimdall__timeout_seconds", "0.2"), ("heimdall__retry_backoff_seconds", "0.05"));
        var analyzer = new ScriptedAnalyzer((call, _, ct) => call <= 2 ? Task.Delay(TimeSpan.FromSeconds(30), ct) : Task.CompletedTask);
        await using var bifrost = await TestHost.StartAsync(s.Env, services => services.AddSingleton<IAnalyzer>(analyzer));
        await KafkaTestClient.ProduceAsync(TestServices.Kafka, s.RequestTopic, [(null, TestRequests.Json("slow-1", 10, "ERROR x"))]);

        var result = Assert.Single(await s.Results.WaitForAsync(1, TimeSpan.FromSeconds(60)));
        Assert.Equal("slow-1", JsonNode.Parse(result.Message.Value)!["request_id"]!.GetValue<string>());
        Assert.Empty(s.Dead.Records);
        var stored = await bifrost.Services.GetRequiredService<IAnalysisStore>().GetByRequestIdAsync("slow-1", default);
        Assert.Equal((AnalysisStatus.COMPLETED, 3), (stored!.Status, stored.Attempts));
    }

    /// <summary>A store that can be switched off, to stand for a database outage.</summary>
    private sealed class SwitchableStore(IAnalysisStore inner) : IAnalysisStore
    {
        public volatile bool Down;

        private void Check()
        {
            if (Down)
            {
                throw new Npgsql.NpgsqlException("connection refused (simulated outage)");
            }
        }

        public string Provider => inner.Provider;

        public Task MigrateAsync(CancellationToken cancellationToken) => inner.MigrateAsync(cancellationToken);

        public Task<IReadOnlyList<GetOrCreateResult>> GetOrCreateManyAsync(IReadOnlyList<NewAnalysis> requests, AnalysisStatus initialStatus, CancellationToken cancellationToken)
        {
            Check();
            return inner.GetOrCreateManyAsync(requests, initialStatus, cancellationToken);
        }

        public Task<IReadOnlyList<StoredAnalysis>> UpdateManyAsync(IReadOnlyList<StatusUpdate> updates, CancellationToken cancellationToken)
        {
            Check();
            return inner.UpdateManyAsync(updates, cancellationToken);
        }

        public Task<IReadOnlyList<GetOrCreateResult>> SaveCompletedManyAsync(IReadOnlyList<FinishedAnalysis> analyses, CancellationToken cancellationToken)
        {
            Check();
            return inner.SaveCompletedManyAsync(analyses, cancellationToken);
        }

        public Task<StoredAnalysis?> GetAsync(long id, CancellationToken cancellationToken) => inner.GetAsync(id, cancellationToken);

        public Task<StoredAnalysis?> GetByRequestIdAsync(string requestId, CancellationToken cancellationToken) => inner.GetByRequestIdAsync(requestId, cancellationToken);

        public Task<AnalysisPage> ListAsync(AnalysisQuery query, CancellationToken cancellationToken) => inner.ListAsync(query, cancellationToken);

        public Task<AnalysisStats> GetStatsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) => inner.GetStatsAsync(from, to, cancellationToken);

        public Task<IReadOnlyList<FingerprintSummary>> GetTopFingerprintsAsync(DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken) => inner.GetTopFingerprintsAsync(from, to, limit, cancellationToken);
    }

    [Fact]
    public async Task DatabaseOutage_PausesProcessing_NothingGoesToTheDlq_AllCompleteAfterwards()
    {
        await using var s = await SetUpAsync(("kafka__max_in_flight", "16"), ("heimdall__retry_backoff_seconds", "0.1"));
        var store = new SwitchableStore(DatabaseUrl.CreateStore(s.Db.Url)) { Down = false };
        await using var bifrost = await TestHost.StartAsync(s.Env, services => services.AddSingleton<IAnalysisStore>(store));
        store.Down = true;
        await KafkaTestClient.ProduceAsync(TestServices.Kafka, s.RequestTopic, Enumerable.Range(0, 60).Select(i => ((byte[]?)Encoding.UTF8.GetBytes($"k{i % 9}"), TestRequests.Json($"outage-{i}", i, "ERROR Connection timeout"))));

        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.Empty(s.Results.Records);
        Assert.Empty(s.Dead.Records);

        store.Down = false;
        var results = await s.Results.WaitForAsync(60, TimeSpan.FromSeconds(90));
        Assert.Equal(60, results.Select(r => JsonNode.Parse(r.Message.Value)!["request_id"]!.GetValue<string>()).Distinct().Count());
        Assert.Empty(s.Dead.Records);
        Assert.Equal(60, await s.Db.ScalarAsync("SELECT count(*) FROM analyses WHERE status = 'COMPLETED'"));
    }

    [Fact]
    public async Task RedeliveredRequestId_OneStoredAnalysis_SameResultRepublished()
    {
        await using var s = await SetUpAsync();
        await using var bifrost = await TestHost.StartAsync(s.Env);
        var request = TestRequests.Json("dup-1", 5, "ERROR Connection timeout to database");
        await KafkaTestClient.ProduceAsync(TestServices.Kafka, s.RequestTopic, [(Encoding.UTF8.GetBytes("a"), request), (Encoding.UTF8.GetBytes("b"), request)]);
        await s.Results.WaitForAsync(2, TimeSpan.FromSeconds(60), settle: TimeSpan.FromMilliseconds(200));
        await KafkaTestClient.ProduceAsync(TestServices.Kafka, s.RequestTopic, [(Encoding.UTF8.GetBytes("c"), request)]);

        var results = await s.Results.WaitForAsync(3, TimeSpan.FromSeconds(60));
        Assert.Equal(3, results.Count);
        Assert.All(results, r => Assert.Equal(results[0].Message.Value, r.Message.Value));
        Assert.Equal(1, await s.Db.ScalarAsync("SELECT count(*) FROM analyses"));
    }
}
