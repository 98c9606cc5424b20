using System.Text;
using Bifrost.Messaging.Dlq;

namespace Bifrost.Tests.Dashboard;

public class DlqEnvelopeTests
{
    [Fact]
    public void Parse_ContractRecordWithObjectPayload_KeepsPayloadTextAndKey()
    {
        var json = """
            {"error_code":"SCHEMA_VIOLATION","error_message":"log_content: required","failed_at":"2026-11-12T10:30:15.123Z",
             "attempts":1,"original_topic":"analysis.request","original_partition":2,"original_offset":41,
             "original_timestamp":null,"original_key":"svc-7","consumer_group":"bifrost-consumer-group",
             "request_id":"r-1","correlation_id":"c-1","log_id":42,"payload":{"request_id":"r-1","log_id": 42},"payload_raw":null}
            """;

        var record = DlqEnvelope.Parse(0, 7, Encoding.UTF8.GetBytes(json));

        Assert.Equal("SCHEMA_VIOLATION", record.ErrorCode);
        Assert.Equal((0, 7L), (record.Partition, record.Offset));
        Assert.Equal(("analysis.request", 2, 41L), (record.OriginalTopic, record.OriginalPartition!.Value, record.OriginalOffset!.Value));
        Assert.Equal(42, record.LogId);
        Assert.Equal("""{"request_id":"r-1","log_id": 42}""", Encoding.UTF8.GetString(record.OriginalValue()!));
        Assert.Equal("svc-7", Encoding.UTF8.GetString(record.OriginalKeyBytes()!));
        Assert.Equal(new DateTimeOffset(2026, 11, 12, 10, 30, 15, 123, TimeSpan.Zero), record.FailedAt);
    }

    [Fact]
    public void Parse_RecordOfARequestAtTheParsersMaximumDepth_IsReadable()
    {
        // Regression (found by fuzzing): the envelope nests the request one level deeper than the request itself.
        var depth = Bifrost.Messaging.RequestParser.MaxDepth - 1;
        var nested = new string('[', depth) + new string(']', depth);
        var json = $$"""{"error_code":"SCHEMA_VIOLATION","error_message":"x","failed_at":"2026-11-12T10:30:15Z","attempts":1,"original_topic":"t","original_partition":0,"original_offset":1,"consumer_group":"g","payload":{"deep":{{nested}}},"payload_raw":null}""";

        var record = DlqEnvelope.Parse(0, 1, Encoding.UTF8.GetBytes(json));

        Assert.Equal("SCHEMA_VIOLATION", record.ErrorCode);
        Assert.Contains(nested, Encoding.UTF8.GetString(record.OriginalValue()!));
    }

    [Fact]
    public void Parse_Base64RawPayloadAndKey_DecodesOriginalBytes()
    {
        var raw = new byte[] { 0xff, 0x00, 0x7b };
        var json = $$"""
            {"error_code":"INVALID_JSON","error_message":"not UTF-8","failed_at":"2026-11-12T10:30:15Z","attempts":1,
             "original_topic":"analysis.request","original_partition":0,"original_offset":1,"original_key":"base64:{{Convert.ToBase64String([0xfe])}}",
             "consumer_group":"g","payload":null,"payload_raw":"base64:{{Convert.ToBase64String(raw)}}"}
            """;

        var record = DlqEnvelope.Parse(0, 1, Encoding.UTF8.GetBytes(json));

        Assert.Null(record.Payload);
        Assert.Equal(raw, record.OriginalValue());
        Assert.Equal(new byte[] { 0xfe }, record.OriginalKeyBytes());
    }

    [Fact]
    public void Parse_NullKeyAndTextPayloadRaw_KeepsNullKey()
    {
        var json = """{"error_code":"INVALID_JSON","error_message":"x","failed_at":"2026-11-12T10:30:15Z","attempts":2,"original_topic":"t","original_partition":0,"original_offset":1,"original_key":null,"consumer_group":"g","payload":null,"payload_raw":"not json {"}""";

        var record = DlqEnvelope.Parse(0, 1, Encoding.UTF8.GetBytes(json));

        Assert.Null(record.OriginalKeyBytes());
        Assert.Equal("not json {", Encoding.UTF8.GetString(record.OriginalValue()!));
        Assert.Equal(2, record.Attempts);
    }

    [Fact]
    public void Parse_ValueThatIsNotAnEnvelope_IsShownAsUnreadableWithItsBytes()
    {
        var record = DlqEnvelope.Parse(0, 3, Encoding.UTF8.GetBytes("garbage"));

        Assert.Equal("UNREADABLE_DLQ_RECORD", record.ErrorCode);
        Assert.Equal("garbage", record.PayloadRaw);
    }
}
