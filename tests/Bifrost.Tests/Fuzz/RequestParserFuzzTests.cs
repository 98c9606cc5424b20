using System.Text;
using System.Text.Json;
using Bifrost.Analysis;
using Bifrost.Messaging;
using CsCheck;
using Xunit.Abstractions;

namespace Bifrost.Tests.Fuzz;

/// <summary>
/// Hostile bytes through what the Kafka worker does with a record: parse → (request → engine) or (rejection → DLQ
/// envelope). Every case must end as an analysis or a DLQ record that is valid JSON — never an exception.
/// </summary>
public sealed class RequestParserFuzzTests(ITestOutputHelper output)
{
    private static readonly string[] KnownCodes = [ErrorCodes.InvalidJson, ErrorCodes.SchemaViolation, ErrorCodes.CallbackTopicNotAllowed, ErrorCodes.PayloadTooLarge];
    private readonly RequestParser _parser = new(1_048_576, new HashSet<string> { "analysis.result" }, "analysis.result");
    private readonly LogAnalyzer _engine = new();

    [Fact]
    public void MutatedRequests_EndAsAnalysisOrDeadLetter() => Check("mutated requests", FuzzInputs.MutatedRequest, 3_000);

    [Fact]
    public void DamagedBytesAndInvalidUtf8_EndAsAnalysisOrDeadLetter() => Check("byte-damaged requests", FuzzInputs.DamagedBytes, 3_000);

    [Fact]
    public void RandomBytes_EndAsDeadLetter() => Check("random bytes", FuzzInputs.RandomBytes, 2_000);

    [Fact]
    public void DeepNesting_EndsAsDeadLetter() => Check("deeply nested JSON", FuzzInputs.DeepNesting, 300);

    [Fact]
    public void TenMegabyteSingleLine_IsTooLargeForTheDeadLetterNotACrash()
    {
        var content = new string('x', 10 * 1024 * 1024);
        var bytes = Encoding.UTF8.GetBytes($"{{\"request_id\":\"big\",\"log_id\":1,\"log_content\":\"{content}\",\"service_name\":\"s\",\"environment\":\"prod\",\"correlation_id\":\"c\"}}");
        var outcome = Outcome(bytes);
        Assert.Equal(ErrorCodes.PayloadTooLarge, outcome);
    }

    private void Check(string name, Gen<byte[]> inputs, int iterations)
    {
        var tried = 0;
        var outcomes = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        inputs.Sample(bytes =>
        {
            Interlocked.Increment(ref tried);
            outcomes.AddOrUpdate(Outcome(bytes), 1, (_, n) => n + 1);
        }, iter: iterations, threads: 1);
        output.WriteLine($"{name}: {tried} cases tried; outcomes: {string.Join(", ", outcomes.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key} {kv.Value}"))}");
        Assert.Equal(iterations, tried);
    }

    /// <summary>"analysed" or the DLQ error code; throws (and so fails the property) on any crash.</summary>
    private string Outcome(byte[] bytes)
    {
        var parsed = _parser.Parse(bytes);
        Assert.True(parsed.Request is null ^ parsed.Rejection is null, "exactly one of request or rejection");
        if (parsed.Request is { } request)
        {
            Assert.False(string.IsNullOrEmpty(request.RequestId));
            Assert.False(string.IsNullOrEmpty(request.LogContent));
            var report = _engine.Analyze(new AnalysisInput(request.LogContent, request.ServiceName, request.Environment));
            Assert.False(string.IsNullOrWhiteSpace(report.Summary));
            Assert.InRange(report.Confidence, 0, 1);
            return "analysed";
        }

        var rejection = parsed.Rejection!;
        Assert.Contains(rejection.ErrorCode, KnownCodes);
        var letter = new DeadLetter(rejection.ErrorCode, rejection.Message, DateTimeOffset.UnixEpoch, 1, "analysis.request", 0, 0, null, null, "g",
            rejection.RequestId, rejection.CorrelationId, rejection.LogId, bytes, rejection.PayloadIsObject);
        using var envelope = JsonDocument.Parse(DeadLetterMessage.Value(letter), Bifrost.Messaging.Dlq.DlqEnvelope.EnvelopeOptions);
        Assert.Equal(rejection.ErrorCode, Bifrost.Messaging.Dlq.DlqEnvelope.Parse(0, 0, DeadLetterMessage.Value(letter)).ErrorCode);
        Assert.Equal(rejection.ErrorCode, envelope.RootElement.GetProperty("error_code").GetString());
        return rejection.ErrorCode;
    }
}
