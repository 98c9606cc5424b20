using System.Globalization;
using Bifrost.Storage;

namespace Bifrost.Tests.Storage;

/// <summary>One behaviour suite, run against both stores (PostgreSQL and SQLite).</summary>
public abstract class AnalysisStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-11-12T10:00:00.123Z", CultureInfo.InvariantCulture);

    protected IAnalysisStore Store { get; private set; } = null!;

    protected abstract Task<IAnalysisStore> CreateStoreAsync();

    protected virtual Task CleanupAsync() => Task.CompletedTask;

    /// <summary>
    /// Whether concurrent saves of one request_id name exactly one of them the creator. PostgreSQL: yes (one
    /// statement inserts). SQLite's portable two-step (insert PROCESSING, then complete) can let both callers complete
    /// the row; it still holds one row per request, and it serves one embedded instance.
    /// </summary>
    protected virtual bool OneCreatorUnderRace => false;

    public async Task InitializeAsync()
    {
        Store = await CreateStoreAsync();
        await Store.MigrateAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (Store is IAsyncDisposable d)
        {
            await d.DisposeAsync();
        }

        await CleanupAsync();
    }

    private static NewAnalysis Request(string id, string service = "svc", DateTimeOffset? at = null, string content = "ERROR boom") =>
        new(id, "corr-" + id, 42, service, "prod", "HIGH", "error", "analysis.result", """{"host":"a"}""", content, AnalysisSources.Kafka,
            DateTimeOffset.Parse("2024-11-12T10:30:00.5Z", CultureInfo.InvariantCulture), at ?? T0);

    private static AnalysisResultData Result(string severity = "HIGH", string category = "database.timeout", string fingerprint = "fp1", DateTimeOffset? at = null) =>
        new("Database timed out.", "Pool exhausted.", "Raise the pool size.", severity, 0.87, category, fingerprint, """[{"line":1,"text":"ERROR boom"}]""",
            "bifrost-builtin/0.1", "builtin", 0.012, 0, false, false, at ?? T0.AddSeconds(1));

    private async Task<StoredAnalysis> CompletedAsync(string id, string service = "svc", string severity = "HIGH", string category = "database.timeout", string fingerprint = "fp1", DateTimeOffset? at = null, string content = "ERROR boom")
    {
        var created = await Store.GetOrCreateAsync(Request(id, service, at, content), AnalysisStatus.PROCESSING, default);
        return await Store.UpdateAsync(new StatusUpdate(created.Analysis.Id, AnalysisStatus.COMPLETED, (at ?? T0).AddSeconds(1), 1, Result: Result(severity, category, fingerprint, at?.AddSeconds(1))), default);
    }

    [Fact]
    public async Task GetOrCreate_InsertsOnce_AndRoundTripsEveryField()
    {
        var first = await Store.GetOrCreateAsync(Request("a"), AnalysisStatus.RECEIVED, default);
        Assert.True(first.Created);
        Assert.Equal(Request("a"), first.Analysis.Request);
        Assert.Equal((AnalysisStatus.RECEIVED, 0, (DateTimeOffset?)null), (first.Analysis.Status, first.Analysis.Attempts, first.Analysis.StartedAt));

        var again = await Store.GetOrCreateAsync(Request("a") with { LogContent = "different" }, AnalysisStatus.PROCESSING, default);
        Assert.False(again.Created);
        Assert.Equal(first.Analysis, again.Analysis);
    }

    [Fact]
    public async Task GetOrCreate_Processing_SetsStartedAndAttempts()
    {
        var created = await Store.GetOrCreateAsync(Request("p"), AnalysisStatus.PROCESSING, default);
        Assert.Equal((AnalysisStatus.PROCESSING, 1, (DateTimeOffset?)T0), (created.Analysis.Status, created.Analysis.Attempts, created.Analysis.StartedAt));
    }

    [Fact]
    public async Task GetOrCreateMany_DuplicatesInOneBatch_MakeOneRow()
    {
        var results = await Store.GetOrCreateManyAsync([Request("d1"), Request("d2"), Request("d1")], AnalysisStatus.PROCESSING, default);
        Assert.Equal([true, true, false], results.Select(r => r.Created));
        Assert.Equal(results[0].Analysis.Id, results[2].Analysis.Id);
        Assert.NotEqual(results[0].Analysis.Id, results[1].Analysis.Id);
    }

    [Fact]
    public async Task GetOrCreate_Concurrent_SameRequestId_OneRow()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => Store.GetOrCreateAsync(Request("race"), AnalysisStatus.PROCESSING, default))));
        Assert.Single(results, r => r.Created);
        Assert.Single(results.Select(r => r.Analysis.Id).Distinct());
    }

    [Fact]
    public async Task Complete_StoresTheResult_AndFirstCompletionWins()
    {
        var created = await Store.GetOrCreateAsync(Request("c"), AnalysisStatus.PROCESSING, default);
        var done = await Store.UpdateAsync(new StatusUpdate(created.Analysis.Id, AnalysisStatus.COMPLETED, T0.AddSeconds(2), 1, Result: Result()), default);
        Assert.Equal(AnalysisStatus.COMPLETED, done.Status);
        Assert.Equal(Result(), done.Result);
        Assert.Equal(T0.AddSeconds(2), done.CompletedAt);

        var second = await Store.UpdateAsync(new StatusUpdate(created.Analysis.Id, AnalysisStatus.COMPLETED, T0.AddSeconds(9), 2, Result: Result("LOW")), default);
        Assert.Equal(done, second);
        var late = await Store.UpdateAsync(new StatusUpdate(created.Analysis.Id, AnalysisStatus.FAILED, T0.AddSeconds(9), 3, Error: "late"), default);
        Assert.Equal(done, late);
        Assert.Equal(done, await Store.GetAsync(done.Id, default));
        Assert.Equal(done, await Store.GetByRequestIdAsync("c", default));
    }

    [Fact]
    public async Task Failed_StoresErrorAndAttempts()
    {
        var created = await Store.GetOrCreateAsync(Request("f"), AnalysisStatus.PROCESSING, default);
        await Store.UpdateAsync(new StatusUpdate(created.Analysis.Id, AnalysisStatus.PROCESSING, T0.AddSeconds(1), 2), default);
        var failed = await Store.UpdateAsync(new StatusUpdate(created.Analysis.Id, AnalysisStatus.FAILED, T0.AddSeconds(3), 2, Error: "analyzer timed out"), default);
        Assert.Equal((AnalysisStatus.FAILED, 2, "analyzer timed out", (DateTimeOffset?)T0.AddSeconds(1)), (failed.Status, failed.Attempts, failed.Error, failed.StartedAt));
        Assert.Null(failed.Result);
    }

    [Fact]
    public async Task UpdateMany_MixedTransitions_ReturnInInputOrder()
    {
        var rows = await Store.GetOrCreateManyAsync([Request("m1"), Request("m2"), Request("m3")], AnalysisStatus.RECEIVED, default);
        var updated = await Store.UpdateManyAsync(
        [
            new StatusUpdate(rows[2].Analysis.Id, AnalysisStatus.COMPLETED, T0, 1, Result: Result()),
            new StatusUpdate(rows[0].Analysis.Id, AnalysisStatus.PROCESSING, T0, 1),
            new StatusUpdate(rows[1].Analysis.Id, AnalysisStatus.FAILED, T0, 4, Error: "x"),
        ], default);
        Assert.Equal([("m3", AnalysisStatus.COMPLETED), ("m1", AnalysisStatus.PROCESSING), ("m2", AnalysisStatus.FAILED)], updated.Select(u => (u.RequestId, u.Status)));
    }

    private static FinishedAnalysis Finished(string id, string severity = "HIGH") => new(Request(id), T0, T0.AddMilliseconds(2), Result(severity));

    [Fact]
    public async Task SaveCompleted_New_OneRowCompletedWithEveryField()
    {
        var saved = await Store.SaveCompletedAsync(Finished("s1"), default);
        Assert.True(saved.Created);
        var expected = new StoredAnalysis(saved.Analysis.Id, Request("s1"), AnalysisStatus.COMPLETED, T0, T0.AddMilliseconds(2), 1, null, Result());
        Assert.Equal(expected, saved.Analysis);
        Assert.Equal(expected, await Store.GetByRequestIdAsync("s1", default));
    }

    [Fact]
    public async Task SaveCompleted_Redelivered_KeepsTheStoredResult()
    {
        var first = await Store.SaveCompletedAsync(Finished("s2"), default);
        var again = await Store.SaveCompletedAsync(Finished("s2", severity: "LOW"), default);
        Assert.False(again.Created);
        Assert.Equal(first.Analysis, again.Analysis);
        Assert.Equal("HIGH", (await Store.GetByRequestIdAsync("s2", default))!.Result!.Severity);
    }

    [Fact]
    public async Task SaveCompleted_UnfinishedRow_IsCompleted_FailedRowIsKept()
    {
        var received = await Store.GetOrCreateAsync(Request("s3"), AnalysisStatus.RECEIVED, default);
        var processing = await Store.GetOrCreateAsync(Request("s4"), AnalysisStatus.PROCESSING, default);
        var failed = await Store.GetOrCreateAsync(Request("s5"), AnalysisStatus.PROCESSING, default);
        failed = failed with { Analysis = await Store.UpdateAsync(new StatusUpdate(failed.Analysis.Id, AnalysisStatus.FAILED, T0, 4, Error: "x"), default) };

        var saved = await Store.SaveCompletedManyAsync([Finished("s3"), Finished("s4"), Finished("s5"), Finished("s6")], default);

        Assert.Equal([true, true, false, true], saved.Select(s => s.Created));
        Assert.Equal([received.Analysis.Id, processing.Analysis.Id, failed.Analysis.Id], saved.Take(3).Select(s => s.Analysis.Id));
        Assert.Equal((AnalysisStatus.COMPLETED, 1, Result()), (saved[0].Analysis.Status, saved[0].Analysis.Attempts, saved[0].Analysis.Result));
        Assert.Equal(T0.AddMilliseconds(2), saved[0].Analysis.StartedAt); // RECEIVED had none: started when completed
        Assert.Equal((AnalysisStatus.COMPLETED, 2), (saved[1].Analysis.Status, saved[1].Analysis.Attempts));
        Assert.Equal(failed.Analysis, saved[2].Analysis);
        Assert.Equal(saved[0].Analysis, await Store.GetByRequestIdAsync("s3", default));
        Assert.Equal(AnalysisStatus.COMPLETED, (await Store.GetByRequestIdAsync("s6", default))!.Status);
    }

    [Fact]
    public async Task SaveCompletedMany_DuplicatesInOneBatch_MakeOneRow()
    {
        var saved = await Store.SaveCompletedManyAsync([Finished("s7"), Finished("s8"), Finished("s7", severity: "LOW")], default);
        Assert.Equal([true, true, false], saved.Select(s => s.Created));
        Assert.Equal(saved[0].Analysis, saved[2].Analysis);
        Assert.Equal("HIGH", saved[2].Analysis.Result!.Severity);
    }

    [Fact]
    public async Task SaveCompletedMany_OverlappingBatchesAtOnce_MakeOneRowPerRequest()
    {
        // Two lanes (or two instances after a rebalance) storing the same request_ids at the same moment.
        var ids = Enumerable.Range(0, 200).Select(i => $"race-{i}").ToList();
        var batches = await Task.WhenAll(Enumerable.Range(0, 4).Select(k => Task.Run(() =>
            Store.SaveCompletedManyAsync([.. ids.Skip(k * 30).Take(110).Select(id => Finished(id))], default))));

        var byRequest = batches.SelectMany(b => b).GroupBy(s => s.Analysis.RequestId).ToList();
        Assert.Equal(200, byRequest.Count);
        Assert.All(byRequest, g =>
        {
            Assert.Single(g.Select(s => s.Analysis.Id).Distinct());
            Assert.All(g, s => Assert.Equal(AnalysisStatus.COMPLETED, s.Analysis.Status));
            if (OneCreatorUnderRace)
            {
                Assert.Single(g, s => s.Created);
            }
            else
            {
                Assert.Contains(g, s => s.Created);
            }
        });
    }

    [Fact]
    public async Task Update_UnknownId_Throws() =>
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Store.UpdateAsync(new StatusUpdate(999_999, AnalysisStatus.PROCESSING, T0, 1), default));

    [Fact]
    public async Task List_FiltersAndPagesNewestFirst()
    {
        for (var i = 0; i < 5; i++)
        {
            await CompletedAsync($"l{i}", service: i % 2 == 0 ? "even" : "odd", severity: i < 2 ? "CRITICAL" : "LOW", at: T0.AddMinutes(i), content: i == 3 ? "Deadlock DETECTED in tx" : "ERROR boom");
        }

        var page1 = await Store.ListAsync(new AnalysisQuery(Limit: 2), default);
        Assert.Equal(["l4", "l3"], page1.Items.Select(a => a.RequestId));
        var page2 = await Store.ListAsync(new AnalysisQuery(Limit: 2, Cursor: page1.NextCursor), default);
        Assert.Equal(["l2", "l1"], page2.Items.Select(a => a.RequestId));
        var page3 = await Store.ListAsync(new AnalysisQuery(Limit: 2, Cursor: page2.NextCursor), default);
        Assert.Equal(["l0"], page3.Items.Select(a => a.RequestId));
        Assert.Null(page3.NextCursor);

        Assert.Equal(["l4", "l2", "l0"], (await Store.ListAsync(new AnalysisQuery(ServiceName: "even"), default)).Items.Select(a => a.RequestId));
        Assert.Equal(["l1", "l0"], (await Store.ListAsync(new AnalysisQuery(Severity: "critical"), default)).Items.Select(a => a.RequestId));
        Assert.Equal(["l2", "l1"], (await Store.ListAsync(new AnalysisQuery(From: T0.AddMinutes(1), To: T0.AddMinutes(3)), default)).Items.Select(a => a.RequestId));
        Assert.Equal(["l3"], (await Store.ListAsync(new AnalysisQuery(Text: "deadlock"), default)).Items.Select(a => a.RequestId));
        Assert.Empty((await Store.ListAsync(new AnalysisQuery(Text: "100%_"), default)).Items);
        Assert.Equal(5, (await Store.ListAsync(new AnalysisQuery(Status: AnalysisStatus.COMPLETED, Category: "database.timeout"), default)).Items.Count);
        await Assert.ThrowsAsync<ArgumentException>(() => Store.ListAsync(new AnalysisQuery(Cursor: "garbage!"), default));
    }

    [Fact]
    public async Task Stats_CountByDimensionInTheWindow()
    {
        await CompletedAsync("s1", service: "a", severity: "HIGH", category: "database.timeout", at: T0);
        await CompletedAsync("s2", service: "a", severity: "LOW", category: "network.dns", at: T0.AddMinutes(1));
        await CompletedAsync("s3", service: "b", severity: "HIGH", category: "database.timeout", at: T0.AddMinutes(2));
        await Store.GetOrCreateAsync(Request("s4", "b", T0.AddMinutes(3)), AnalysisStatus.RECEIVED, default);
        await CompletedAsync("outside", at: T0.AddHours(2));

        var stats = await Store.GetStatsAsync(T0, T0.AddHours(1), default);
        Assert.Equal(4, stats.Total);
        Assert.Equal(2, stats.BySeverity["HIGH"]);
        Assert.Equal(1, stats.BySeverity["LOW"]);
        Assert.Equal(2, stats.ByCategory["database.timeout"]);
        Assert.Equal(2, stats.ByService["b"]);
        Assert.Equal(3, stats.ByStatus["COMPLETED"]);
        Assert.Equal(1, stats.ByStatus["RECEIVED"]);
    }

    [Fact]
    public async Task TopFingerprints_CountsAndLatest()
    {
        await CompletedAsync("t1", fingerprint: "fa", at: T0);
        await CompletedAsync("t2", fingerprint: "fb", at: T0.AddMinutes(1));
        await CompletedAsync("t3", fingerprint: "fa", at: T0.AddMinutes(2));
        await CompletedAsync("t4", fingerprint: "fa", at: T0.AddMinutes(3));

        var top = await Store.GetTopFingerprintsAsync(T0, T0.AddHours(1), 10, default);
        Assert.Equal([("fa", 3L, "t4"), ("fb", 1L, "t2")], top.Select(t => (t.Fingerprint, t.Count, t.Latest.RequestId)));
        Assert.Equal(T0.AddMinutes(3), top[0].LastSeen);
        Assert.Empty(await Store.GetTopFingerprintsAsync(T0.AddDays(1), T0.AddDays(2), 10, default));
    }

    [Fact]
    public async Task Migrate_IsIdempotent()
    {
        await Store.MigrateAsync(default);
        await Store.MigrateAsync(default);
        Assert.True((await Store.GetOrCreateAsync(Request("after-migrate"), AnalysisStatus.RECEIVED, default)).Created);
    }

    [Fact]
    public async Task DialectTenantAndTokenSplit_RoundTrip_AndTenantFilters()
    {
        var v2 = await Store.GetOrCreateAsync(Request("job-key") with { Dialect = "v2", TenantId = "acme" }, AnalysisStatus.PROCESSING, default);
        var done = await Store.UpdateAsync(new StatusUpdate(v2.Analysis.Id, AnalysisStatus.COMPLETED, T0.AddSeconds(1), 1,
            Result: Result() with { TokensUsed = 907, PromptTokens = 812, CompletionTokens = 95 }), default);
        var batch = await Store.SaveCompletedAsync(new FinishedAnalysis(Request("v1-req") with { Dialect = "v1" }, T0, T0.AddSeconds(1),
            Result() with { TokensUsed = 30, PromptTokens = 20, CompletionTokens = 10 }), default);
        await CompletedAsync("guide-req");

        var stored = await Store.GetAsync(done.Id, default);
        Assert.Equal(("v2", "acme", 812, 95), (stored!.Request.Dialect, stored.Request.TenantId, stored.Result!.PromptTokens, stored.Result.CompletionTokens));
        var v1 = await Store.GetByRequestIdAsync("v1-req", default);
        Assert.Equal(("v1", (string?)null, 20, 10), (v1!.Request.Dialect, v1.Request.TenantId, v1.Result!.PromptTokens, v1.Result.CompletionTokens));
        Assert.Equal(batch.Analysis.Id, v1.Id);
        Assert.Equal("guide", (await Store.GetByRequestIdAsync("guide-req", default))!.Request.Dialect);

        var acme = await Store.ListAsync(new AnalysisQuery(TenantId: "acme"), default);
        Assert.Equal("job-key", Assert.Single(acme.Items).RequestId);
        Assert.Empty((await Store.ListAsync(new AnalysisQuery(TenantId: "other"), default)).Items);
    }

    [Fact]
    public async Task Offset_SkipsTheNewestRows()
    {
        foreach (var id in new[] { "o1", "o2", "o3" })
        {
            await CompletedAsync(id);
        }

        var page = await Store.ListAsync(new AnalysisQuery(Limit: 1, Offset: 1), default);
        Assert.Equal("o2", Assert.Single(page.Items).RequestId);
    }
}

public sealed class PostgresAnalysisStoreTests : AnalysisStoreTests
{
    private TestDatabase? _database;

    protected override bool OneCreatorUnderRace => true;

    protected override async Task<IAnalysisStore> CreateStoreAsync()
    {
        _database = await TestDatabase.CreateAsync();
        return DatabaseUrl.CreateStore(_database.Url);
    }

    protected override async Task CleanupAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Fact]
    public async Task MigrationsTable_RecordsEveryVersion() =>
        Assert.Equal(Migrations.Postgres.Length, await _database!.ScalarAsync($"SELECT count(*) FROM bifrost_schema_migrations WHERE version IN ({string.Join(",", Migrations.Postgres.Select(m => m.Version))})"));
}

public sealed class SqliteAnalysisStoreTests : AnalysisStoreTests
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"bifrost-test-{Guid.NewGuid():N}.db");

    protected override Task<IAnalysisStore> CreateStoreAsync() => Task.FromResult(DatabaseUrl.CreateStore("sqlite:" + _path));

    protected override Task CleanupAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_path + suffix);
        }

        return Task.CompletedTask;
    }

    [Fact]
    public void UsesWriteAheadLog()
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + _path);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", command.ExecuteScalar());
    }
}
