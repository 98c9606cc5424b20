using Bifrost.Api.Keys;
using Bifrost.Incidents;
using Bifrost.Storage;

namespace Bifrost.Tests.Incidents;

/// <summary>
/// Incidents as the analysis store writes them (the real hot-path statements: one batched save of finished analyses,
/// and the slow path's PROCESSING → COMPLETED update) and as the incident store reads and changes them. One suite,
/// run against PostgreSQL and SQLite.
/// </summary>
public abstract class IncidentStoreTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-11-12T10:00:00.000Z", System.Globalization.CultureInfo.InvariantCulture);
    private int _next;

    protected IAnalysisStore Analyses { get; private set; } = null!;

    protected IncidentStore Incidents { get; private set; } = null!;

    protected abstract string DatabaseUrl { get; }

    protected abstract Task PrepareAsync();

    protected virtual Task CleanupAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        await PrepareAsync();
        Analyses = Bifrost.Storage.DatabaseUrl.CreateStore(DatabaseUrl);
        await Analyses.MigrateAsync(default);
        Incidents = new IncidentStore(KeyDatabase.FromUrl(DatabaseUrl), new IncidentOptions { MultiServiceWindowSeconds = 600 });
    }

    public async Task DisposeAsync()
    {
        await ((IAsyncDisposable)Analyses).DisposeAsync();
        await CleanupAsync();
    }

    protected FinishedAnalysis Finished(string fingerprint, string service, DateTimeOffset at, string severity = "HIGH", string environment = "prod",
        string category = "database.pool_exhausted", string? requestId = null)
    {
        var id = requestId ?? $"r-{Interlocked.Increment(ref _next)}";
        var request = new NewAnalysis(id, "corr-" + id, 7, service, environment, "HIGH", "error", "analysis.result", "{}", "ERROR pool", AnalysisSources.Kafka, at, at);
        var result = new AnalysisResultData($"Pool exhausted in {service}.", "cause", "1. Raise the pool size.\n2. Find the leak.", severity, 0.9, category, fingerprint,
            "[]", "builtin", "builtin", 0.001, 0, false, false, at);
        return new FinishedAnalysis(request, at, at, result);
    }

    protected Task SaveAsync(params FinishedAnalysis[] analyses) => Analyses.SaveCompletedManyAsync(analyses, default);

    private async Task<StoredIncident> OneAsync(string fingerprint, string service, DateTimeOffset? now = null)
    {
        var page = await Incidents.ListAsync(new IncidentQuery(Fingerprint: fingerprint, ServiceName: service), now ?? T0.AddHours(1), default);
        return Assert.Single(page.Items);
    }

    [Fact]
    public async Task Batch_GroupsByFingerprintAndService_WithCountsTimesEnvironmentsHighestSeverity()
    {
        await SaveAsync(
            Finished("fp1", "orders", T0.AddSeconds(10), "MEDIUM", "staging"),
            Finished("fp1", "orders", T0, "HIGH"),
            Finished("fp1", "orders", T0.AddSeconds(5), "LOW"),
            Finished("fp1", "billing", T0.AddSeconds(3)),
            Finished("fp2", "orders", T0.AddSeconds(4), category: "network.timeout"));
        await SaveAsync(Finished("fp1", "orders", T0.AddSeconds(20), "MEDIUM", category: "database.connection"));

        var orders = await OneAsync("fp1", "orders");
        Assert.Equal((4L, T0, T0.AddSeconds(20)), (orders.Count, orders.FirstSeen, orders.LastSeen));
        Assert.Equal("HIGH", orders.Severity);
        Assert.Equal(["prod", "staging"], orders.Environments);
        Assert.Equal("database.connection", orders.Category); // the latest analysis's
        Assert.Equal((IncidentStatus.Open, IncidentTransition.New, 1), (orders.Status, orders.LastTransition, orders.TransitionSeq));
        Assert.Equal("Pool exhausted in orders.", orders.Summary);
        var latest = await Analyses.GetAsync(orders.LatestAnalysisId, default);
        Assert.Equal(T0.AddSeconds(20), latest!.Request.ReceivedAt);

        Assert.Equal(1, (await OneAsync("fp1", "billing")).Count);
        Assert.Equal(1, (await OneAsync("fp2", "orders")).Count);
    }

    [Fact]
    public async Task Redelivery_OfStoredRequests_DoesNotCountTwice()
    {
        var first = Finished("fp1", "orders", T0, requestId: "same-1");
        await SaveAsync(first, Finished("fp1", "orders", T0.AddSeconds(1), requestId: "same-2"));
        await SaveAsync(first, Finished("fp1", "orders", T0.AddSeconds(1), requestId: "same-2"), Finished("fp1", "orders", T0.AddSeconds(2), requestId: "same-3"));
        Assert.Equal(3, (await OneAsync("fp1", "orders")).Count);
    }

    [Fact]
    public async Task SlowPath_ProcessingThenCompleted_FeedsTheIncidentToo()
    {
        var finished = Finished("fp-slow", "orders", T0, "CRITICAL");
        var created = await Analyses.GetOrCreateAsync(finished.Request, AnalysisStatus.PROCESSING, default);
        await Analyses.UpdateAsync(new StatusUpdate(created.Analysis.Id, AnalysisStatus.COMPLETED, T0, 1, Result: finished.Result), default); // without the caller's row
        var second = Finished("fp-slow", "orders", T0.AddSeconds(1));
        var row = (await Analyses.GetOrCreateAsync(second.Request, AnalysisStatus.PROCESSING, default)).Analysis;
        await Analyses.UpdateAsync(new StatusUpdate(row.Id, AnalysisStatus.COMPLETED, T0, 1, Result: second.Result, Current: row), default);
        // A completed row is final: completing it again changes nothing, the incident does not count it twice.
        await Analyses.UpdateAsync(new StatusUpdate(row.Id, AnalysisStatus.COMPLETED, T0, 2, Result: second.Result, Current: row), default);

        var incident = await OneAsync("fp-slow", "orders");
        Assert.Equal((2L, "CRITICAL", row.Id), (incident.Count, incident.Severity, incident.LatestAnalysisId));
    }

    [Fact]
    public async Task Resolve_ThenSeenAgain_Regresses_Once()
    {
        await SaveAsync(Finished("fp1", "orders", T0));
        var id = (await OneAsync("fp1", "orders")).Id;
        var resolved = await Incidents.ResolveAsync(id, T0.AddMinutes(1), default);
        Assert.Equal((IncidentStatus.Resolved, IncidentTransition.Resolved, 2, (DateTimeOffset?)T0.AddMinutes(1)), (resolved!.Status, resolved.LastTransition, resolved.TransitionSeq, resolved.ResolvedAt));
        Assert.Equal(2, (await Incidents.ResolveAsync(id, T0.AddMinutes(2), default))!.TransitionSeq); // resolving twice is one transition

        await SaveAsync(Finished("fp1", "orders", T0.AddSeconds(30))); // received before the resolve: counted, still resolved
        Assert.Equal(IncidentStatus.Resolved, (await OneAsync("fp1", "orders")).Status);

        await SaveAsync(Finished("fp1", "orders", T0.AddMinutes(3)));
        var regressed = await OneAsync("fp1", "orders");
        Assert.Equal((IncidentStatus.Regressed, IncidentTransition.Regressed, 3, (DateTimeOffset?)null, 3L), (regressed.Status, regressed.LastTransition, regressed.TransitionSeq, regressed.ResolvedAt, regressed.Count));

        await SaveAsync(Finished("fp1", "orders", T0.AddMinutes(4)));
        Assert.Equal((IncidentStatus.Regressed, 3), ((await OneAsync("fp1", "orders")).Status, (await OneAsync("fp1", "orders")).TransitionSeq));
    }

    [Fact]
    public async Task Severity_ReachingCritical_IsAnEscalation_Once()
    {
        await SaveAsync(Finished("fp1", "orders", T0, "MEDIUM"));
        await SaveAsync(Finished("fp1", "orders", T0.AddSeconds(1), "HIGH"));
        Assert.Equal(1, (await OneAsync("fp1", "orders")).TransitionSeq);
        await SaveAsync(Finished("fp1", "orders", T0.AddSeconds(2), "CRITICAL"), Finished("fp1", "orders", T0.AddSeconds(3), "LOW"));
        var escalated = await OneAsync("fp1", "orders");
        Assert.Equal(("CRITICAL", IncidentTransition.Escalated, 2), (escalated.Severity, escalated.LastTransition, escalated.TransitionSeq));
        await SaveAsync(Finished("fp1", "orders", T0.AddSeconds(4), "CRITICAL"));
        Assert.Equal(2, (await OneAsync("fp1", "orders")).TransitionSeq);
    }

    [Fact]
    public async Task Mute_SilencesUntilItRunsOut_ThenSeenAgainIsOpen()
    {
        await SaveAsync(Finished("fp1", "orders", T0));
        var id = (await OneAsync("fp1", "orders")).Id;
        var until = T0.AddHours(2);
        var muted = await Incidents.MuteAsync(id, until, T0.AddMinutes(1), default);
        Assert.Equal((IncidentStatus.Muted, (DateTimeOffset?)until), (muted!.Status, muted.MutedUntil));
        Assert.Single((await Incidents.ListAsync(new IncidentQuery(Status: IncidentStatus.Muted), T0.AddHours(1), default)).Items);

        await SaveAsync(Finished("fp1", "orders", T0.AddHours(1), "CRITICAL"));
        Assert.Equal(IncidentStatus.Muted, (await OneAsync("fp1", "orders", T0.AddHours(1))).Status);
        // Read after the mute ran out, it is open, though nothing was seen since.
        Assert.Equal((IncidentStatus.Open, (DateTimeOffset?)null), ((await OneAsync("fp1", "orders", T0.AddHours(3))).Status, (await OneAsync("fp1", "orders", T0.AddHours(3))).MutedUntil));
        Assert.Empty((await Incidents.ListAsync(new IncidentQuery(Status: IncidentStatus.Muted), T0.AddHours(3), default)).Items);

        await SaveAsync(Finished("fp1", "orders", T0.AddHours(3)));
        var reopened = await OneAsync("fp1", "orders", T0.AddHours(1)); // stored status, whatever the reader's clock
        Assert.Equal((IncidentStatus.Open, (DateTimeOffset?)null), (reopened.Status, reopened.MutedUntil));
    }

    [Fact]
    public async Task Reopen_FromResolvedOrMuted_IsOpen_WithoutATransition()
    {
        await SaveAsync(Finished("fp1", "orders", T0), Finished("fp2", "orders", T0));
        var a = (await OneAsync("fp1", "orders")).Id;
        var b = (await OneAsync("fp2", "orders")).Id;
        await Incidents.ResolveAsync(a, T0.AddMinutes(1), default);
        await Incidents.MuteAsync(b, T0.AddDays(1), T0.AddMinutes(1), default);

        var reopenedA = await Incidents.ReopenAsync(a, T0.AddMinutes(2), default);
        var reopenedB = await Incidents.ReopenAsync(b, T0.AddMinutes(2), default);
        Assert.Equal((IncidentStatus.Open, 2, (DateTimeOffset?)null), (reopenedA!.Status, reopenedA.TransitionSeq, reopenedA.ResolvedAt));
        Assert.Equal((IncidentStatus.Open, 1, (DateTimeOffset?)null), (reopenedB!.Status, reopenedB.TransitionSeq, reopenedB.MutedUntil));
        Assert.Null(await Incidents.ReopenAsync(999_999, T0, default));
        Assert.Null(await Incidents.ResolveAsync(999_999, T0, default));
    }

    [Fact]
    public async Task SameFingerprint_OtherServicesWithinTheWindow_FlagMultiService()
    {
        await SaveAsync(
            Finished("db-down", "orders", T0),
            Finished("db-down", "billing", T0.AddMinutes(2)),
            Finished("db-down", "search", T0.AddMinutes(5)),
            Finished("db-down", "reports", T0.AddHours(5)), // hours later: a different episode
            Finished("other", "orders", T0));

        var orders = await OneAsync("db-down", "orders");
        Assert.True(orders.MultiService);
        Assert.Equal(["billing", "search"], orders.RelatedServices);
        Assert.Equal(["billing", "orders"], (await OneAsync("db-down", "search")).RelatedServices);
        Assert.False((await OneAsync("db-down", "reports")).MultiService);
        Assert.False((await OneAsync("other", "orders")).MultiService);
    }

    [Fact]
    public async Task List_NeedsAttentionFirst_PagesThroughEveryIncidentOnce_AndFilters()
    {
        for (var i = 0; i < 12; i++)
        {
            await SaveAsync(Finished($"fp{i}", "orders", T0.AddMinutes(i), i % 3 == 0 ? "CRITICAL" : "HIGH", i % 2 == 0 ? "prod" : "staging"));
        }

        var all = (await Incidents.ListAsync(new IncidentQuery(Limit: 50), T0.AddHours(1), default)).Items;
        await Incidents.ResolveAsync(all.Single(x => x.Fingerprint == "fp11").Id, T0.AddHours(1), default); // newest, but resolved: last
        await Incidents.MuteAsync(all.Single(x => x.Fingerprint == "fp10").Id, T0.AddDays(1), T0.AddHours(1), default);
        await Incidents.ResolveAsync(all.Single(x => x.Fingerprint == "fp0").Id, T0.AddHours(1), default);
        await SaveAsync(Finished("fp0", "orders", T0.AddHours(2))); // regressed: newest and first

        var seen = new List<StoredIncident>();
        string? cursor = null;
        do
        {
            var page = await Incidents.ListAsync(new IncidentQuery(Limit: 5, Cursor: cursor), T0.AddHours(3), default);
            seen.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(12, seen.Select(s => s.Id).Distinct().Count());
        Assert.Equal(["fp0", "fp9", "fp8", "fp7", "fp6", "fp5", "fp4", "fp3", "fp2", "fp1", "fp10", "fp11"], seen.Select(s => s.Fingerprint));
        Assert.Equal(IncidentStatus.Regressed, seen[0].Status);

        Assert.Equal(6, (await Incidents.ListAsync(new IncidentQuery(Environment: "staging"), T0.AddHours(3), default)).Items.Count);
        Assert.Equal(4, (await Incidents.ListAsync(new IncidentQuery(Severity: "CRITICAL"), T0.AddHours(3), default)).Items.Count);
        Assert.Equal(10, (await Incidents.ListAsync(new IncidentQuery(Status: IncidentStatus.Active), T0.AddHours(3), default)).Items.Count);
        Assert.Equal(9, (await Incidents.ListAsync(new IncidentQuery(Status: IncidentStatus.Open), T0.AddHours(3), default)).Items.Count);
        // By id (export's stable order): pages continue where the last one stopped.
        var byId = (await Incidents.ListAsync(new IncidentQuery(ById: true, Limit: 3), T0, default));
        var nextById = await Incidents.ListAsync(new IncidentQuery(ById: true, Limit: 3, Cursor: byId.NextCursor), T0, default);
        Assert.Equal(all.Select(i => i.Id).Order().Take(6), byId.Items.Concat(nextById.Items).Select(i => i.Id));
        await Assert.ThrowsAsync<ArgumentException>(() => Incidents.ListAsync(new IncidentQuery(Cursor: "bm9wZQ=="), T0, default));
    }

    [Fact]
    public async Task Disabled_AnalysesAreStoredWithoutIncidents()
    {
        var store = Bifrost.Storage.DatabaseUrl.CreateStore(DatabaseUrl, trackIncidents: false);
        try
        {
            await store.SaveCompletedManyAsync([Finished("fp-off", "orders", T0)], default);
            var created = await store.GetOrCreateAsync(Finished("fp-off", "orders", T0).Request, AnalysisStatus.PROCESSING, default);
            await store.UpdateAsync(new StatusUpdate(created.Analysis.Id, AnalysisStatus.COMPLETED, T0, 1, Result: Finished("fp-off", "orders", T0).Result), default);
        }
        finally
        {
            await ((IAsyncDisposable)store).DisposeAsync();
        }

        Assert.Empty((await Incidents.ListAsync(new IncidentQuery(Fingerprint: "fp-off"), T0, default)).Items);
    }
}

