using System.Text;
using Bifrost.Heimdall;
using Bifrost.Messaging;

namespace Bifrost.Tests.Heimdall;

public class DialectParsingTests
{
    private static RequestParser Parser(Dialect? forced = null) => new(1 << 20, new HashSet<string> { "analysis.result" }, "analysis.result", forced);

    private static ParseResult Parse(string json, Dialect? forced = null) => Parser(forced).Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void ReleaseOneExamples_AreV1_AndAccepted_NullServiceStoredAsUnknown()
    {
        foreach (var (name, bytes) in HeimdallExamples.Requests("v1"))
        {
            var parsed = Parser().Parse(bytes);
            Assert.True(parsed.Request is not null, $"{name}: {parsed.Rejection}");
            Assert.Equal(Dialect.V1, parsed.Dialect);
            Assert.Equal("v1", parsed.Request!.Dialect);
        }

        var noService = Parser().Parse(HeimdallExamples.Requests("v1").Single(e => e.Name.Contains("no-service", StringComparison.Ordinal)).Bytes).Request!;
        Assert.Equal((RequestParser.Unknown, RequestParser.Unknown), (noService.ServiceName, noService.Environment));
        Assert.Equal("HIGH", noService.Priority);
    }

    [Fact]
    public void ReleaseTwoExamples_AreV2Jobs_WithLevelsMapped()
    {
        var jobs = HeimdallExamples.Requests("v2").Select(e => (e.Name, Parsed: Parser().Parse(e.Bytes))).ToList();
        foreach (var (name, parsed) in jobs)
        {
            Assert.True(parsed.Job is not null, $"{name}: {parsed.Rejection}");
            Assert.Equal(Dialect.V2, parsed.Dialect);
            Assert.Null(parsed.Request); // no log text yet: it is read from Heimdall's database
        }

        var local = jobs.Single(j => j.Name.Contains("manual-local", StringComparison.Ordinal)).Parsed.Job!;
        Assert.Equal(("c2a8e4f0-6d1b-4b7e-a3c9-5e2f1d0b9a77", "p1-b1-real-local-ai-v1", 77L, "FATAL", "CRITICAL", "local"),
            (local.JobId, local.IdempotencyKey, local.LogId, local.LogLevel, local.Priority, local.ModelSource));
        var redrive = jobs.Single(j => j.Name.Contains("redrive", StringComparison.Ordinal)).Parsed.Job!;
        Assert.Equal(("ops-redrive-42", "HIGH", (string?)null, (int?)null), (redrive.TraceId, redrive.Priority, redrive.TenantId, redrive.TimeoutMs));
    }

    [Fact]
    public void GuideExamples_StayGuide_CamelCaseWithKeysReleaseOneNeverSendsIncluded()
    {
        foreach (var (name, bytes) in Contract.Examples("request"))
        {
            var parsed = Parser().Parse(bytes);
            Assert.True(parsed.Dialect == Dialect.Guide, $"{name} detected as {parsed.Dialect}");
            Assert.Equal("guide", parsed.Request!.Dialect);
        }
    }

