using System.Globalization;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Bifrost.Messaging;
using Bifrost.Storage;

namespace Bifrost.Tests.Messaging;

public class EnvelopeTests
{
    private static StoredAnalysis Completed(double confidence = 0.876, double duration = 0.0123456) => new(
        42,
        new NewAnalysis("r1", "c1", 12345, "svc", "prod", "HIGH", "error", "analysis.result", "{}", "ERROR x", "kafka",
            DateTimeOffset.Parse("2024-11-12T10:30:00Z", CultureInfo.InvariantCulture), DateTimeOffset.Parse("2024-11-12T10:30:01.5Z", CultureInfo.InvariantCulture)),
        AnalysisStatus.COMPLETED, null, null, 1, null,
        new AnalysisResultData("s", "rc", "rec", "HIGH", confidence, "database.timeout", "fp", "[]", "bifrost-builtin/0.1", "builtin", duration, 0, false, false,
            DateTimeOffset.Parse("2026-11-12T10:30:15.123Z", CultureInfo.InvariantCulture)));

    [Fact]
    public void Result_HasExactlyTheContractFields_AndValidates()
    {
        var value = ResultMessage.Value(Completed());
        Contract.AssertValid("analysis.result.schema.json", value);
        using var doc = JsonDocument.Parse(value);
        var root = doc.RootElement;
        Assert.Equal(["request_id", "correlation_id", "timestamp", "log_id", "analysis_result", "bifrost_analysis_id", "model", "duration_seconds"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("2026-11-12T10:30:15Z", root.GetProperty("timestamp").GetString()); // whole seconds: the contract's corrected format
        Assert.Equal("0.88", root.GetProperty("analysis_result").GetProperty("confidence").GetRawText());
        Assert.Equal("0.012", root.GetProperty("duration_seconds").GetRawText());
        Assert.Equal(42, root.GetProperty("bifrost_analysis_id").GetInt64());
        Assert.Equal("12345", Encoding.UTF8.GetString(ResultMessage.Key(12345)));
    }

    [Fact]
    public void Result_IsByteIdenticalForTheSameStoredAnalysis() =>
        Assert.Equal(ResultMessage.Value(Completed()), ResultMessage.Value(Completed()));

    [Fact]
    public void Result_WrittenAfterALongerOne_CarriesNothingOfIt()
    {
        // The writer and its buffer are reused per thread: a short record after a long one must stand alone.
        var longer = Completed() with { Result = Completed().Result! with { Summary = new string('x', 20_000) } };
        var expected = ResultMessage.Value(Completed());
        _ = ResultMessage.Value(longer);
        var shorter = ResultMessage.Value(Completed());
        Assert.Equal(expected, shorter);
        Contract.AssertValid("analysis.result.schema.json", shorter);
        Assert.Equal("-7", Encoding.UTF8.GetString(ResultMessage.Key(-7)));
        Assert.Equal(long.MinValue.ToString(System.Globalization.CultureInfo.InvariantCulture), Encoding.UTF8.GetString(ResultMessage.Key(long.MinValue)));
    }

    [Fact]
    public void Result_KeepsNonAsciiReadable()
    {
        var analysis = Completed() with { Result = Completed().Result! with { Summary = "주문 처리 실패" } };
        Assert.Contains("주문 처리 실패", Encoding.UTF8.GetString(ResultMessage.Value(analysis)));
    }

    private static DeadLetter Letter(byte[]? value, bool isObject, byte[]? key) => new(
        "SCHEMA_VIOLATION", "log_content: required field is missing", DateTimeOffset.Parse("2026-01-01T00:00:00.5+02:00", CultureInfo.InvariantCulture), 1,
        "analysis.request", 2, 99, DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000), key, "bifrost-consumer-group",
        "p1", "c", 5, value, isObject);

    [Fact]
    public void DeadLetter_ForJsonObject_CarriesPayload()
    {
        var original = Encoding.UTF8.GetBytes("""{"request_id": "p1", "x": [1, 2]}""");
        var value = DeadLetterMessage.Value(Letter(original, true, Encoding.UTF8.GetBytes("k1")));
        Contract.AssertValid("dlq.failed.schema.json", value);
        using var doc = JsonDocument.Parse(value);
        var root = doc.RootElement;
        Assert.Equal("""{"request_id": "p1", "x": [1, 2]}""", root.GetProperty("payload").GetRawText());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("payload_raw").ValueKind);
        Assert.Equal("2025-12-31T22:00:00Z", root.GetProperty("failed_at").GetString());
        Assert.Equal("k1", root.GetProperty("original_key").GetString());
        Assert.Equal(5, root.GetProperty("log_id").GetInt64());
    }

    [Fact]
    public void DeadLetter_ForNonObject_CarriesRawText_OrBase64WhenNotUtf8()
    {
        var text = DeadLetterMessage.Value(Letter(Encoding.UTF8.GetBytes("this is not json {"), false, null));
        Contract.AssertValid("dlq.failed.schema.json", text);
        using (var doc = JsonDocument.Parse(text))
        {
            Assert.Equal("this is not json {", doc.RootElement.GetProperty("payload_raw").GetString());
            Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("payload").ValueKind);
            Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("original_key").ValueKind);
        }

        var binary = DeadLetterMessage.Value(Letter([0xff, 0x00, 0xfe], false, [0xc3, 0x28]));
        Contract.AssertValid("dlq.failed.schema.json", binary);
        using var bin = JsonDocument.Parse(binary);
        Assert.Equal("base64:" + Convert.ToBase64String([0xff, 0x00, 0xfe]), bin.RootElement.GetProperty("payload_raw").GetString());
        Assert.Equal("base64:" + Convert.ToBase64String([0xc3, 0x28]), bin.RootElement.GetProperty("original_key").GetString());
    }

    [Fact]
    public void DeadLetter_Headers_FollowSpringKafka()
    {
        var headers = DeadLetterMessage.Headers(Letter(null, false, null));
        Assert.Equal("analysis.request", Encoding.UTF8.GetString(headers.GetLastBytes("kafka_dlt-original-topic")));
        Assert.Equal(2, BinaryPrimitives.ReadInt32BigEndian(headers.GetLastBytes("kafka_dlt-original-partition")));
        Assert.Equal(99, BinaryPrimitives.ReadInt64BigEndian(headers.GetLastBytes("kafka_dlt-original-offset")));
        Assert.Equal(1_700_000_000_000, BinaryPrimitives.ReadInt64BigEndian(headers.GetLastBytes("kafka_dlt-original-timestamp")));
        Assert.Equal("log_content: required field is missing", Encoding.UTF8.GetString(headers.GetLastBytes("kafka_dlt-exception-message")));
        Assert.Equal("Bifrost.Messaging.SchemaViolationException", Encoding.UTF8.GetString(headers.GetLastBytes("kafka_dlt-exception-fqcn")));
        Assert.Equal("bifrost-consumer-group", Encoding.UTF8.GetString(headers.GetLastBytes("kafka_dlt-original-consumer-group")));
    }
}