public sealed class PostgresIncidentStoreTests : IncidentStoreTests
{
    private TestDatabase? _database;

    protected override string DatabaseUrl => _database!.Url;

    protected override async Task PrepareAsync() => _database = await TestDatabase.CreateAsync();

    protected override async Task CleanupAsync() => await _database!.DisposeAsync();

    [Fact]
    public async Task ConcurrentBatches_OnTheSameIncidents_CountEveryAnalysisOnce_WithoutDeadlock()
    {
        // Many writers, each batch touching the same incidents in a different input order: the upsert's key order
        // keeps them from deadlocking, and no occurrence is lost or counted twice.
        var services = new[] { "a", "b", "c", "d", "e", "f" };
        var batches = Enumerable.Range(0, 24).Select(b => services.Select((s, i) => Finished("fp-hot", services[(i + b) % services.Length], T0.AddSeconds(b))).Reverse().ToArray()).ToList();
        await Task.WhenAll(batches.Select(batch => Task.Run(() => Analyses.SaveCompletedManyAsync(batch, default))));
        foreach (var s in services)
        {
            Assert.Equal(24, (await Incidents.ListAsync(new IncidentQuery(Fingerprint: "fp-hot", ServiceName: s), T0, default)).Items.Single().Count);
        }
    }

    [Fact]
    public async Task Folds_OnTwoInstances_WhileBatchesAreStored_CountEveryAnalysisOnce_AndReadsSeeEveryStoredOne()
    {
        // Two instances fold in the background (skipping each other's deltas) while writers append them: every delta is
        // counted once, whoever takes it, and a read right after the writes sees them all.
        var other = new IncidentStore(KeyDatabase.FromUrl(DatabaseUrl), new IncidentOptions());
        using var stop = new CancellationTokenSource();
        var folders = new[] { Incidents, other }.Select(store => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await store.FoldAsync(default);
            }
        })).ToArray();
        try
        {
            await Task.WhenAll(Enumerable.Range(0, 40).Select(b => Task.Run(() =>
                SaveAsync([.. Enumerable.Range(0, 25).Select(i => Finished("fp-fold", $"svc{i % 3}", T0.AddSeconds(b)))]))));

            var counts = (await other.ListAsync(new IncidentQuery(Fingerprint: "fp-fold"), T0, default)).Items.ToDictionary(i => i.ServiceName, i => i.Count);
            Assert.Equal(new Dictionary<string, long> { ["svc0"] = 360, ["svc1"] = 320, ["svc2"] = 320 }, counts);
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(folders);
        }

        Assert.Equal(0, await _database!.ScalarAsync("SELECT count(*) FROM bifrost_incident_deltas"));
        Assert.Equal(1000, await _database!.ScalarAsync("SELECT sum(occurrences) FROM bifrost_incidents WHERE fingerprint = 'fp-fold'"));
    }

    [Fact]
    public async Task Read_WaitsForAFoldThatHoldsDeltas_InsteadOfSkippingThem()
    {
        await SaveAsync(Finished("fp-held", "orders", T0), Finished("fp-held", "orders", T0.AddSeconds(1)), Finished("fp-held", "orders", T0.AddSeconds(2)));

        // Another instance's fold in progress: it holds every delta, uncommitted.
        await using var holder = new Npgsql.NpgsqlConnection(Bifrost.Storage.DatabaseUrl.Parse(DatabaseUrl).ConnectionString);
        await holder.OpenAsync();
        await using var tx = await holder.BeginTransactionAsync();
        await using (var hold = new Npgsql.NpgsqlCommand("SELECT count(*) FROM (SELECT id FROM bifrost_incident_deltas FOR UPDATE) d", holder, tx))
        {
            Assert.Equal(1L, await hold.ExecuteScalarAsync()); // the batch's three analyses are one delta
        }

        var read = Incidents.ListAsync(new IncidentQuery(Fingerprint: "fp-held"), T0, default);
        // The read is blocked by the holder (a skipping read would have returned already, without the incident).
        var blocked = false;
        for (var i = 0; i < 500 && !blocked && !read.IsCompleted; i++)
        {
            blocked = await _database!.ScalarAsync($"SELECT count(*) FROM pg_stat_activity WHERE {holder.ProcessID} = ANY(pg_blocking_pids(pid))") > 0;
            await Task.Delay(20);
        }

        Assert.True(blocked, "the read did not wait for the fold holding the deltas");
        await tx.CommitAsync(); // the holder let go without folding: the read folds them itself
        Assert.Equal(3, Assert.Single((await read).Items).Count);
    }

    [Fact]
    public async Task Upgrade_AnalysesStoredBeforeIncidents_BecomeIncidents_AlreadyNotified()
    {
        var beforeIncidents = Migrations.Postgres.Where(m => m.Version < 7).OrderBy(m => m.Version).ToList();
        // A database at the last schema before incidents (every version below 7) with analyses in it; the next start
        // applies 7 and 8. (The analyses are written by today's store, so the columns of 3–6 must be there.)
        await using var scratch = await TestDatabase.CreateAsync();
        await using (var source = Npgsql.NpgsqlDataSource.Create(Bifrost.Storage.DatabaseUrl.Parse(scratch.Url).ConnectionString))
        {
            await using var create = source.CreateCommand(
                "CREATE TABLE bifrost_schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now()); " +
                string.Join("; ", beforeIncidents.Select(m => m.Sql)) +
                "; INSERT INTO bifrost_schema_migrations (version, name) VALUES " + string.Join(", ", beforeIncidents.Select(m => $"({m.Version}, 'v{m.Version}')")));
            await create.ExecuteNonQueryAsync();
        }

        var old = Bifrost.Storage.DatabaseUrl.CreateStore(scratch.Url, trackIncidents: false);
        await old.SaveCompletedManyAsync([Finished("fp-old", "orders", T0), Finished("fp-old", "orders", T0.AddSeconds(1), "CRITICAL", "staging")], default);
        await old.MigrateAsync(default);
        await ((IAsyncDisposable)old).DisposeAsync();

        Assert.Equal(Migrations.Postgres.Max(m => m.Version), await scratch.ScalarAsync("SELECT max(version) FROM bifrost_schema_migrations"));
        var incident = Assert.Single((await new IncidentStore(KeyDatabase.FromUrl(scratch.Url), new IncidentOptions()).ListAsync(new IncidentQuery(), T0, default)).Items);
        Assert.Equal((2L, "CRITICAL", T0, T0.AddSeconds(1)), (incident.Count, incident.Severity, incident.FirstSeen, incident.LastSeen));
        Assert.Equal(["prod", "staging"], incident.Environments);
        Assert.Equal(0, await scratch.ScalarAsync("SELECT count(*) FROM bifrost_incidents WHERE transition_seq > dispatched_seq"));
    }
}

public sealed class SqliteIncidentStoreTests : IncidentStoreTests
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"bifrost-incidents-{Guid.NewGuid():N}.db");

    protected override string DatabaseUrl => "sqlite:" + _path;

    protected override Task PrepareAsync() => Task.CompletedTask;

    protected override Task CleanupAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_path + suffix);
        }

        return Task.CompletedTask;
    }
}