    [Theory]
    [InlineData("""{"job_id":"x"}""", Dialect.V2)]
    [InlineData("""{"log_id":1,"schema_version":1}""", Dialect.V2)]
    [InlineData("""{"request_id":"r","idempotency_key":"k"}""", Dialect.V2)]
    [InlineData("""{"requestId":"r","logId":1,"logContent":"x","serviceName":null,"environment":null,"timestamp":"t","analysisType":"error","priority":"HIGH","callbackTopic":"c","correlationId":"c"}""", Dialect.V1)]
    [InlineData("""{"logId":1}""", Dialect.V1)]
    [InlineData("""{"requestId":"r","logId":1,"logContent":"x","metadata":{}}""", Dialect.Guide)] // a key release 1 never writes
    [InlineData("""{"serviceName":"s","environment":"e","priority":"HIGH"}""", Dialect.Guide)] // none of release 1's core keys
    [InlineData("""{"request_id":"r","log_id":1,"log_content":"x","logId":1}""", Dialect.Guide)]
    [InlineData("""{"job\u005fid":"x"}""", Dialect.V2)] // escaped names are compared unescaped
    [InlineData("""{"request\u0049d":"r","logId":1}""", Dialect.V1)]
    [InlineData("""{"request\u0049d":"r","log\u005fid":1}""", Dialect.Guide)]
    [InlineData("""{"jobs_id":"x","logid":1,"LOGID":1}""", Dialect.Guide)] // same length, other bytes
    public void Detect_ByKeys(string json, Dialect expected)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        Assert.Equal(expected, DialectDetector.Detect(document.RootElement));
    }

    [Theory]
    [InlineData("FATAL", "CRITICAL")]
    [InlineData("ERROR", "HIGH")]
    [InlineData("WARN", "NORMAL")]
    [InlineData("warning", "NORMAL")]
    [InlineData("INFO", "LOW")]
    [InlineData("DEBUG", "LOW")]
    [InlineData("TRACE", "LOW")]
    [InlineData("SOMETHING", "NORMAL")]
    [InlineData(null, "NORMAL")]
    public void LogLevels_MapToPriorities(string? level, string priority) => Assert.Equal(priority, LogLevels.ToPriority(level));

    private const string Job = """{"schema_version":1,"job_id":"5b0e7c1a-3f2d-4e8b-9a61-7c2d9e4f1a08","idempotency_key":"k1","log_id":5,"tenant_id":"acme","priority":"ERROR","timeout_ms":1500,"model_policy":{"source":"Cloud","extra":1},"trace_id":"t1","timestamp":"2026-01-31T10:15:30Z"}""";

    [Fact]
    public void Job_AllFieldsRead()
    {
        var job = Parse(Job).Job!;
        Assert.Equal(("acme", 1500, "cloud", "t1"), (job.TenantId, job.TimeoutMs, job.ModelSource, job.TraceId));
        Assert.Equal(DateTimeOffset.Parse("2026-01-31T10:15:30Z", System.Globalization.CultureInfo.InvariantCulture), job.Timestamp);
        Assert.Contains("\"extra\":1", job.ModelPolicyJson, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"job_id\":\"5b0e7c1a-3f2d-4e8b-9a61-7c2d9e4f1a08\"", "\"job_id\":\"not-a-uuid\"", "job_id: expected a UUID")]
    [InlineData("\"log_id\":5", "\"log_id\":null", "log_id: required field is missing")]
    [InlineData("\"timeout_ms\":1500", "\"timeout_ms\":-1", "timeout_ms: expected a positive integer")]
    [InlineData("\"model_policy\":{\"source\":\"Cloud\",\"extra\":1}", "\"model_policy\":\"cloud\"", "model_policy: expected an object or null")]
    [InlineData("\"schema_version\":1", "\"schema_version\":2", "schema_version: only 1 is understood")]
    [InlineData("\"idempotency_key\":\"k1\"", "\"idempotency_key\":7", "idempotency_key: expected a string")]
    public void Job_InvalidField_IsAV2Rejection_KeepingTheJobsIds(string from, string to, string message)
    {
        var parsed = Parse(Job.Replace(from, to, StringComparison.Ordinal));
        var rejection = parsed.Rejection!;
        Assert.Equal((Dialect.V2, ErrorCodes.SchemaViolation, Dialect.V2), (parsed.Dialect, rejection.ErrorCode, rejection.Dialect));
        Assert.Contains(message, rejection.Message, StringComparison.Ordinal);
        Assert.Equal("t1", rejection.TraceId);
        if (!from.StartsWith("\"job_id\"", StringComparison.Ordinal))
        {
            Assert.Equal("5b0e7c1a-3f2d-4e8b-9a61-7c2d9e4f1a08", rejection.JobId);
        }

        if (!from.StartsWith("\"idempotency_key\"", StringComparison.Ordinal))
        {
            Assert.Equal("k1", rejection.IdempotencyKey);
        }
    }

    [Fact]
    public void TruncatedJob_IsStillV2_WithTheIdsReadBeforeTheBreak()
    {
        var parsed = Parse(Job[..120]);
        var rejection = parsed.Rejection!;
        Assert.Equal((ErrorCodes.InvalidJson, Dialect.V2), (rejection.ErrorCode, rejection.Dialect));
        Assert.Equal(("5b0e7c1a-3f2d-4e8b-9a61-7c2d9e4f1a08", "k1", (string?)null), (rejection.JobId, rejection.IdempotencyKey, rejection.TraceId));
        Assert.False(rejection.PayloadIsObject);
    }

    [Fact]
    public void NotJson_IsGuide_UnlessADialectIsForced()
    {
        Assert.Equal(Dialect.Guide, Parse("this is not json {").Rejection!.Dialect);
        Assert.Equal(Dialect.V2, Parse("this is not json {", Dialect.V2).Rejection!.Dialect);
        Assert.Equal(Dialect.V2, Parse("[1,2]", Dialect.V2).Rejection!.Dialect);
    }

    [Fact]
    public void ForcedDialect_OverridesDetection()
    {
        var guideAsV1 = Parse("""{"request_id":"r1","log_id":7,"log_content":"ERROR boom","service_name":"svc","environment":"prod","correlation_id":"c1"}""", Dialect.V1);
        Assert.Equal(("v1", Dialect.V1), (guideAsV1.Request!.Dialect, guideAsV1.Dialect));
        var guideAsV2 = Parse("""{"request_id":"r1","log_id":7,"log_content":"ERROR boom","service_name":"svc","environment":"prod","correlation_id":"c1"}""", Dialect.V2);
        Assert.Equal((Dialect.V2, ErrorCodes.SchemaViolation), (guideAsV2.Rejection!.Dialect, guideAsV2.Rejection.ErrorCode));
    }

    [Fact]
    public void GuideStaysStrict_AboutServiceName()
    {
        var rejection = Parse("""{"request_id":"r1","log_id":7,"log_content":"x","service_name":null,"environment":"prod","correlation_id":"c1"}""").Rejection!;
        Assert.Equal((ErrorCodes.SchemaViolation, Dialect.Guide), (rejection.ErrorCode, rejection.Dialect));
    }
}
