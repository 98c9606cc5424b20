using System.Text;
using Bifrost.Messaging;

namespace Bifrost.Tests.Messaging;

public class RequestParserTests
{
    private static readonly RequestParser Parser = new(4096, new HashSet<string> { "analysis.result", "team-b.results" }, "analysis.result");

    private static ParseResult Parse(string json) => Parser.Parse(Encoding.UTF8.GetBytes(json));

    private const string Valid = """{"request_id":"r1","log_id":7,"log_content":"ERROR boom","service_name":"svc","environment":"prod","correlation_id":"c1"}""";

    [Fact]
    public void EveryRequestExample_IsAccepted()
    {
        foreach (var (name, bytes) in Contract.Examples("request"))
        {
            var result = Parser.Parse(bytes);
            Assert.True(result.Request is not null, $"{name}: {result.Rejection}");
        }
    }

    [Fact]
    public void EveryPoisonExample_IsRejectedWithItsErrorCode()
    {
        foreach (var (name, bytes) in Contract.Examples("poison"))
        {
            var result = Parser.Parse(bytes);
            Assert.True(result.Rejection is not null, $"{name} was accepted");
            Assert.Equal(Contract.ExpectedErrorCode(name), result.Rejection!.ErrorCode);
        }
    }

    [Fact]
    public void CamelCaseAliases_AreRead()
    {
        var r = Parse("""{"requestId":"r","logId":"12","logContent":"x","serviceName":"s","environment":"e","correlationId":"c","analysisType":"perf","callbackTopic":"team-b.results"}""").Request!;
        Assert.Equal(("r", 12L, "x", "s", "c", "perf", "team-b.results"), (r.RequestId, r.LogId, r.LogContent, r.ServiceName, r.CorrelationId, r.AnalysisType, r.CallbackTopic));
    }

    [Fact]
    public void SnakeCase_WinsOverCamelCase()
    {
        var r = Parse("""{"request_id":"snake","requestId":"camel","log_id":1,"log_content":"x","service_name":"s","environment":"e","correlation_id":"c"}""").Request!;
        Assert.Equal("snake", r.RequestId);
    }

    [Fact]
    public void Defaults_AreApplied()
    {
        var r = Parse(Valid).Request!;
        Assert.Equal(("NORMAL", "error", "analysis.result", "{}", null), (r.Priority, r.AnalysisType, r.CallbackTopic, r.MetadataJson, r.Timestamp));
    }

