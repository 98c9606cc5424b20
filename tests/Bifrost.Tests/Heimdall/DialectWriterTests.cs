using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bifrost.Heimdall;
using Bifrost.Messaging;
using Bifrost.Storage;

namespace Bifrost.Tests.Heimdall;

public class DialectWriterTests
{
    private static StoredAnalysis Completed(int promptTokens = 0, int completionTokens = 0, string model = "bifrost-builtin/1.0") => new(
        42,
        new NewAnalysis("6f1c2d3e-4b5a-4c7d-9e8f-0a1b2c3d4e5f", "9d4c2b7e-1a3f-4c5d-8e6f-0a1b2c3d4e5f", 1024, "payment-service", "production", "HIGH",
            "error", "analysis.result", "{}", "ERROR x", "kafka", DateTimeOffset.Parse("2026-01-31T10:15:30Z", CultureInfo.InvariantCulture), DateTimeOffset.Parse("2026-01-31T10:15:31.5Z", CultureInfo.InvariantCulture)),
        AnalysisStatus.COMPLETED, DateTimeOffset.Parse("2026-01-31T10:15:31.5Z", CultureInfo.InvariantCulture), DateTimeOffset.Parse("2026-01-31T10:15:32.25Z", CultureInfo.InvariantCulture), 1, null,
        new AnalysisResultData("Pool exhausted.", "Too few connections.", "Raise the pool size.", "HIGH", 0.876, "database.pool", "fp1", "[]", model, "builtin",
            12.345678, promptTokens + completionTokens, false, false, DateTimeOffset.Parse("2026-01-31T10:15:32.987Z", CultureInfo.InvariantCulture), promptTokens, completionTokens));

    private static JsonNode Json(byte[] value) => JsonNode.Parse(value)!;

    [Fact]
    public void V1Result_HasExactlyReleaseOnesKeys_InItsFormatsAndLimits()
    {
        var json = Json(V1ResultMessage.Value(Completed(model: new string('m', 150))));
        Dto.V1Result.AssertAccepts(json);
        Assert.Equal(Dto.V1Result.Fields.Keys.Order(), json.AsObject().Select(p => p.Key).Order());
        Assert.Equal(Dto.V1AnalysisResult.Fields.Keys.Order(), json["analysisResult"]!.AsObject().Select(p => p.Key).Order());
        Assert.Equal("2026-01-31T10:15:32Z", (string?)json["timestamp"]);
        Assert.Equal("0.88", json["analysisResult"]!["confidence"]!.ToJsonString());
        Assert.Equal("12.35", json["durationSeconds"]!.ToJsonString());
        Assert.Equal(100, ((string?)json["model"])!.Length);
        Assert.Equal(42, (long)json["bifrostAnalysisId"]!);
        Assert.Equal(1024, (long)json["logId"]!);
    }

    [Fact]
    public void V1Result_IsByteIdenticalOnRedelivery() => Assert.Equal(V1ResultMessage.Value(Completed()), V1ResultMessage.Value(Completed()));

    private static readonly V2Reply Reply = new("5b0e7c1a-3f2d-4e8b-9a61-7c2d9e4f1a08", "9d4c2b7e-1a3f-4c5d-8e6f-0a1b2c3d4e5f", 1024);

    [Fact]
    public void V2Result_Succeeded_HasOnlyReleaseTwosKeys_BuiltinRunSpendsNoTokens()
    {
        var json = Json(V2ResultMessage.Value(Completed(), Reply));
        Dto.V2Result.AssertAccepts(json);
        Assert.Equal(("SUCCEEDED", Reply.JobId, Reply.TraceId, 1024L, 1), ((string?)json["status"], (string?)json["job_id"], (string?)json["trace_id"], (long)json["log_id"]!, (int)json["schema_version"]!));
        Assert.Null(json["token_usage"]);
        Assert.Equal(12350, (long)json["latency_ms"]!); // hundredths of a second: Heimdall keeps latency_ms/1000 as DECIMAL(10,2)
        Assert.Equal("0.88", json["confidence"]!.ToJsonString());
        Assert.Equal("2026-01-31T10:15:32Z", (string?)json["timestamp"]);
        Assert.Null(json["error_code"]);
        Assert.Equal(Encoding.UTF8.GetBytes(Reply.JobId), V2ResultMessage.Key(Reply));
    }

