using Bifrost.Analysis.Redaction;

namespace Bifrost.Analysis.Tests.Redaction;

/// <summary>
/// Issue 14 #3: the summary quote (160), evidence lines (500) and details (120) were cut first and redacted
/// second, so a token straddling the cut came out half-masked (24 of a GitHub token's 36 characters).
/// </summary>
public class RedactFirstClipSecondTests
{
    private const string Token = "ghp_4Qwb8DwkNhFdnXsiVpzz63FfkCzJr4i0B3Jr";

    [Theory]
    [InlineData(140)]
    [InlineData(150)]
    [InlineData(155)]
    [InlineData(480)]
    [InlineData(490)]
    [InlineData(100)]
    [InlineData(110)]
    public void Analyze_TokenStraddlingAnyCut_IsNeverPartlyPublished(int offset)
    {
        var padding = new string('x', offset);
        var log = $"2024-05-01 10:00:00 ERROR org.postgresql.util.PSQLException: Connection to db refused {padding} push {Token} failed";
        var report = new LogAnalyzer().Analyze(new AnalysisInput(log, "orders", "prod"));

        var published = string.Join("\n", [report.Summary, report.RootCause, report.Recommendation, .. report.Evidence.Select(e => e.Text)]);
        Assert.Empty(SecretCorpusTests.Leaks(published, [Token[4..]]));
    }

    [Fact]
    public void Clip_NeverSplitsAPlaceholder()
    {
        var text = new string('a', 150) + " " + Placeholders.ApiKey + " tail";
        var clipped = Redactor.Clip(text, 160);
        Assert.Equal(new string('a', 150) + " …", clipped);
    }

    [Fact]
    public void RedactAndClip_MasksBeforeCutting()
    {
        var text = new string('a', 150) + " " + Token;
        Assert.DoesNotContain("ghp_4Qwb", Redactor.RedactAndClip(text, 160), StringComparison.Ordinal);
    }

    [Fact]
    public void AnalyzeIncidents_ExampleAndReportAreRedacted()
    {
        var log = string.Join('\n', Enumerable.Range(0, 120).Select(i => $"2024-05-01 10:00:{i % 60:00} ERROR login failed password=Hunter2!x{i} for bob@example.com"));
        foreach (var incident in new LogAnalyzer().AnalyzeIncidents(log))
        {
            Assert.DoesNotContain("Hunter2", incident.Excerpt, StringComparison.Ordinal);
            Assert.DoesNotContain("bob@example.com", incident.Report.Summary + incident.Excerpt, StringComparison.Ordinal);
        }
    }
}
