using Bifrost.Analysis;
using Bifrost.FakeLlm;

namespace Bifrost.Tests.Llm;

/// <summary>What gets published from good, chatty, broken and half-sensible model replies.</summary>
public class LlmAnswerHandlingTests
{
    private const string Excerpt = "ERROR [orders] org.postgresql.util.PSQLException: FATAL: sorry, too many clients already";

    [Fact]
    public async Task ProseWithJsonInside_IsExtracted_WithoutARepairTurn()
    {
        await using var server = await FakeLlmServer.StartAsync(FakeModel.ProseAround);
        await using var rig = LlmRig.Create("llm", server);

        var outcome = await rig.AnalyzeAsync(Excerpt);

        Assert.Equal(1, server.CallCount);
        Assert.Equal("llm", outcome.Engine);
        Assert.Equal("database.pool_exhausted", outcome.Report.Category);
        Assert.Equal(Severity.HIGH, outcome.Report.Severity);
        Assert.DoesNotContain("```", outcome.Report.Summary);
    }

    [Fact]
    public async Task BrokenJson_GetsOneRepairTurn_ThenTheRepairedAnswerIsPublished()
    {
        await using var server = await FakeLlmServer.StartAsync(r => r.Messages.Count > 2 ? FakeModel.Answer(r) : FakeModel.Broken(r));
        await using var rig = LlmRig.Create("llm", server);

        var outcome = await rig.AnalyzeAsync(Excerpt);

        Assert.Equal(2, server.CallCount);
        var repair = server.Requests[1];
        Assert.Equal(["system", "user", "assistant", "user"], repair.Messages.Select(m => m.Role));
        Assert.Equal(server.Requests[0].UserPrompt, repair.UserPrompt); // same fenced excerpt, same schema
        Assert.Equal("llm", outcome.Engine);
        Assert.Equal("database.pool_exhausted", outcome.Report.Category);
        Assert.False(outcome.Fallback);
    }

    [Fact]
    public async Task BrokenJsonTwice_PublishesTheBuiltinAnswer_AsAFallback()
    {
        await using var server = await FakeLlmServer.StartAsync(FakeModel.Broken);
        await using var rig = LlmRig.Create("llm", server);

        var outcome = await rig.AnalyzeAsync(Excerpt);

        Assert.Equal(2, server.CallCount); // one call, one repair, no more
        Assert.True(outcome.Fallback);
        Assert.Equal("builtin", outcome.Engine);
        Assert.StartsWith("bifrost-builtin/", outcome.Model);
        Assert.Equal(outcome.Model, outcome.Report.Model);
    }

    [Fact]
    public async Task FieldsTheModelDidNotGiveSensibly_FallBackPerField_AndModelSaysSo()
    {
        const string half = """{"summary":"The orders service cannot get a database connection.","root_cause":"N/A","recommendation":"Raise max_connections or add PgBouncer.","severity":"SEVERE","confidence":7,"category":"database.too_many"}""";
        await using var server = await FakeLlmServer.StartAsync(_ => FakeReply.Json(half));
        await using var rig = LlmRig.Create("llm", server);
        await using var builtinRig = LlmRig.Create("builtin", "");
        var builtin = (await builtinRig.AnalyzeAsync(Excerpt)).Report;

        var outcome = await rig.AnalyzeAsync(Excerpt);

        var report = outcome.Report;
        Assert.Equal("The orders service cannot get a database connection.", report.Summary);
        Assert.Equal("Raise max_connections or add PgBouncer.", report.Recommendation);
        Assert.Equal(builtin.RootCause, report.RootCause);   // "N/A" is not an answer
        Assert.Equal(builtin.Severity, report.Severity);     // not a taxonomy severity
        Assert.Equal(builtin.Category, report.Category);     // not a taxonomy id
        Assert.Equal(builtin.Confidence, report.Confidence); // the engine's category, the engine's confidence
        Assert.Equal($"mistral-7b+{builtin.Model}", outcome.Model);
        Assert.Equal(outcome.Model, report.Model);
        Assert.Equal("hybrid", outcome.Engine);
        Assert.False(outcome.Fallback);
    }

    [Fact]
    public async Task SecretsTheModelEchoes_AreRedactedBeforePublishing()
    {
        const string echo = """{"summary":"Login for ops@example.com failed.","root_cause":"Bad credentials for ops@example.com.","recommendation":"Rotate the password.","severity":"HIGH","confidence":0.7,"category":"auth.credentials"}""";
        await using var server = await FakeLlmServer.StartAsync(_ => FakeReply.Json(echo));
        await using var rig = LlmRig.Create("llm", server);

        var outcome = await rig.AnalyzeAsync("ERROR 401 Unauthorized");

        Assert.DoesNotContain("ops@example.com", outcome.Report.Summary + outcome.Report.RootCause);
    }

    [Fact]
    public async Task KoreanLanguage_IsAskedFor_AndCachedSeparately()
    {
        await using var server = await FakeLlmServer.StartAsync();
        await using var rig = LlmRig.Create("llm", server);

        await rig.AnalyzeAsync(Excerpt, language: "en");
        await rig.AnalyzeAsync(Excerpt, language: "ko");

        Assert.Equal(2, server.CallCount);
        Assert.Contains("Korean", server.Requests[1].SystemPrompt);
        Assert.DoesNotContain("Korean", server.Requests[0].SystemPrompt);
    }
}
