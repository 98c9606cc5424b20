using Bifrost.Analysis;
using Bifrost.Runbooks;

namespace Bifrost.Tests.Knowledge;

/// <summary>Runbook markdown → sections, section categories, queries and scores: pure, no store.</summary>
public class RunbookTextTests
{
    private const string Markdown = """
        # Databases

        Owned by platform-data.

        ## Connection pool exhausted

        Symptoms: `FATAL: sorry, too many clients already`, `HikariPool-1 - Connection is not available, request timed out after 30000ms`.

        ```
        # not a heading: a shell comment inside a fence
        SELECT state, count(*) FROM pg_stat_activity GROUP BY state;
        ```

        ### Mitigation

        Kill long `idle in transaction` sessions.

        ## Connection pool exhausted

        A second section with the same heading gets its own anchor.

        ## Empty heading with only a child
        ### Child
        Text of the child.
        """;

    [Fact]
    public void Split_AtHeadings_DocumentTitleNotInPaths_FencesIgnored_AnchorsUnique()
    {
        var sections = RunbookMarkdown.Split(Markdown, "fallback");

        Assert.Equal(
            ["Databases", "Connection pool exhausted", "Connection pool exhausted › Mitigation", "Connection pool exhausted", "Empty heading with only a child › Child"],
            sections.Select(s => s.Title));
        Assert.Equal(["databases", "connection-pool-exhausted", "mitigation", "connection-pool-exhausted-1", "child"], sections.Select(s => s.Anchor));
        Assert.Contains("# not a heading", sections[1].Body, StringComparison.Ordinal);
        Assert.Equal("Owned by platform-data.", sections[0].Body);
        Assert.Equal(Enumerable.Range(0, 5), sections.Select(s => s.Position));
    }

    [Fact]
    public void Split_NoHeadings_OneSectionTitledByFallback_EmptyTextNone()
    {
        var only = Assert.Single(RunbookMarkdown.Split("Restart the pod.\n", "restarts"));
        Assert.Equal("restarts", only.Title);
        Assert.Empty(RunbookMarkdown.Split("  \n\n", "x"));
    }

    [Fact]
    public void SectionCategory_ReadFromQuotedErrors_ProcedureHasNone()
    {
        var engine = new LogAnalyzer();
        Assert.Equal("database.pool_exhausted", SectionCategory.Of("Pool", "Symptoms: `FATAL: sorry, too many clients already` and `remaining connection slots are reserved for non-replication superuser connections`", engine));
        Assert.Equal("resource.disk", SectionCategory.Of("Disk", "```\nOSError: [Errno 28] No space left on device\n```", engine));
        Assert.Null(SectionCategory.Of("Paging", "Primary on-call acknowledges within 5 minutes; escalate after 15.", engine));
    }

    [Fact]
    public void Query_ExceptionTypesWeighMost_NoiseAndIdsDropped_CategoryWordsOnlySearched()
    {
        var query = RunbookQuery.From("database.pool_exhausted",
            ["2024-02-07 09:12:31.045 ERROR 7 --- [nio-8080-exec-87] HikariPool-1 - Connection is not available, request timed out after 30000ms. org.hibernate.exception.JDBCConnectionException: Unable to acquire JDBC Connection"],
            "8f1c2a9e0b7d4e11", "billing-service");

        Assert.Equal(("jdbcconnectionexception", 3.0), query.Terms[0]);
        var stems = query.Terms.Select(t => t.Stem).ToList();
        Assert.Contains("hikaripool", stems);
        Assert.Contains("acquire", stems);
        Assert.DoesNotContain("error", stems);
        Assert.DoesNotContain("2024", stems);
        Assert.DoesNotContain("30000m", stems);
        Assert.DoesNotContain("exhausted", stems); // a category word: searched, not scored
        Assert.Contains("exhausted", query.SearchWords);
        Assert.Equal("8f1c2a9e0b7d4e11", query.ToSearch().Fingerprint);
        Assert.DoesNotContain("exhausted", query.ToSearch().Words); // within the category only scored words narrow the search
        Assert.Contains("exhausted", query.ToSearch(anyCategory: true).Words);
        Assert.All(query.SearchWords, w => Assert.True(w.All(char.IsLetterOrDigit), w));
    }

    [Fact]
    public void Matcher_SameCategoryAndSharedWords_BeatsEither_ForeignCategoryCapsAtHalf()
    {
        var query = RunbookQuery.From("database.pool_exhausted", ["HikariPool-1 - Connection is not available, request timed out after 30000ms"]);
        RunbookSection Section(long id, string title, string body, string? category) => new(id, "db.md", 0, title, "a", body, category, DateTimeOffset.UnixEpoch, "t");
        var both = Section(1, "Pool exhausted", "HikariPool connection is not available, request timed out", "database.pool_exhausted");
        var categoryOnly = Section(2, "Pool", "Raise the limit in the parameter group.", "database.pool_exhausted");
        var wordsOnly = Section(3, "Timeouts", "HikariPool connection not available, request timed out", "network.timeout");
        var fingerprinted = Section(4, "Known failure", "Seen as fingerprint 00aa11bb22cc33dd.", null);

        var ranked = RunbookMatcher.Rank(query, [new(wordsOnly, 9), new(categoryOnly, 1), new(both, 2)], SectionWords.Of);
        Assert.Equal([1L, 3L, 2L], ranked.Select(r => r.Section.Id));
        Assert.True(ranked[0].Score > 0.8, $"both: {ranked[0].Score}");
        Assert.True(ranked.Single(r => r.Section.Id == 3).Score <= 0.5);
        Assert.Equal(0.5, ranked.Single(r => r.Section.Id == 2).Score);

        var withFingerprint = RunbookQuery.From("unknown", ["something odd"], "00aa11bb22cc33dd");
        Assert.Equal(1, RunbookMatcher.Rank(withFingerprint, [new(fingerprinted, 0)], SectionWords.Of)[0].Score);
    }

    [Fact]
    public void Quote_BestLine_RedactedThenClipped()
    {
        var body = "Intro line.\n- **Symptoms.** pool timeout with password=hunter2secret in the URL and a long tail " + new string('x', 300) + "\nOther.";
        var quote = RunbookLookup.Quote(body, ["pool", "timeout"], 80);
        Assert.StartsWith("Symptoms. pool timeout", quote, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2secret", quote, StringComparison.Ordinal);
        Assert.True(quote.Length <= 81, quote);
        Assert.EndsWith("…", quote, StringComparison.Ordinal);
    }
}
