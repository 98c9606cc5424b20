using System.Text;
using Bifrost.Analysis;
using Bifrost.Messaging;

namespace Bifrost.Tests.Fuzz;

/// <summary>Regression tests for what the fuzz tests found (docs/reliability.md, "Bugs found").</summary>
public sealed class FoundByFuzzingTests
{
    /// <summary>Invalid UTF-8 inside a JSON string made RequestParser throw; the exception stopped the worker's lane.</summary>
    [Fact]
    public void InvalidUtf8InsideAJsonString_IsInvalidJson_NotAnException()
    {
        var parser = new RequestParser(1_048_576, new HashSet<string> { "analysis.result" }, "analysis.result");
        var prefix = Encoding.UTF8.GetBytes("{\"request_id\":\"r\",\"log_id\":1,\"log_content\":\"bad ");
        var suffix = Encoding.UTF8.GetBytes("\",\"service_name\":\"s\",\"environment\":\"prod\",\"correlation_id\":\"c\"}");
        byte[] value = [.. prefix, 0xC3, 0x28, 0xFF, .. suffix];

        var parsed = parser.Parse(value);

        Assert.Null(parsed.Request);
        Assert.Equal(ErrorCodes.InvalidJson, parsed.Rejection!.ErrorCode);
    }

    /// <summary>A long JWT-like run made a classifier regex hit its match timeout, and Analyze threw instead of answering.</summary>
    [Fact]
    public void RegexTimeoutOnAPathologicalLine_StillGivesAReport()
    {
        var text = "eyJ" + new string('A', 50_000) + "." + new string('B', 50_000) + ".";

        var report = new LogAnalyzer().Analyze(new AnalysisInput(text, "svc", "prod"));

        Assert.False(string.IsNullOrWhiteSpace(report.Summary));
        Assert.Equal(LogAnalyzer.ModelName, report.Model);
    }

    /// <summary>An escaped lone surrogate ("\ud800\udffd" damaged) made JsonElement.GetString throw out of RequestParser.Parse.</summary>
    [Fact]
    public void EscapedInvalidSurrogateInAString_IsInvalidJson_NotAnException()
    {
        var parser = new RequestParser(1_048_576, new HashSet<string> { "analysis.result" }, "analysis.result");
        var value = Encoding.UTF8.GetBytes("{\"request_id\":\"r\",\"log_id\":1,\"log_content\":\"a\\udffd\\ud800b\",\"service_name\":\"s\",\"environment\":\"prod\",\"correlation_id\":\"c\"}");

        var parsed = parser.Parse(value);

        Assert.Null(parsed.Request);
        Assert.Equal(ErrorCodes.InvalidJson, parsed.Rejection!.ErrorCode);
    }

    /// <summary>A JSON-looking line with a lone surrogate made LinePrefix.TryJson throw ArgumentException out of Analyze.</summary>
    [Fact]
    public void JsonLookingLineWithALoneSurrogate_StillGivesAReport()
    {
        var report = new LogAnalyzer().Analyze(new AnalysisInput("{\"level\":\"error\",\"message\":\"Connection refused \uD800\"}", "svc", "prod"));

        Assert.False(string.IsNullOrWhiteSpace(report.Summary));
    }
}
