using Bifrost.Analysis;
using Bifrost.Analyzers;
using Bifrost.Feedback;

namespace Bifrost.Tests.Knowledge;

/// <summary>How corrections and notes apply to the next analysis: which correction wins, what the answer says.</summary>
public class FeedbackKnowledgeTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    private static long _ids;

    private static FeedbackEntry Entry(string fingerprint = "fp1", string service = "orders", string? category = null, string? severity = null, bool specific = false,
        string? note = null, bool? helpful = null, string author = "oncall-a", TimeSpan? age = null, bool withdrawn = false)
    {
        var at = Now - (age ?? TimeSpan.FromHours(1));
        return new FeedbackEntry(Interlocked.Increment(ref _ids), new FeedbackSubject(1, fingerprint, service, "database.connection", "MEDIUM", "builtin"),
            new FeedbackInput(helpful, category, severity, specific, note), author, at, at, author, withdrawn ? Now : null, withdrawn ? author : null);
    }

    private static AnalyzerOutcome Outcome(string category = "database.connection", Severity severity = Severity.MEDIUM) => new(
        new AnalysisReport("orders cannot reach its database.", "cause", "1. Check the database.\n2. Check the network.", severity, 0.8, category, "fp1", [], "bifrost-builtin/1.0"),
        "builtin", "bifrost-builtin/1.0");

    [Fact]
    public void NewestCorrectionWins_ServiceSpecificBeatsGeneral_ForItsServiceOnly_WithdrawnIgnored()
    {
        var book = FeedbackKnowledge.Build(
        [
            Entry(category: "database.pool_exhausted", severity: "HIGH", age: TimeSpan.FromDays(3)),
            Entry(category: "database.deadlock", age: TimeSpan.FromDays(1)),
            Entry(category: "database.auth", age: TimeSpan.FromMinutes(5), withdrawn: true),
            Entry(category: "database.query", specific: true, service: "billing", age: TimeSpan.FromDays(5)),
            Entry(helpful: false),
        ]);

        var orders = book.For("fp1", "orders", 2)!;
        Assert.Equal("database.deadlock", orders.CategoryFrom!.Input.Category);
        Assert.Equal("HIGH", orders.SeverityFrom!.Input.Severity); // field by field: only the older one set a severity
        Assert.Equal(1, orders.Agreeing);
        Assert.Equal(1, orders.Disagreeing);

        Assert.Equal("database.query", book.For("fp1", "billing", 2)!.CategoryFrom!.Input.Category);
        Assert.Null(book.For("other-fingerprint", "orders", 2));
        Assert.True(FeedbackKnowledge.Build([Entry(category: "database.auth", withdrawn: true), Entry(helpful: true)]).IsEmpty);
    }

    [Fact]
    public void Apply_Correction_ChangesCategorySeverity_SaysSo_NamesOverride_ConfidenceFollowsAgreement()
    {
        var team = FeedbackKnowledge.Build([Entry(category: "database.pool_exhausted", severity: "HIGH", author: "oncall-b", age: TimeSpan.FromDays(3))]).For("fp1", "orders", 2)!;
        var applied = FeedbackEnricher.Apply(Outcome(), team, "en", Now);

        Assert.Equal("database.pool_exhausted", applied.Report.Category);
        Assert.Equal(Severity.HIGH, applied.Report.Severity);
        Assert.Equal("builtin+feedback", applied.Engine);
        Assert.Equal("bifrost-builtin/1.0+feedback", applied.Model);
        Assert.Equal(0.75, applied.Report.Confidence);
        Assert.EndsWith("Team correction: category database.pool_exhausted, severity HIGH (the engine said database.connection, MEDIUM), by oncall-b, 3 days ago.", applied.Report.Summary, StringComparison.Ordinal);

        // Two people agreeing with each other and with the engine: more confident. Disagreement in the history: less.
        var agreed = FeedbackKnowledge.Build([Entry(category: "database.connection"), Entry(category: "database.connection", age: TimeSpan.FromDays(2))]).For("fp1", "orders", 2)!;
        Assert.Equal(0.9, FeedbackEnricher.Apply(Outcome(), agreed, "en", Now).Report.Confidence);
        var disputed = FeedbackKnowledge.Build([Entry(category: "database.query"), Entry(category: "database.deadlock", age: TimeSpan.FromDays(2))]).For("fp1", "orders", 2)!;
        Assert.Equal(0.65, FeedbackEnricher.Apply(Outcome(), disputed, "en", Now).Report.Confidence);
    }

    [Fact]
    public void Apply_Notes_LatestFirst_InTheRecommendation_EnglishAndKorean_EngineUnchangedWithoutCorrection()
    {
        var team = FeedbackKnowledge.Build(
        [
            Entry(note: "fixed by raising max_connections on db-2, see INC-4411", author: "oncall-b", age: TimeSpan.FromDays(3)),
            Entry(note: "restarted pgbouncer", author: "oncall-c", age: TimeSpan.FromMinutes(20)),
            Entry(note: "an old note beyond the limit", age: TimeSpan.FromDays(30)),
        ]).For("fp1", "orders", 2)!;

        var en = FeedbackEnricher.Apply(Outcome(), team, "en", Now);
        Assert.Equal("builtin", en.Engine);
        Assert.Equal(Outcome().Report.Summary, en.Report.Summary);
        Assert.EndsWith("\nLast time: restarted pgbouncer, 20 minutes ago, by oncall-c.\nLast time: fixed by raising max_connections on db-2, see INC-4411, 3 days ago, by oncall-b.", en.Report.Recommendation, StringComparison.Ordinal);
        Assert.DoesNotContain("old note", en.Report.Recommendation, StringComparison.Ordinal);

        var ko = FeedbackEnricher.Apply(Outcome(), team, "ko", Now);
        Assert.Contains("지난번: fixed by raising max_connections on db-2, see INC-4411 — 3일 전, oncall-b.", ko.Report.Recommendation, StringComparison.Ordinal);
        var corrected = FeedbackKnowledge.Build([Entry(severity: "CRITICAL", author: "oncall-b", age: TimeSpan.FromHours(2))]).For("fp1", "orders", 2)!;
        Assert.EndsWith("팀 교정: 심각도 CRITICAL (엔진 판단: MEDIUM) — oncall-b, 2시간 전.", FeedbackEnricher.Apply(Outcome(), corrected, "ko", Now).Report.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RejectsUnknownCategoryBadSeverityLongNoteAndEmptyFeedback()
    {
        Assert.Null(FeedbackService.Validate(new FeedbackInput(Helpful: true)));
        Assert.Null(FeedbackService.Validate(new FeedbackInput(Category: "database.pool_exhausted", Severity: "high")));
        Assert.Contains("category", FeedbackService.Validate(new FeedbackInput(Category: "database.pool"))!.Errors!.Keys);
        Assert.Contains("category", FeedbackService.Validate(new FeedbackInput(Category: "unknown"))!.Errors!.Keys);
        Assert.Contains("severity", FeedbackService.Validate(new FeedbackInput(Severity: "URGENT"))!.Errors!.Keys);
        Assert.Contains("note", FeedbackService.Validate(new FeedbackInput(Note: new string('n', 2001)))!.Errors!.Keys);
        Assert.Contains("service_specific", FeedbackService.Validate(new FeedbackInput(Helpful: false, ServiceSpecific: true))!.Errors!.Keys);
        Assert.Contains("$", FeedbackService.Validate(new FeedbackInput(Note: "   "))!.Errors!.Keys);
    }

    [Fact]
    public void Normalize_RedactsNoteBeforeClipping()
    {
        var input = new FeedbackInput(Note: "rotated the key, old one was password=Sup3rSecret! " + new string('x', 3000)).Normalize();
        Assert.DoesNotContain("Sup3rSecret", input.Note!, StringComparison.Ordinal);
        Assert.True(input.Note!.Length <= FeedbackInput.MaxNoteChars + 1);
    }
}
