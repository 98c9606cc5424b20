using Bifrost.Analysis;

namespace Bifrost.Analysis.Tests;

public class LogAnalyzerTests
{
    [Fact]
    public void Analyze_ReturnsBuiltinModelAndRedactsEmail()
    {
        var report = new LogAnalyzer().Analyze(new AnalysisInput("ERROR mail to bob@example.com failed", "mailer", "prod"));
        Assert.StartsWith("bifrost-builtin/", report.Model);
        Assert.DoesNotContain("bob@example.com", report.Summary);
    }
}
