using System.Globalization;
using Bifrost.Analysis;
using Bifrost.Feedback;
using Bifrost.Knowledge;
using Bifrost.Runbooks;
using Bifrost.Storage;

namespace Bifrost.Tests.Knowledge;

/// <summary>The feedback and runbook stores, one behaviour suite run against PostgreSQL and SQLite.</summary>
public abstract class KnowledgeStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-03-10T10:00:00.000Z", CultureInfo.InvariantCulture);

    protected abstract Task<string> CreateDatabaseAsync();

    protected virtual Task CleanupAsync() => Task.CompletedTask;

    private IAnalysisStore _analyses = null!;
    private KnowledgeDatabase _db = null!;
    private IFeedbackStore _feedback = null!;
    private IRunbookStore _runbooks = null!;

    public async Task InitializeAsync()
    {
        var url = await CreateDatabaseAsync();
        _analyses = DatabaseUrl.CreateStore(url);
        await _analyses.MigrateAsync(default);
        _db = KnowledgeDatabase.FromUrl(url);
        _feedback = _db.IsPostgres ? new PostgresFeedbackStore(_db) : new SqliteFeedbackStore(_db);
        _runbooks = _db.IsPostgres ? new PostgresRunbookStore(_db) : new SqliteRunbookStore(_db);
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        if (_analyses is IAsyncDisposable d) await d.DisposeAsync();
        await CleanupAsync();
    }

    private async Task<StoredAnalysis> AnalysisAsync(string requestId, string category = "database.connection", string fingerprint = "fp1", string log = "ERROR connection refused")
    {
        var request = new NewAnalysis(requestId, requestId, 7, "orders", "prod", "HIGH", "error", "analysis.result", "{}", log, AnalysisSources.Rest, T0, T0);
        var result = new AnalysisResultData("s", "r", "1. x", "MEDIUM", 0.8, category, fingerprint, "[]", "bifrost-builtin/1.0", "builtin", 0.001, 0, false, false, T0);
        return (await _analyses.SaveCompletedManyAsync([new FinishedAnalysis(request, T0, T0, result)], default))[0].Analysis;
    }

    private static FeedbackSubject Subject(StoredAnalysis a) => new(a.Id, a.Result!.Fingerprint, a.Request.ServiceName, a.Result.Category, a.Result.Severity, a.Result.Engine);

    [Fact]
    public async Task Feedback_AddEditWithdraw_KeepsHistory_BumpsVersionOnlyForKnowledge()
    {
        var a = await AnalysisAsync("f1");
        var v0 = (await KnowledgeVersions.ReadAsync(_db, default))[KnowledgeVersions.Feedback];

        var vote = await _feedback.AddAsync(Subject(a), new FeedbackInput(Helpful: false), "oncall-a", T0, default);
        Assert.Equal(v0, (await KnowledgeVersions.ReadAsync(_db, default))[KnowledgeVersions.Feedback]); // a vote changes no answer
        var correction = await _feedback.AddAsync(Subject(a), new FeedbackInput(Category: "database.pool_exhausted", Severity: "HIGH", Note: "raised max_connections"), "oncall-b", T0.AddMinutes(1), default);
        Assert.Equal(v0 + 1, (await KnowledgeVersions.ReadAsync(_db, default))[KnowledgeVersions.Feedback]);
        Assert.Equal(("database.connection", "MEDIUM", "orders", "oncall-b"), (correction.Subject.Category, correction.Subject.Severity, correction.Subject.ServiceName, correction.Author));

        var edited = await _feedback.UpdateAsync(correction.Id, new FeedbackInput(Category: "database.deadlock", ServiceSpecific: true), "oncall-c", T0.AddMinutes(2), default);
        Assert.Equal(("database.deadlock", (string?)null, true, (string?)null, "oncall-c", "oncall-b"), (edited!.Input.Category, edited.Input.Severity, edited.Input.ServiceSpecific, edited.Input.Note, edited.UpdatedBy, edited.Author));
        Assert.Equal(T0.AddMinutes(1), edited.CreatedAt);
        Assert.Equal(T0.AddMinutes(2), edited.UpdatedAt);

        Assert.Single(await _feedback.ActiveKnowledgeAsync(default));
        var withdrawn = await _feedback.WithdrawAsync(correction.Id, "oncall-a", T0.AddMinutes(3), default);
        Assert.Equal((T0.AddMinutes(3), "oncall-a"), (withdrawn!.WithdrawnAt!.Value, withdrawn.WithdrawnBy!));
        Assert.Null(await _feedback.WithdrawAsync(correction.Id, "oncall-a", T0.AddMinutes(4), default));
        Assert.Null(await _feedback.UpdateAsync(correction.Id, new FeedbackInput(Helpful: true), "x", T0, default));
        Assert.Empty(await _feedback.ActiveKnowledgeAsync(default));

        var all = await _feedback.ListAsync(new FeedbackQuery(AnalysisId: a.Id), default);
        Assert.Equal([correction.Id, vote.Id], all.Items.Select(f => f.Id));
        Assert.Equal([vote.Id], (await _feedback.ListAsync(new FeedbackQuery(IncludeWithdrawn: false), default)).Items.Select(f => f.Id));
        Assert.Equal([vote.Id], (await _feedback.ListAsync(new FeedbackQuery(Kind: "unhelpful"), default)).Items.Select(f => f.Id));
        Assert.Equal([correction.Id], (await _feedback.ListAsync(new FeedbackQuery(Kind: "correction"), default)).Items.Select(f => f.Id));
        var page = await _feedback.ListAsync(new FeedbackQuery(Limit: 1), default);
        Assert.Equal(correction.Id, Assert.Single(page.Items).Id);
        Assert.Equal([vote.Id], (await _feedback.ListAsync(new FeedbackQuery(Limit: 1, Before: page.NextBefore), default)).Items.Select(f => f.Id));
    }

    [Fact]
    public async Task FeedbackStats_HelpfulRateByGroupAndDay_MostUnhelpfulFingerprints()
    {
        var a = await AnalysisAsync("s1", fingerprint: "fpA");
        var b = await AnalysisAsync("s2", category: "network.timeout", fingerprint: "fpB");
        await _feedback.AddAsync(Subject(a), new FeedbackInput(Helpful: false), "x", T0, default);
        await _feedback.AddAsync(Subject(a), new FeedbackInput(Helpful: false), "y", T0.AddDays(1), default);
        await _feedback.AddAsync(Subject(a), new FeedbackInput(Helpful: true), "z", T0.AddDays(1), default);
        await _feedback.AddAsync(Subject(b), new FeedbackInput(Helpful: true), "x", T0, default);
        await _feedback.AddAsync(Subject(b), new FeedbackInput(Helpful: false, Note: "n"), "x", T0, default);
        var gone = await _feedback.AddAsync(Subject(b), new FeedbackInput(Helpful: false), "x", T0, default);
        await _feedback.WithdrawAsync(gone.Id, "x", T0, default);
        await _feedback.AddAsync(Subject(b), new FeedbackInput(Helpful: false), "x", T0.AddDays(40), default); // outside the window

        var stats = await _feedback.StatsAsync(T0.AddHours(-1), T0.AddDays(2), 10, default);
        Assert.Equal((2L, 3L), (stats.Total.Helpful, stats.Total.Unhelpful));
        Assert.Equal(0.4, stats.Total.HelpfulRate);
        var byCategory = stats.ByCategory.ToDictionary(c => c.Key);
        Assert.Equal((1L, 2L), (byCategory["database.connection"].Helpful, byCategory["database.connection"].Unhelpful));
        Assert.Equal((1L, 1L), (byCategory["network.timeout"].Helpful, byCategory["network.timeout"].Unhelpful));
        Assert.Equal(["2026-03-10", "2026-03-11"], stats.ByDay.Select(d => d.Key));
        Assert.Equal(5L, Assert.Single(stats.ByService).Votes);
        Assert.Equal("builtin", Assert.Single(stats.ByEngine).Key);
        Assert.Equal(["fpA", "fpB"], stats.MostUnhelpful.Select(u => u.Fingerprint));
        Assert.Equal((2L, 1L, b.Id, "network.timeout"), (stats.MostUnhelpful[0].Unhelpful, stats.MostUnhelpful[0].Helpful, stats.MostUnhelpful[1].LatestAnalysisId, stats.MostUnhelpful[1].Category));
        Assert.Equal((0L, 1L), (stats.Corrections, stats.Notes));
    }

    [Fact]
    public async Task CorrectedExcerpts_NewestActiveCorrectionPerAnalysis_WithStoredExcerpt()
    {
        var a = await AnalysisAsync("e1", log: "ERROR pool timeout");
        var b = await AnalysisAsync("e2");
        await _feedback.AddAsync(Subject(a), new FeedbackInput(Category: "database.deadlock"), "x", T0, default);
        await _feedback.AddAsync(Subject(a), new FeedbackInput(Category: "database.pool_exhausted", Severity: "HIGH", Note: "fixed"), "y", T0.AddMinutes(1), default);
        var withdrawn = await _feedback.AddAsync(Subject(b), new FeedbackInput(Severity: "LOW"), "x", T0, default);
        await _feedback.WithdrawAsync(withdrawn.Id, "x", T0, default);

        var excerpt = Assert.Single(await _feedback.CorrectedExcerptsAsync(default));
        Assert.Equal(("database.pool_exhausted", "HIGH", "ERROR pool timeout", "prod"), (excerpt.Correction.Input.Category, excerpt.Correction.Input.Severity, excerpt.LogContent, excerpt.Environment));
    }

    [Fact]
    public async Task Runbooks_ReplaceBySource_SearchFindsByWordsAndCategory_RemoveBumpsVersion()
    {
        var engine = new LogAnalyzer();
        var importer = new RunbookImporter(_runbooks, engine);
        var v0 = (await KnowledgeVersions.ReadAsync(_db, default))[KnowledgeVersions.Runbooks];
        var first = await importer.ImportAsync("./runbooks/db.md", """
            # DB
            ## Pool exhausted
            `FATAL: sorry, too many clients already` — kill idle in transaction sessions, check max_connections.
            ## Disk full
            `No space left on device` on the WAL volume: grow the gp3 volume. Seen as fingerprint 9f3ab01c77de4e21.
            """, "alice", T0, default);
        Assert.Equal(new RunbookImport("runbooks/db.md", 0, 2), first);
        Assert.Equal(v0 + 1, (await KnowledgeVersions.ReadAsync(_db, default))[KnowledgeVersions.Runbooks]);
        var sections = await _runbooks.ListSectionsAsync("runbooks/db.md", default);
        Assert.Equal([("Pool exhausted", "database.pool_exhausted"), ("Disk full", "resource.disk")], sections.Select(s => (s.Title, s.Category!)));

        // A category's sections that share a word (stemmed by the store: "volumes" finds "volume"), not another category's;
        // a fingerprint named in a section; any category only when asked.
        var found = await _runbooks.SearchManyAsync(
        [
            new RunbookSearch("resource.disk", ["volumes", "sessions"]),
            new RunbookSearch("database.pool_exhausted", ["volumes"]),
            new RunbookSearch(null, ["session", "transaction"], AnyCategory: true),
            new RunbookSearch(null, ["session", "transaction"]),
            new RunbookSearch(null, [], Fingerprint: "9f3ab01c77de4e21"),
        ], default);
        var titles = (await _runbooks.GetSectionsAsync([.. found.SelectMany(f => f).Select(h => h.SectionId)], default)).ToDictionary(s => s.Id, s => s.Title);
        Assert.Equal("Disk full", titles[Assert.Single(found[0]).SectionId]);
        Assert.Empty(found[1]);
        Assert.Equal("Pool exhausted", titles[Assert.Single(found[2]).SectionId]);
        Assert.Empty(found[3]);
        Assert.Equal("Disk full", titles[Assert.Single(found[4]).SectionId]);
        Assert.Empty(await _runbooks.GetSectionsAsync([987654], default));

        var again = await importer.ImportAsync("runbooks/db.md", "## Pool exhausted\nNew text: restart pgbouncer.\n", "bob", T0.AddDays(1), default);
        Assert.Equal(new RunbookImport("runbooks/db.md", 2, 1), again);
        Assert.Empty((await _runbooks.SearchManyAsync([new RunbookSearch(null, ["session"], AnyCategory: true)], default))[0]);
        Assert.Equal("bob", Assert.Single(await _runbooks.ListSourcesAsync(default)).AddedBy);
        Assert.Equal(1, await _runbooks.CountAsync(default));

        Assert.Equal(0, await _runbooks.RemoveSourceAsync("runbooks/other.md", default));
        Assert.Equal(1, await _runbooks.RemoveSourceAsync("runbooks/db.md", default));
        Assert.Equal(0, await _runbooks.CountAsync(default));
        Assert.Equal(v0 + 3, (await KnowledgeVersions.ReadAsync(_db, default))[KnowledgeVersions.Runbooks]);
    }

    [Fact]
    public async Task Lookups_AnAnalysisCitesItsKeysNewestAnswerAsOfItsResult()
    {
        Citation C(string title, double score) => new(1, "db.md", title, "a", score, "quote with “unicode” and `code`");
        await _runbooks.SaveLookupsAsync([new("k1", T0, [C("Pool", 0.9), C("Disk", 0.6)]), new("k2", T0, [C("Other", 0.7)])], default);
        await _runbooks.SaveLookupsAsync([new("k1", T0.AddHours(1), []), new("k1", T0, [C("Same key and time: kept once", 1)])], default);

        Assert.Equal([C("Pool", 0.9), C("Disk", 0.6)], await _runbooks.GetCitationsAsync("k1", T0, default));
        Assert.Equal([C("Pool", 0.9), C("Disk", 0.6)], await _runbooks.GetCitationsAsync("k1", T0.AddMinutes(59), default));
        Assert.Empty(await _runbooks.GetCitationsAsync("k1", T0.AddHours(2), default)); // the runbooks changed: nothing fits any more
        Assert.Empty(await _runbooks.GetCitationsAsync("k1", T0.AddSeconds(-1), default)); // before any lookup
        Assert.Empty(await _runbooks.GetCitationsAsync("missing", T0, default));
    }
}

public sealed class PostgresKnowledgeStoreTests : KnowledgeStoreTests
{
    private TestDatabase? _database;

    protected override async Task<string> CreateDatabaseAsync()
    {
        _database = await TestDatabase.CreateAsync();
        return _database.Url;
    }

    protected override async Task CleanupAsync() => await _database!.DisposeAsync();
}

public sealed class SqliteKnowledgeStoreTests : KnowledgeStoreTests
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"bifrost-knowledge-{Guid.NewGuid():N}.db");

    protected override Task<string> CreateDatabaseAsync() => Task.FromResult("sqlite:" + _path);

    protected override Task CleanupAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(_path + suffix);
        return Task.CompletedTask;
    }
}
