using System.Globalization;
using System.Numerics;
using Bifrost.Analysis.Templates;
using Bifrost.Bench.Baselines;

namespace Bifrost.Bench;

/// <summary>
/// loghub-loso [--thresholds 0.4,0.5,0.6] [--threads N] [ROOT]: leave-one-system-out grouping accuracy of the
/// template miner on the Loghub-2k systems. Every configuration (each subset of the switchable
/// <see cref="MiningRules"/> × each similarity threshold) is scored on every system; for each system the
/// configuration with the best mean GA on the OTHER systems is chosen (ties: the shipped default, then the one
/// differing from it in fewest switches) and scored on that system. The mean of those scores is what the rules
/// are worth on a system they were not chosen on. The same run prints the shipped configuration's in-sample GA,
/// plain Drain's GA and a one-switch-at-a-time ablation.
/// </summary>
internal static class LoghubLoso
{
    private static readonly MiningRules[] Switches = Enum.GetValues<MiningRules>()
        .Where(r => r != MiningRules.None && BitOperations.IsPow2((int)r))
        .ToArray();

    private static readonly TemplateMinerOptions Shipped = new();

    public static int Run(string[] args)
    {
        var threads = Options.Int(ref args, "--threads", 1);
        var thresholds = ReadThresholds(ref args);
        var root = args.Length > 0 ? args[0] : LoghubCorpus.DefaultRoot;
        if (!Directory.Exists(root))
        {
            Console.Error.WriteLine($"loghub-2k not found at {root}");
            return 1;
        }

        var systems = LoghubCorpus.Systems;
        var data = systems.Select(s => LoghubCorpus.Load(root, s)).ToArray();
        var configs = (from threshold in thresholds
                       from mask in Enumerable.Range(0, 1 << Switches.Length)
                       select Shipped with { SimilarityThreshold = threshold, Rules = RulesOf(mask) }).ToList();
        if (!configs.Contains(Shipped))
        {
            configs.Insert(0, Shipped);
        }

        Console.WriteLine($"{configs.Count} configurations ({Switches.Length} switches x {thresholds.Length} thresholds) x {systems.Length} systems; shipped: {Describe(Shipped)}");
        var ga = new double[configs.Count][];
        Parallel.For(0, configs.Count, new ParallelOptions { MaxDegreeOfParallelism = threads }, c =>
            ga[c] = [.. data.Select(d => GroupingScore.Compute(LoghubEval.Assign(d.Contents, configs[c]), d.Templates).Ga)]);

        var shipped = ga[configs.IndexOf(Shipped)];
        var drain = data.Select(d =>
        {
            var baseline = new PlainDrain();
            return GroupingScore.Compute(d.Contents.Select(baseline.Add).ToArray(), d.Templates).Ga;
        }).ToArray();

        Console.WriteLine();
        Console.WriteLine("| System | LOSO GA (chosen on the other systems) | Configuration chosen | Shipped config GA (in-sample) | Plain Drain GA |");
        Console.WriteLine("|---|---:|---|---:|---:|");
        var loso = new double[systems.Length];
        for (var held = 0; held < systems.Length; held++)
        {
            var chosen = Choose(configs, ga, exclude: held);
            loso[held] = ga[chosen][held];
            Console.WriteLine($"| {systems[held]} | {F(loso[held])} | {Describe(configs[chosen])} | {F(shipped[held])} | {F(drain[held])} |");
        }

        Console.WriteLine($"| **Mean** | **{F(loso.Average())}** | | {F(shipped.Average())} | {F(drain.Average())} |");
        var best = Choose(configs, ga, exclude: -1);
        Console.WriteLine($"\nbest in-sample configuration (all systems): {Describe(configs[best])}, mean GA {F(ga[best].Average())}");

        Console.WriteLine("\nAblation: the shipped configuration with one switch flipped (mean GA over all systems; per system)");
        Console.WriteLine("| Change | Mean GA | " + string.Join(" | ", systems) + " |");
        Console.WriteLine("|---|---:|" + string.Concat(Enumerable.Repeat("---:|", systems.Length)));
        Console.WriteLine($"| (shipped) | {F(shipped.Average())} | {string.Join(" | ", shipped.Select(F))} |");
        foreach (var flip in Switches)
        {
            var index = configs.IndexOf(Shipped with { Rules = Shipped.Rules ^ flip });
            if (index >= 0)
            {
                Console.WriteLine($"| {Sign(Shipped.Rules ^ flip, flip)}{flip} | {F(ga[index].Average())} | {string.Join(" | ", ga[index].Select(F))} |");
            }
        }

        return 0;
    }

    /// <summary>Index of the configuration with the best mean GA over the systems other than <paramref name="exclude"/>;
    /// ties go to the shipped configuration, then to the one with the fewest switches and the threshold closest to it.</summary>
    private static int Choose(List<TemplateMinerOptions> configs, double[][] ga, int exclude)
    {
        var best = -1;
        var bestScore = double.MinValue;
        for (var c = 0; c < configs.Count; c++)
        {
            var score = Enumerable.Range(0, ga[c].Length).Where(s => s != exclude).Average(s => ga[c][s]);
            if (best < 0 || score > bestScore + 1e-12 || (Math.Abs(score - bestScore) <= 1e-12 && Distance(configs[c]) < Distance(configs[best])))
            {
                best = c;
                bestScore = score;
            }
        }

        return best;
    }

    private static double Distance(TemplateMinerOptions config) =>
        BitOperations.PopCount((uint)(config.Rules ^ Shipped.Rules)) + Math.Abs(config.SimilarityThreshold - Shipped.SimilarityThreshold);

    private static MiningRules RulesOf(int mask)
    {
        var rules = MiningRules.None;
        for (var b = 0; b < Switches.Length; b++)
        {
            if ((mask & (1 << b)) != 0)
            {
                rules |= Switches[b];
            }
        }

        return rules;
    }

    /// <summary>The configuration as the switches that differ from the shipped one (or "shipped").</summary>
    private static string Describe(TemplateMinerOptions config)
    {
        var parts = new List<string>();
        if (config.SimilarityThreshold != Shipped.SimilarityThreshold || config == Shipped)
        {
            parts.Add($"threshold {config.SimilarityThreshold.ToString(CultureInfo.InvariantCulture)}");
        }

        parts.AddRange(Switches.Where(s => (config.Rules & s) != (Shipped.Rules & s)).Select(s => Sign(config.Rules, s) + s));
        return config == Shipped ? "shipped (" + string.Join(", ", parts) + ")" : string.Join(" ", parts.DefaultIfEmpty("shipped rules"));
    }

    private static string Sign(MiningRules rules, MiningRules flag) => (rules & flag) != 0 ? "+" : "-";

    private static double[] ReadThresholds(ref string[] args)
    {
        var at = Array.IndexOf(args, "--thresholds");
        if (at < 0)
        {
            return [0.4, 0.5, 0.6];
        }

        var values = args[at + 1].Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        args = [.. args[..at], .. args[(at + 2)..]];
        return values;
    }

    private static string F(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);
}
