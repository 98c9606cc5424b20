using System.Globalization;
using Bifrost.Analysis.Templates;
using Bifrost.Bench.Baselines;

namespace Bifrost.Bench;

/// <summary>
/// loghub-eval [--threshold T] [--rules +Switch,-Switch] [--word-values N] [ROOT]: grouping accuracy (GA) and FGA of the template miner on the eight Loghub-2k systems,
/// scored as the loghub README says (Content column, in order, one configuration for all), side by side with
/// plain Drain (<see cref="PlainDrain"/>). Prints a Markdown table.
/// </summary>
internal static class LoghubEval
{
    // Drain3 (0.9-era drain3.ini masking, sim_th 0.4, depth 4) as reported in the loghub README.
    private static readonly Dictionary<string, double> Drain3Reference = new()
    {
        ["HDFS"] = 0.998, ["BGL"] = 0.917, ["Spark"] = 0.997, ["Zookeeper"] = 0.967,
        ["Hadoop"] = 0.964, ["OpenStack"] = 0.310, ["Thunderbird"] = 0.905, ["Linux"] = 0.873,
    };

    // The one configuration for every system: the miner's defaults, unless --threshold asks for a sensitivity run.
    private static TemplateMinerOptions Options = new();

    public static int Run(string[] args)
    {
        var thresholdAt = Array.IndexOf(args, "--threshold");
        if (thresholdAt >= 0)
        {
            Options = Options with { SimilarityThreshold = double.Parse(args[thresholdAt + 1], CultureInfo.InvariantCulture) };
            args = [.. args[..thresholdAt], .. args[(thresholdAt + 2)..]];
        }

        var rulesAt = Array.IndexOf(args, "--rules");
        if (rulesAt >= 0)
        {
            Options = Options with { Rules = ParseRules(args[rulesAt + 1], Options.Rules) };
            args = [.. args[..rulesAt], .. args[(rulesAt + 2)..]];
        }

        var wordsAt = Array.IndexOf(args, "--word-values");
        if (wordsAt >= 0)
        {
            Options = Options with { WordParameterValues = int.Parse(args[wordsAt + 1], CultureInfo.InvariantCulture) };
            args = [.. args[..wordsAt], .. args[(wordsAt + 2)..]];
        }

        var root = args.Length > 0 ? args[0] : LoghubCorpus.DefaultRoot;
        if (!Directory.Exists(root))
        {
            Console.Error.WriteLine($"loghub-2k not found at {root}");
            return 1;
        }

        Console.WriteLine("| System | Bifrost GA | Bifrost FGA | Plain Drain GA (this run) | Plain Drain FGA | Drain3 GA (README) | Bifrost templates | True templates |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        double sumGa = 0, sumFga = 0, sumDrainGa = 0, sumDrainFga = 0, minGa = 1;
        foreach (var system in LoghubCorpus.Systems)
        {
            var (contents, truth) = LoghubCorpus.Load(root, system);
            var (ga, fga, groups) = ScoreBifrost(system, contents, truth, Options);
            var drain = new PlainDrain();
            var (drainGa, drainFga) = GroupingScore.Compute(contents.Select(drain.Add).ToArray(), truth);
            sumGa += ga;
            sumFga += fga;
            sumDrainGa += drainGa;
            sumDrainFga += drainFga;
            minGa = Math.Min(minGa, ga);
            Console.WriteLine($"| {system} | {F(ga)} | {F(fga)} | {F(drainGa)} | {F(drainFga)} | {F(Drain3Reference[system])} | {groups} | {truth.Distinct().Count()} |");
        }

        var n = LoghubCorpus.Systems.Length;
        Console.WriteLine($"| **Mean** | **{F(sumGa / n)}** | **{F(sumFga / n)}** | {F(sumDrainGa / n)} | {F(sumDrainFga / n)} | {F(Drain3Reference.Values.Average())} | | |");
        Console.WriteLine($"\nlowest Bifrost GA: {F(minGa)}");
        return 0;
    }

    /// <summary>Feeds the lines in order; each line's group is the template it ended up in after all merges.</summary>
    internal static (double Ga, double Fga, int Groups) ScoreBifrost(string system, string[] contents, string[] truth, TemplateMinerOptions options)
    {
        var final = Assign(contents, options);
        var (ga, fga) = GroupingScore.Compute(final, truth);
        if (Environment.GetEnvironmentVariable("BIFROST_EVAL_DUMP") is { Length: > 0 } dump)
        {
            Dump(Path.Combine(dump, $"{system}-errors.txt"), contents, truth, final);
        }

        return (ga, fga, final.Distinct().Count());
    }

    /// <summary>"+Quantities,-WordConflicts": switches turned on or off from <paramref name="rules"/> (for ablations).</summary>
    internal static MiningRules ParseRules(string changes, MiningRules rules)
    {
        foreach (var change in changes.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var flag = Enum.Parse<MiningRules>(change[1..]);
            rules = change[0] == '-' ? rules & ~flag : rules | flag;
        }

        return rules;
    }

    /// <summary>Each line's final template id: the lines fed in order to a fresh miner, merges followed to the end.</summary>
    internal static long[] Assign(string[] contents, TemplateMinerOptions options)
    {
        var miner = new TemplateMiner(options);
        var resolver = new TemplateIdResolver();
        var assigned = contents.Select(line => resolver.Record(miner.Add(line))).ToArray();
        return assigned.Select(resolver.Resolve).ToArray();
    }

    // Error analysis for development (BIFROST_EVAL_DUMP=/some/dir, outside the repo): which true templates were
    // split or merged with others, with example lines. Read it to find general causes, not to fit these labels.
    private static void Dump(string path, string[] contents, string[] truth, long[] final)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var writer = new StreamWriter(path);
        foreach (var group in Enumerable.Range(0, truth.Length).GroupBy(i => truth[i]))
        {
            var ids = group.Select(i => final[i]).Distinct().ToArray();
            var others = Enumerable.Range(0, truth.Length).Where(i => ids.Contains(final[i]) && truth[i] != group.Key).ToArray();
            if (ids.Length > 1 || others.Length > 0)
            {
                writer.WriteLine($"TRUE {group.Count()} | {group.Key} | split into {ids.Length}, merged with {others.Select(i => truth[i]).Distinct().Count()} others ({others.Length} lines)");
                foreach (var i in group.DistinctBy(i => final[i]).Take(4))
                {
                    writer.WriteLine($"    [{final[i]}] {contents[i]}");
                }

                foreach (var i in others.DistinctBy(i => truth[i]).Take(3))
                {
                    writer.WriteLine($"    merged-with: {truth[i]}  e.g. {contents[i]}");
                }
            }
        }
    }

    private static string F(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);
}
