using System.Text.RegularExpressions;
using Bifrost.Analysis;

namespace Bifrost.Runbooks;

/// <summary>
/// Which failure a runbook section is about, read the way the engine reads logs: runbooks quote the errors they
/// handle (<c>`FATAL: sorry, too many clients already`</c>), so each quoted snippet is classified by the built-in
/// engine and the category with the most confidence summed over the snippets wins. A section that quotes no
/// recognisable error (a procedure, an escalation policy) gets none, and can then only be cited on its words.
/// </summary>
public static partial class SectionCategory
{
    public static string? Of(string title, string body, LogAnalyzer engine)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(engine);
        var votes = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var snippet in Snippets(body))
        {
            var report = engine.Analyze(new AnalysisInput(snippet));
            if (report.Category != "unknown")
            {
                votes[report.Category] = votes.GetValueOrDefault(report.Category) + report.Confidence;
            }
        }

        return votes.Count == 0 ? null : votes.OrderByDescending(v => v.Value).ThenBy(v => v.Key, StringComparer.Ordinal).First().Key;
    }

    /// <summary>Inline code spans and the lines of fenced code blocks.</summary>
    internal static IEnumerable<string> Snippets(string body)
    {
        var inFence = false;
        foreach (var line in body.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal))
            {
                inFence = !inFence;
                continue;
            }

            if (inFence)
            {
                if (trimmed.Length > 0) yield return trimmed;
                continue;
            }

            foreach (Match m in InlineCode().Matches(line))
            {
                yield return m.Groups[1].Value;
            }
        }
    }

    [GeneratedRegex(@"`([^`\n]{3,400})`", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex InlineCode();
}