    [Theory]
    [InlineData("\"42\"", 42L)]
    [InlineData("\"-42\"", -42L)]
    [InlineData("5.0", 5L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    public void LogId_LenientForms_AreCoerced(string raw, long expected)
    {
        var r = Parse(Valid.Replace("\"log_id\":7", $"\"log_id\":{raw}")).Request;
        Assert.Equal(expected, r?.LogId);
    }

    [Theory]
    [InlineData("\"4x\"", "log_id: expected an integer or a string of digits, got string \"4x\"")]
    [InlineData("5.5", "log_id: expected an integer or a string of digits, got number 5.5")]
    [InlineData("true", "log_id: expected an integer or a string of digits, got boolean")]
    [InlineData("\"99999999999999999999\"", "log_id: expected an integer or a string of digits")]
    public void LogId_WrongType_IsSchemaViolationNamingTheField(string raw, string expectedMessage)
    {
        var rejection = Parse(Valid.Replace("\"log_id\":7", $"\"log_id\":{raw}")).Rejection!;
        Assert.Equal(ErrorCodes.SchemaViolation, rejection.ErrorCode);
        Assert.StartsWith(expectedMessage, rejection.Message);
    }

    [Theory]
    [InlineData("low", "LOW")]
    [InlineData("Critical", "CRITICAL")]
    public void Priority_AnyCase_IsUpperCased(string given, string expected) =>
        Assert.Equal(expected, Parse(Valid.Replace("}", $",\"priority\":\"{given}\"}}")).Request!.Priority);

    [Theory]
    [InlineData("2024-11-12T19:30:00+09:00", "2024-11-12T10:30:00.0000000+00:00")]
    [InlineData("2024-11-12T10:30:00", "2024-11-12T10:30:00.0000000+00:00")]
    [InlineData("2024-11-12T10:30:00.123Z", "2024-11-12T10:30:00.1230000+00:00")]
    public void Timestamp_AnyOffsetOrNone_IsUtc(string given, string expected) =>
        Assert.Equal(expected, Parse(Valid.Replace("}", $",\"timestamp\":\"{given}\"}}")).Request!.Timestamp!.Value.ToString("O"));

    [Theory]
    [InlineData(",\"timestamp\":\"yesterday\"", "timestamp: expected an ISO-8601 date-time")]
    [InlineData(",\"timestamp\":12", "timestamp: expected a string, got number 12")]
    [InlineData(",\"metadata\":[1]", "metadata: expected an object or null, got array")]
    [InlineData(",\"priority\":\"URGENT\"", "priority: must be one of LOW, NORMAL, HIGH, CRITICAL")]
    [InlineData(",\"service_name\":5", "service_name: expected a string, got number 5")]
    public void WrongOptionalFields_AreSchemaViolations(string extra, string expectedMessage)
    {
        var rejection = Parse(Valid.Replace("}", extra + "}")).Rejection!;
        Assert.Equal(ErrorCodes.SchemaViolation, rejection.ErrorCode);
        Assert.StartsWith(expectedMessage, rejection.Message);
        Assert.Equal(("r1", "c1", 7L), (rejection.RequestId, rejection.CorrelationId, rejection.LogId));
    }

    [Fact]
    public void MetadataNull_IsEmptyObject_AndMetadataObjectIsKeptRaw()
    {
        Assert.Equal("{}", Parse(Valid.Replace("}", ",\"metadata\":null}")).Request!.MetadataJson);
        Assert.Equal("{\"host\": \"a\"}", Parse(Valid.Replace("}", ",\"metadata\":{\"host\": \"a\"}}")).Request!.MetadataJson);
    }

    [Fact]
    public void MissingFields_AreAllNamed()
    {
        var rejection = Parse("""{"request_id":"r"}""").Rejection!;
        Assert.Equal(ErrorCodes.SchemaViolation, rejection.ErrorCode);
        foreach (var field in new[] { "log_id", "log_content", "service_name", "environment", "correlation_id" })
        {
            Assert.Contains($"{field}: required field is missing", rejection.Message);
        }
    }

    [Fact]
    public void RequestIdLongerThan128_IsRejected() =>
        Assert.Contains("request_id: must be at most 128 characters", Parse(Valid.Replace("\"r1\"", $"\"{new string('a', 129)}\"")).Rejection!.Message);

    [Fact]
    public void CallbackTopic_NotOnAllowList_IsRejected()
    {
        var rejection = Parse(Valid.Replace("}", ",\"callback_topic\":\"other\"}")).Rejection!;
        Assert.Equal(ErrorCodes.CallbackTopicNotAllowed, rejection.ErrorCode);
        Assert.Contains("\"other\"", rejection.Message);
    }

    [Fact]
    public void CallbackTopic_OnAllowList_IsAccepted() =>
        Assert.Equal("team-b.results", Parse(Valid.Replace("}", ",\"callback_topic\":\"team-b.results\"}")).Request!.CallbackTopic);

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"a\":")]
    public void NotJson_IsInvalidJson(string text) => Assert.Equal(ErrorCodes.InvalidJson, Parse(text).Rejection!.ErrorCode);

    [Fact]
    public void InvalidUtf8_IsInvalidJson() =>
        Assert.Equal(ErrorCodes.InvalidJson, Parser.Parse(new byte[] { (byte)'{', 0xff, 0xfe, (byte)'}' }).Rejection!.ErrorCode);

    [Fact]
    public void NullValue_IsInvalidJson() => Assert.Equal(ErrorCodes.InvalidJson, Parser.Parse(null).Rejection!.ErrorCode);

    [Theory]
    [InlineData("[1,2,3]", "array")]
    [InlineData("\"text\"", "string")]
    [InlineData("42", "number")]
    public void JsonButNotObject_IsSchemaViolation(string json, string kind)
    {
        var rejection = Parse(json).Rejection!;
        Assert.Equal(ErrorCodes.SchemaViolation, rejection.ErrorCode);
        Assert.Equal($"message must be a JSON object, got {kind}", rejection.Message);
        Assert.False(rejection.PayloadIsObject);
    }

    [Fact]
    public void Oversized_IsPayloadTooLarge_WithIdsWhenReadable()
    {
        var rejection = Parse(Valid.Replace("ERROR boom", new string('x', 5000))).Rejection!;
        Assert.Equal(ErrorCodes.PayloadTooLarge, rejection.ErrorCode);
        Assert.Equal("r1", rejection.RequestId);
        Assert.Contains("limit is 4096", rejection.Message);
    }
}
