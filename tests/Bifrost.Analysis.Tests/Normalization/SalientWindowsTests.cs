using Bifrost.Analysis.Normalization;

namespace Bifrost.Analysis.Tests;

public class SalientWindowsTests
{
    private static string NoisyLog(int lines, int errorAt)
    {
        var sb = new System.Text.StringBuilder();
        for (var i = 0; i < lines; i++)
        {
            sb.Append("2024-05-01 10:00:00 INFO  c.e.Poller - polled queue, 0 messages, offset ").Append(i).Append('\n');
            if (i == errorAt)
            {
                sb.Append("2024-05-01 10:00:00 ERROR c.e.Db - org.postgresql.util.PSQLException: FATAL: password authentication failed for user \"app\"\n");
            }
        }

        return sb.ToString();
    }

    [Fact]
    public void Reduce_KeepsTheErrorFromTheMiddleAndTheEnd()
    {
        var text = NoisyLog(20_000, 9_000);
        var reduced = SalientWindows.Reduce(text, 16 * 1024);
        Assert.True(reduced.Length <= 16 * 1024 + 1024, $"length {reduced.Length}");
        Assert.Contains("password authentication failed", reduced, StringComparison.Ordinal);
        Assert.Contains("offset 19999", reduced, StringComparison.Ordinal);
        Assert.Contains("lines omitted", reduced, StringComparison.Ordinal);
    }

    [Fact]
    public void Reduce_ReturnsSmallInputUnchanged()
    {
        const string text = "ERROR one\nINFO two\n";
        Assert.Same(text, SalientWindows.Reduce(text, 1024));
    }

    [Fact]
    public void Analyze_LargeInputIsReducedAndStillFindsTheCause()
    {
        var report = new LogAnalyzer().Analyze(new AnalysisInput(NoisyLog(50_000, 30_000), "api", "production"));
        Assert.Equal("database.auth", report.Category);
        Assert.Contains(report.Evidence, e => e.LineNumber == 30_002);
        Assert.True(Normalizer.Normalize(NoisyLog(50_000, 30_000)).Reduced);
    }

    [Fact]
    public void Analyze_HugeSingleLineIsBounded()
    {
        var line = "ERROR " + new string('a', 10 * 1024 * 1024) + " java.lang.OutOfMemoryError: Java heap space";
        var report = new LogAnalyzer().Analyze(new AnalysisInput(line));
        Assert.Equal("resource.memory", report.Category);
        Assert.All(report.Evidence, e => Assert.True(e.Text.Length <= 600));
    }
}
