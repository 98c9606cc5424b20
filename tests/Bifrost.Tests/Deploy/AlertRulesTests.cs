using System.Text.RegularExpressions;

namespace Bifrost.Tests.Deploy;

public class AlertRulesTests
{
    [Fact]
    public void EveryAlert_HasSeverityAndARunbookSectionThatExists()
    {
        var headings = File.ReadAllLines(RepoPaths.Of("docs", "operations.md"))
            .Where(l => l.StartsWith('#'))
            .Select(GitHubAnchor)
            .ToHashSet();

        var rules = MetricNames.AlertRules().ToList();
        Assert.NotEmpty(rules);
        foreach (var rule in rules)
        {
            var name = (string)rule["alert"]!;
            Assert.Contains((string?)rule["labels"]!["severity"], new[] { "page", "warning" });
            var runbook = (string)rule["annotations"]!["runbook_url"]!;
            Assert.Equal($"docs/operations.md#{name.ToLowerInvariant()}", runbook);
            Assert.True(headings.Contains(name.ToLowerInvariant()), $"docs/operations.md has no heading for {name}");
        }
    }

    [Fact]
    public void Alerts_CoverTheRequiredConditions()
    {
        var names = MetricNames.AlertRules().Select(r => (string)r["alert"]!).ToList();

        Assert.Contains("BifrostConsumerLagGrowing", names);
        Assert.Contains("BifrostAnalysisErrorRateHigh", names);
        Assert.Contains("BifrostDlqRateHigh", names);
        Assert.Contains("BifrostLlmBreakerOpen", names);
        Assert.Contains("BifrostNoResultsWhileRequestsArrive", names);
    }

    /// <summary>GitHub's heading anchor: lower case, punctuation dropped, spaces to dashes.</summary>
    private static string GitHubAnchor(string heading) =>
        Regex.Replace(heading.TrimStart('#').Trim().ToLowerInvariant(), @"[^\p{L}\p{N}\- _]", "").Replace(' ', '-');
}
