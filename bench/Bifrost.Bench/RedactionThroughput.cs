using System.Diagnostics;
using System.Text.RegularExpressions;
using Bifrost.Analysis.Redaction;

namespace Bifrost.Bench;

/// <summary>
/// redaction-throughput [--lines N] [--runs R] [ROOT]: lines/s and MB/s of <see cref="Redactor.Redact"/> on the
/// raw Loghub-2k lines of all eight systems replayed to N lines (median of R runs), side by side with the
/// simplest useful redactor (one e-mail regex, what the skeleton had); then the time of one call on each
/// 10 MB adversarial line (long runs that make naive patterns backtrack, floods of what each pass anchors on) with
/// the characters the scanners examined per input character (the bound the hostile-input tests assert).
/// </summary>
internal static partial class RedactionThroughput
{
    public static int Run(string[] args)
    {
        var lines = Options.Int(ref args, "--lines", 500_000);
        var runs = Options.Int(ref args, "--runs", 5);
        var root = args.Length > 0 ? args[0] : LoghubCorpus.DefaultRoot;
        var corpus = LoghubCorpus.Systems.SelectMany(s => File.ReadAllLines(Path.Combine(root, s, $"{s}_2k.log"))).ToArray();
        var input = Enumerable.Range(0, lines).Select(i => corpus[i % corpus.Length]).ToArray();
        var megabytes = input.Sum(l => (long)l.Length) * 2 / (1024.0 * 1024);

        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {Options.LoadAverage()}");
        Console.WriteLine($"input: {corpus.Length:N0} raw Loghub-2k lines replayed to {lines:N0} ({megabytes:0} MB as UTF-16); {runs} runs; median");
        // False positives on real logs: which of the 16,000 lines (none holds a secret) redaction changes at all.
        var changed = corpus.Where(l => Redactor.Redact(l) != l).ToArray();
        Console.WriteLine($"lines changed by redaction: {changed.Length} of {corpus.Length:N0}");
        foreach (var line in changed.Take(10)) Console.WriteLine($"  {line} → {Redactor.Redact(line)}");
        var full = Median(runs, () => Measure(input, Redactor.Redact));
        var emailOnly = Median(runs, () => Measure(input, line => Email().Replace(line, "<email>")));
        Console.WriteLine("| Redactor | lines/s | MB/s |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine($"| Bifrost Redactor (all kinds) | {full:N0} | {full * megabytes / lines:N0} |");
        Console.WriteLine($"| baseline: one e-mail regex | {emailOnly:N0} | {emailOnly * megabytes / lines:N0} |");

        Console.WriteLine("\n| 10 MB adversarial line | one call (ms) | characters examined per character |");
        Console.WriteLine("|---|---:|---:|");
        foreach (var (name, text) in Adversarial())
        {
            Scan.Work = 0;
            var watch = Stopwatch.StartNew();
            Redactor.Redact(text);
            Console.WriteLine($"| {name} | {watch.Elapsed.TotalMilliseconds:N0} | {Scan.Work / (double)text.Length:0.0} |");
        }

        return 0;
    }

    private static IEnumerable<(string Name, string Text)> Adversarial()
    {
        yield return ("10M letters then '@'", new string('a', 10_000_000) + "@");
        yield return ("'a_' x 5M then password=x", string.Concat(Enumerable.Repeat("a_", 5_000_000)) + "password=x");
        yield return ("10M digits", new string('4', 10_000_000));
        yield return ("https:// then 10M letters", "https://" + new string('u', 10_000_000));
        yield return ("'eyJ' x 3.3M", string.Concat(Enumerable.Repeat("eyJ", 3_333_333)));
        yield return ("'key=' x 2.5M", string.Concat(Enumerable.Repeat("key=", 2_500_000)));
        yield return ("'-----BEGIN ' x 0.9M", string.Concat(Enumerable.Repeat("-----BEGIN ", 909_091)));
        yield return ("'a://b:c@' x 1.25M", string.Concat(Enumerable.Repeat("a://b:c@", 1_250_000)));
        yield return ("'password=' x 1.1M", string.Concat(Enumerable.Repeat("password=", 1_111_111)));
    }

    private static double Measure(string[] input, Func<string, string> redact)
    {
        var watch = Stopwatch.StartNew();
        var length = 0L;
        foreach (var line in input)
        {
            length += redact(line).Length;
        }

        GC.KeepAlive(length);
        return input.Length / watch.Elapsed.TotalSeconds;
    }

    private static double Median(int runs, Func<double> measure)
    {
        measure();
        var results = Enumerable.Range(0, runs).Select(_ => measure()).Order().ToArray();
        return results[results.Length / 2];
    }

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Email();
}