    [Fact]
    public void V2Result_ReportsTheTokensAnLlmSpent()
    {
        var json = Json(V2ResultMessage.Value(Completed(promptTokens: 812, completionTokens: 95, model: "qwen2.5:7b"), Reply));
        Dto.V2Result.AssertAccepts(json);
        Assert.Equal((812, 95, 907), ((int)json["token_usage"]!["prompt_tokens"]!, (int)json["token_usage"]!["completion_tokens"]!, (int)json["token_usage"]!["total_tokens"]!));
        Assert.Equal("qwen2.5:7b", (string?)json["model_used"]);
    }

    [Fact]
    public void V2Result_ForAFailedAnalysis_IsFailed_WithACode()
    {
        var failed = Completed() with { Status = AnalysisStatus.FAILED, Result = null, Error = "analyzer timed out after 1.5s" };
        var json = Json(V2ResultMessage.Value(failed, Reply));
        Dto.V2Result.AssertAccepts(json);
        Assert.Equal(("FAILED", "ANALYSIS_TIMEOUT", "analyzer timed out after 1.5s"), ((string?)json["status"], (string?)json["error_code"], (string?)json["error_message"]));
        Assert.Equal(750, (long)json["latency_ms"]!);

        var notFound = Json(V2ResultMessage.FailedValue(Reply with { TraceId = "ops-redrive-42" }, LogLookup.NotFoundCode, "not there", DateTimeOffset.Parse("2026-01-31T10:16:02.9Z", CultureInfo.InvariantCulture), 30.0004));
        Dto.V2Result.AssertAccepts(notFound);
        Assert.Equal(("FAILED", "LOG_NOT_FOUND", "ops-redrive-42", 30000L), ((string?)notFound["status"], (string?)notFound["error_code"], (string?)notFound["trace_id"], (long)notFound["latency_ms"]!));
    }

    [Theory]
    [InlineData(null, "ANALYSIS_FAILED")]
    [InlineData("analyzer failed: InvalidOperationException: boom", "ANALYSIS_FAILED")]
    [InlineData("analyzer timed out after 30s", "ANALYSIS_TIMEOUT")]
    [InlineData("LOG_NOT_FOUND: row 5", "LOG_NOT_FOUND")]
    [InlineData("Lower: not a code", "ANALYSIS_FAILED")]
    public void FailureCodes_ComeFromTheStoredError(string? error, string code) => Assert.Equal(code, FailureCodes.Of(error));

