using System.Globalization;
using System.Text;
using Bifrost.Heimdall;
using Bifrost.Messaging;
using Bifrost.Storage;

namespace Bifrost.Tests.Heimdall;

/// <summary>What Bifrost writes, parsed by Heimdall's own DTOs and ObjectMapper (the Java emulator), without a broker.</summary>
public class HeimdallParsingTests
{
    private static StoredAnalysis Completed(string model = "bifrost-builtin/1.0", int prompt = 0, int completion = 0) => new(
        7,
        new NewAnalysis("b8e2f4a6-7c9d-4e1f-a3b5-c7d9e1f3a5b7", "e4d3c2b1-a0f9-4e8d-b7c6-a5b4c3d2e1f0", 1026, "unknown", "unknown", "HIGH", "error",
            "analysis.result", "{}", "ERROR: Connection timeout to database", "kafka", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow),
        AnalysisStatus.COMPLETED, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, 1, null,
        new AnalysisResultData("주문 처리 실패: timeout.", "The database did not answer.", "Check the pool.", "CRITICAL", 0.9149, "database.timeout", "fp", "[]", model, "builtin",
            3.14159, prompt + completion, false, false, DateTimeOffset.Parse("2026-01-31T10:15:32.987Z", CultureInfo.InvariantCulture), prompt, completion));

    private static readonly V2Reply Reply = new("a7d1c3e5-9b2f-4a6c-8e0d-2f4b6d8a0c1e", "ops-redrive-42", 1025);

    [Fact]
    public void ReleaseOne_AcceptsItsResult_AndRejectsTheGuides()
    {
        var verdicts = HeimdallJava.Parse("v1", "result",
        [
            ("1026", Encoding.UTF8.GetString(V1ResultMessage.Value(Completed(model: new string('m', 140))))),
            ("1026", Encoding.UTF8.GetString(ResultMessage.Value(Completed()))),
            (null, Encoding.UTF8.GetString(V1ResultMessage.Value(Completed()))),
        ]);

        Assert.True((bool)verdicts[0]["ok"]!, (string?)verdicts[0]["error"]);
        Assert.False((bool)verdicts[1]["ok"]!);
        Assert.Contains("Unrecognized field \"request_id\"", (string?)verdicts[1]["error"], StringComparison.Ordinal);
        Assert.Contains("null record key", (string?)verdicts[2]["error"], StringComparison.Ordinal);
        Assert.Contains("주문 처리 실패", (string?)verdicts[0]["value"], StringComparison.Ordinal);
    }

    [Fact]
    public void ReleaseTwo_AcceptsItsResults_SucceededAndFailed()
    {
        var failed = Completed() with { Status = AnalysisStatus.FAILED, Result = null, Error = "analyzer failed: boom" };
        var verdicts = HeimdallJava.Parse("v2", "result",
        [
            (Reply.JobId, Encoding.UTF8.GetString(V2ResultMessage.Value(Completed(model: "qwen2.5:7b", prompt: 800, completion: 90), Reply))),
            (Reply.JobId, Encoding.UTF8.GetString(V2ResultMessage.Value(failed, Reply))),
            (Reply.JobId, Encoding.UTF8.GetString(V2ResultMessage.FailedValue(Reply, LogLookup.NotFoundCode, "not found", DateTimeOffset.UtcNow, 30))),
            (Reply.JobId, Encoding.UTF8.GetString(V1ResultMessage.Value(Completed()))),
        ]);

        for (var i = 0; i < 3; i++)
        {
            Assert.True((bool)verdicts[i]["ok"]!, $"{i}: {verdicts[i]["error"]}");
        }

        Assert.False((bool)verdicts[3]["ok"]!);
    }

    [Fact]
    public void ReleaseTwo_AcceptsItsDeadLetters_WithTheJobLinked_AndRejectsTheGuides()
    {
        var original = HeimdallExamples.Requests("v2")[0].Bytes;
        var letter = new DeadLetter("SCHEMA_VIOLATION", "log_id: required field is missing", DateTimeOffset.UtcNow, 1, "analysis.request", 0, 12,
            DateTimeOffset.UtcNow, Encoding.UTF8.GetBytes(Reply.JobId), "bifrost-consumer-group", null, null, 1025, original, true);
        var notJson = letter with { OriginalValue = Encoding.UTF8.GetBytes("{\"job_id\":\"x"), PayloadIsObject = false, OriginalKey = null };
        var verdicts = HeimdallJava.Parse("v2", "dlq",
        [
            (Reply.JobId, Encoding.UTF8.GetString(V2DeadLetterMessage.Value(letter, Reply.JobId, "k", Reply.TraceId))),
            (Encoding.UTF8.GetString(V2DeadLetterMessage.Key(notJson, null)), Encoding.UTF8.GetString(V2DeadLetterMessage.Value(notJson, null, null, null))),
            (Reply.JobId, Encoding.UTF8.GetString(DeadLetterMessage.Value(letter))),
        ]);

        Assert.True((bool)verdicts[0]["ok"]! && (bool)verdicts[0]["job_linked"]!, (string?)verdicts[0]["error"]);
        Assert.True((bool)verdicts[1]["ok"]!, (string?)verdicts[1]["error"]);
        Assert.False((bool)verdicts[1]["job_linked"]!);
        Assert.False((bool)verdicts[2]["ok"]!);
        Assert.Contains("Unrecognized field", (string?)verdicts[2]["error"], StringComparison.Ordinal);
    }

    [Fact]
    public void TheGuidesResult_ParsesStrictly_WithWholeSecondTimestamps()
    {
        var verdict = Assert.Single(HeimdallJava.Parse("guide", "result", [("1026", Encoding.UTF8.GetString(ResultMessage.Value(Completed())))]));
        Assert.True((bool)verdict["ok"]!, (string?)verdict["error"]);
    }
}
