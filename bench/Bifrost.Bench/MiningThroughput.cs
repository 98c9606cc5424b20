using System.Diagnostics;
using System.Globalization;
using Bifrost.Analysis.Templates;
using Bifrost.Bench.Baselines;

namespace Bifrost.Bench;

/// <summary>
/// mining-throughput [--lines N] [--runs R] [--memory-lines M] [--threads T] [ROOT]:
/// (1) single-thread lines/s of the template miner on the Loghub-2k messages of all eight systems, replayed in
/// order to N lines, median of R runs, side by side with plain Drain (<see cref="PlainDrain"/>) in the same run;
/// (2) managed heap while mining M generated lines (the Loghub messages with fresh numbers on every line, and one
/// line in 50 a never-seen message so templates keep being created and evicted): flat memory means the heap at
/// the end is no larger than after the first million;
/// (3) lines/s with T threads sharing one miner (the lock's cost).
/// </summary>
internal static class MiningThroughput
{
    public static int Run(string[] args)
    {
        var lines = Options.Int(ref args, "--lines", 2_000_000);
        var runs = Options.Int(ref args, "--runs", 5);
        var memoryLines = Options.Int(ref args, "--memory-lines", 10_000_000);
        var threads = Options.Int(ref args, "--threads", Environment.ProcessorCount);
        var root = args.Length > 0 ? args[0] : LoghubCorpus.DefaultRoot;
        var corpus = LoghubCorpus.Systems.SelectMany(s => LoghubCorpus.Load(root, s).Contents).ToArray();
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {Options.LoadAverage()} at start");
        Console.WriteLine($"input: {corpus.Length:N0} Loghub-2k messages (8 systems) replayed to {lines:N0} lines; {runs} runs; median");
        MeasureSpeed(corpus, lines, runs, threads);

        Console.WriteLine($"\nmemory over {memoryLines:N0} generated lines (MaxClusters {new TemplateMinerOptions().MaxClusters:N0}):");
        MeasureMemory(corpus, memoryLines);
        Console.WriteLine($"load average {Options.LoadAverage()} at end");
        return 0;
    }

    private static void MeasureSpeed(string[] corpus, int lines, int runs, int threads)
    {
        var input = Enumerable.Range(0, lines).Select(i => corpus[i % corpus.Length]).ToArray();

        // The two miners run alternately (warm-up, then Bifrost, Drain, Bifrost, Drain, ...), so a change in the load
        // of a shared machine hits both alike; each run is timed by the wall clock and by the CPU time the process used
        // (what the work costs when the scheduler lets it run). Ratios are taken run by run, then the median.
        Measure(input, new TemplateMiner().Add);
        Measure(input, new PlainDrain().Add);
        var bifrost = new List<(double Wall, double Cpu)>();
        var drain = new List<(double Wall, double Cpu)>();
        for (var run = 0; run < runs; run++)
        {
            bifrost.Add(Measure(input, new TemplateMiner().Add));
            drain.Add(Measure(input, new PlainDrain().Add));
        }

        Console.WriteLine("| Miner | lines/s, wall clock (median) | lines/s, CPU time (median) |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine($"| Bifrost TemplateMiner | {Median(bifrost.Select(r => r.Wall)):N0} | {Median(bifrost.Select(r => r.Cpu)):N0} |");
        Console.WriteLine($"| Plain Drain (C# port of Drain3, same run) | {Median(drain.Select(r => r.Wall)):N0} | {Median(drain.Select(r => r.Cpu)):N0} |");
        var wallRatios = bifrost.Zip(drain, (b, d) => b.Wall / d.Wall).ToArray();
        var cpuRatios = bifrost.Zip(drain, (b, d) => b.Cpu / d.Cpu).ToArray();
        Console.WriteLine($"speed-up, run by run (wall): {string.Join(" / ", wallRatios.Select(r => r.ToString("0.0", CultureInfo.InvariantCulture)))}; median {Median(wallRatios):0.0}x");
        Console.WriteLine($"speed-up, run by run (CPU):  {string.Join(" / ", cpuRatios.Select(r => r.ToString("0.0", CultureInfo.InvariantCulture)))}; median {Median(cpuRatios):0.0}x");

        var shared = MedianOf(runs, () => MeasureParallel(input, threads));
        Console.WriteLine($"\n{threads} threads sharing one miner: {shared:N0} lines/s (median)");
    }


    private static (double Wall, double Cpu) Measure<T>(string[] input, Func<string, T> add)
    {
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        foreach (var line in input)
        {
            add(line);
        }

        var wall = watch.Elapsed.TotalSeconds;
        process.Refresh();
        return (input.Length / wall, input.Length / (process.TotalProcessorTime - cpu).TotalSeconds);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    private static double MeasureParallel(string[] input, int threads)
    {
        var miner = new TemplateMiner();
        var watch = Stopwatch.StartNew();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            for (var i = t; i < input.Length; i += threads)
            {
                miner.Add(input[i]);
            }
        });
        return input.Length / watch.Elapsed.TotalSeconds;
    }

    private static void MeasureMemory(string[] corpus, int total)
    {
        var miner = new TemplateMiner();
        var random = new Random(42);
        var watch = Stopwatch.StartNew();
        Console.WriteLine("| lines | templates held | managed heap after GC (MB) | working set (MB) |");
        Console.WriteLine("|---|---|---|---|");
        for (var i = 1; i <= total; i++)
        {
            miner.Add(Generate(corpus[i % corpus.Length], random, i));
            if (i % (total / 10) == 0)
            {
                var heap = GC.GetTotalMemory(forceFullCollection: true) / (1024.0 * 1024);
                var workingSet = Environment.WorkingSet / (1024.0 * 1024);
                Console.WriteLine($"| {i:N0} | {miner.Count:N0} | {heap:0.0} | {workingSet:0.0} |");
            }
        }

        Console.WriteLine($"({total / watch.Elapsed.TotalSeconds:N0} lines/s including generation and the heap checks)");
    }

    /// <summary>The message with each digit replaced at random; every 50th line gets a never-seen word first.</summary>
    private static string Generate(string message, Random random, int serial)
    {
        var chars = message.ToCharArray();
        for (var c = 0; c < chars.Length; c++)
        {
            if (char.IsAsciiDigit(chars[c]))
            {
                chars[c] = (char)('0' + random.Next(10));
            }
        }

        var text = new string(chars);
        return serial % 50 == 0 ? $"novel{Letters(serial)} {text}" : text;
    }

    private static string Letters(int n)
    {
        var text = new System.Text.StringBuilder();
        do
        {
            text.Append((char)('a' + (n % 26)));
            n /= 26;
        }
        while (n > 0);
        return text.ToString();
    }

    private static double MedianOf(int runs, Func<double> measure)
    {
        measure(); // warm-up: JIT and tiered compilation
        var results = Enumerable.Range(0, runs).Select(_ => measure()).Order().ToArray();
        return results[results.Length / 2];
    }
}
