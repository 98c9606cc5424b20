using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Bifrost.Tests.Deploy;

/// <summary>The PromQL the dashboard and the alert rules use, and the Bifrost metric names in it.</summary>
internal static partial class MetricNames
{
    public static IEnumerable<string> DashboardExpressions()
    {
        var dashboard = JsonNode.Parse(File.ReadAllText(RepoPaths.Of("deploy", "monitoring", "grafana", "dashboards", "bifrost.json")))!;
        return dashboard["panels"]!.AsArray()
            .SelectMany(p => p!["targets"]?.AsArray() ?? [])
            .Select(t => (string)t!["expr"]!);
    }

    public static IEnumerable<JsonNode> AlertRules() =>
        Yaml.Load(RepoPaths.Of("deploy", "monitoring", "prometheus", "alerts.yml"))["groups"]!.AsArray()
            .SelectMany(g => g!["rules"]!.AsArray()).Select(r => r!);

    /// <summary>Metric family names (histogram series suffixes removed) referenced by <paramref name="expressions"/>.</summary>
    public static ISet<string> Referenced(IEnumerable<string> expressions) =>
        expressions.SelectMany(e => BifrostMetric().Matches(e).Select(m => m.Value))
            .Select(n => HistogramSuffix().Replace(n, ""))
            .ToHashSet();

    [GeneratedRegex(@"\bbifrost_[a-z_]+\b")]
    private static partial Regex BifrostMetric();

    [GeneratedRegex("_(bucket|sum|count)$")]
    private static partial Regex HistogramSuffix();
}