    private static DeadLetter Letter(byte[]? value, bool isObject, byte[]? key) => new(
        "SCHEMA_VIOLATION", "job_id: required field is missing", DateTimeOffset.Parse("2026-01-01T00:00:00.5+02:00", CultureInfo.InvariantCulture), 1,
        "analysis.request", 2, 99, DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000), key, "bifrost-consumer-group",
        null, null, 5, value, isObject);

    [Fact]
    public void V2DeadLetter_HasOnlyTheDlqFailedEventKeys_WithTheJobLinked_AndAnObjectPayload()
    {
        var original = Encoding.UTF8.GetBytes("""{"job_id":"5b0e7c1a-3f2d-4e8b-9a61-7c2d9e4f1a08","idempotency_key":"k","log_id":"x"}""");
        var letter = Letter(original, true, Encoding.UTF8.GetBytes("5b0e7c1a-3f2d-4e8b-9a61-7c2d9e4f1a08"));
        var json = Json(V2DeadLetterMessage.Value(letter, "5b0e7c1a-3f2d-4e8b-9a61-7c2d9e4f1a08", "k", "t"));
        Dto.V2DeadLetter.AssertAccepts(json);
        Assert.Equal(Dto.V2DeadLetter.Fields.Keys.Order(), json.AsObject().Select(p => p.Key).Order());
        Assert.Equal(("5b0e7c1a-3f2d-4e8b-9a61-7c2d9e4f1a08", "k", "t"), ((string?)json["job_id"], (string?)json["idempotency_key"], (string?)json["trace_id"]));
        Assert.Equal(JsonValueKind.Object, json["payload"]!.GetValueKind());
        Assert.Equal("2025-12-31T22:00:00Z", (string?)json["failed_at"]);
        Assert.Equal("5b0e7c1a-3f2d-4e8b-9a61-7c2d9e4f1a08"u8.ToArray(), V2DeadLetterMessage.Key(letter, "5b0e7c1a-3f2d-4e8b-9a61-7c2d9e4f1a08"));
    }

    [Fact]
    public void V2DeadLetter_ForANonObject_HasANullPayload_AndNeverANullKey()
    {
        var letter = Letter(Encoding.UTF8.GetBytes("{\"job_id\":\"5b0e"), false, null);
        var json = Json(V2DeadLetterMessage.Value(letter, null, null, null));
        Dto.V2DeadLetter.AssertAccepts(json);
        Assert.Null(json["payload"]);
        Assert.Empty(V2DeadLetterMessage.Key(letter, null));
        Assert.Equal("k"u8.ToArray(), V2DeadLetterMessage.Key(letter with { OriginalKey = "k"u8.ToArray() }, null));
    }

    [Fact]
    public void KeyCheck_FailsOnAnExtraKey_AlsoNested()
    {
        // The check itself can fail: a guide result is not a release-1 result, and a nested stranger is caught.
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => Dto.V1Result.AssertAccepts(Json(ResultMessage.Value(Completed()))));
        var nested = Json(V1ResultMessage.Value(Completed()));
        nested["analysisResult"]!["category"] = "database.pool";
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => Dto.V1Result.AssertAccepts(nested));
        var usage = Json(V2ResultMessage.Value(Completed(10, 5), Reply));
        usage["token_usage"]!["cached"] = true;
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => Dto.V2Result.AssertAccepts(usage));
    }

    [Fact]
    public void Limits_ClipAndRound()
    {
        Assert.Equal(1.00m, HeimdallLimits.Confidence(1.7));
        Assert.Equal(0.01m, HeimdallLimits.Confidence(0.005));
        Assert.Equal(99_999_999.99m, HeimdallLimits.Seconds(1e12));
        Assert.Equal("ab", HeimdallLimits.Clip("ab\ud83d\ude00", 3)); // never half a surrogate pair
    }
}

public class ReleaseTwoDeadLetterReadBackTests
{
    [Fact]
    public void DashboardReader_ReadsAReleaseTwoDeadLetter_AndReDrivesItWithItsJobIdAsKey()
    {
        var original = "{\"schema_version\":1,\"job_id\":\"5b0e7c1a-3f2d-4e8b-9a61-7c2d9e4f1a08\",\"log_id\":7}"u8.ToArray();
        var letter = new Bifrost.Messaging.DeadLetter("SCHEMA_VIOLATION", "idempotency_key: required field is missing", DateTimeOffset.Parse("2026-01-31T10:00:00Z", CultureInfo.InvariantCulture), 1,
            "analysis.request", 1, 44, null, "5b0e7c1a-3f2d-4e8b-9a61-7c2d9e4f1a08"u8.ToArray(), "g", null, null, 7, original, true);
        var value = Bifrost.Heimdall.V2DeadLetterMessage.Value(letter, "5b0e7c1a-3f2d-4e8b-9a61-7c2d9e4f1a08", null, "t-1");

        var read = Bifrost.Messaging.Dlq.DlqEnvelope.Parse(0, 3, value);

        Assert.Equal(("SCHEMA_VIOLATION", "analysis.request", 44L, "t-1", 7L), (read.ErrorCode, read.OriginalTopic, read.OriginalOffset!.Value, read.CorrelationId, read.LogId!.Value));
        Assert.Equal(original, read.OriginalValue());
        Assert.Equal("5b0e7c1a-3f2d-4e8b-9a61-7c2d9e4f1a08"u8.ToArray(), read.OriginalKeyBytes());
        Assert.Equal(DateTimeOffset.Parse("2026-01-31T10:00:00Z", CultureInfo.InvariantCulture), read.FailedAt);
    }
}
