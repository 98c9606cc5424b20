using System.CommandLine;
using Bifrost.Analysis.Redaction;
using Bifrost.Analysis.Templates;
using Bifrost.Commands.Patterns;
using Spectre.Console;

namespace Bifrost.Commands;

/// <summary>
/// <c>bifrost patterns FILE...</c>: mines the templates of whole log files (streamed, flat memory) and reports
/// them by count; <c>--assign</c> instead prints, for every input line in order, the id of the template it
/// ended up in after all merges (how grouping accuracy is scored).
/// </summary>
internal static class PatternsCommand
{
    /// <summary>Inputs at least this large get a progress bar on stderr.</summary>
    public const long ProgressThresholdBytes = 32L << 20;

    private const int MaxExampleLength = 300;

    public static Command Create()
    {
        var files = new Argument<string[]>("files") { Description = "log files to mine (- for stdin)", Arity = ArgumentArity.OneOrMore };
        var format = new Option<PatternsFormat>("--format") { Description = "table, json or csv", DefaultValueFactory = _ => PatternsFormat.Table };
        var assign = new Option<bool>("--assign") { Description = "print the template id of every input line, in order, and nothing else" };
        var top = new Option<int?>("--top") { Description = "report only the N most frequent templates" };
        var capacity = new Option<int>("--max-templates") { Description = "templates kept in memory (least recently seen evicted beyond)", DefaultValueFactory = _ => new TemplateMinerOptions().MaxClusters };
        var command = new Command("patterns", "Mine log templates from files: template, count, share, example.") { files, format, assign, top, capacity };
        command.SetAction(parse =>
        {
            var paths = parse.GetValue(files) ?? [];
            var showProgress = !Console.IsErrorRedirected && paths.Where(File.Exists).Sum(p => new FileInfo(p).Length) >= ProgressThresholdBytes;
            var request = new PatternsRequest(paths, parse.GetValue(format), parse.GetValue(assign), parse.GetValue(top), parse.GetValue(capacity));
            // --assign writes millions of short lines: Console.Out flushes on every one of them, so buffer.
            using var stdout = new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false), 1 << 16) { AutoFlush = false };
            var code = Run(request, Console.In, stdout, Console.Error, showProgress ? Console.Error : null);
            stdout.Flush();
            return code;
        });
        return command;
    }

    /// <summary>Runs the command. <paramref name="progress"/>: where to draw a progress bar, or null for none.</summary>
    public static int Run(PatternsRequest request, TextReader stdin, TextWriter output, TextWriter error, TextWriter? progress)
    {
        var missing = request.Files.FirstOrDefault(f => f != "-" && !File.Exists(f));
        if (missing is not null)
        {
            error.WriteLine($"patterns: no such file: {missing}");
            return 2;
        }

        if (request.MaxTemplates < 1 || request.Top is < 1)
        {
            error.WriteLine("patterns: --max-templates and --top must be at least 1");
            return 2;
        }

        var miner = new TemplateMiner(new TemplateMinerOptions { MaxClusters = request.MaxTemplates });
        var resolver = new TemplateIdResolver();
        var examples = new Dictionary<long, string>();
        using var assignments = request.Assign ? new AssignmentLog() : null;
        long lines = 0;

        void Mine(Action<long> advance)
        {
            foreach (var file in request.Files)
            {
                using var stream = file == "-" ? null : new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, FileOptions.SequentialScan);
                using var reader = stream is null ? null : new StreamReader(stream);
                var lineReader = new BoundedLineReader(reader ?? stdin);
                var reported = 0L;
                while (lineReader.ReadLine() is { } line)
                {
                    var result = miner.Add(line);
                    resolver.Record(result);
                    assignments?.Append(result.ClusterId);
                    if (!request.Assign && result.Change == TemplateChange.Created)
                    {
                        RememberExample(examples, result.ClusterId, line, miner, request.MaxTemplates);
                    }

                    if (++lines % 65_536 == 0 && stream is not null)
                    {
                        advance(stream.Position - reported);
                        reported = stream.Position;
                    }
                }

                if (stream is not null)
                {
                    advance(stream.Length - reported);
                }
            }
        }

        if (progress is null)
        {
            Mine(_ => { });
        }
        else
        {
            // The caller only passes a writer when it is worth drawing on (a terminal, a large input): draw live.
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(progress), Interactive = InteractionSupport.Yes });
            var total = request.Files.Where(f => f != "-").Sum(f => new FileInfo(f).Length);
            console.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn()).Start(context =>
            {
                var task = context.AddTask("mining templates", maxValue: Math.Max(total, 1));
                Mine(bytes => task.Increment(bytes));
            });
        }

        if (assignments is not null)
        {
            foreach (var id in assignments.ReadAll())
            {
                output.WriteLine(resolver.Resolve(id));
            }

            return 0;
        }

        var rows = miner.Templates()
            .Take(request.Top ?? int.MaxValue)
            .Select(t => new PatternRow(t.Id, t.Template, t.Count, lines == 0 ? 0 : (double)t.Count / lines, examples.GetValueOrDefault(t.Id, string.Empty)))
            .ToList();
        PatternReportWriter.Write(request.Format, lines, rows, output);
        return 0;
    }

    /// <summary>Keeps the first line of each template as its example, redacted and cut short; forgets examples of
    /// evicted templates now and then, so memory stays bounded by the template capacity.</summary>
    private static void RememberExample(Dictionary<long, string> examples, long id, string line, TemplateMiner miner, int capacity)
    {
        if (examples.Count >= capacity * 2)
        {
            var live = miner.Templates().Select(t => t.Id).ToHashSet();
            foreach (var stale in examples.Keys.Where(k => !live.Contains(k)).ToList())
            {
                examples.Remove(stale);
            }
        }

        var example = Redactor.Redact(line.Length <= MaxExampleLength ? line : line[..MaxExampleLength]);
        examples[id] = example.Length <= MaxExampleLength ? example : example[..MaxExampleLength] + "…";
    }
}

/// <summary>What <c>bifrost patterns</c> was asked to do.</summary>
internal sealed record PatternsRequest(IReadOnlyList<string> Files, PatternsFormat Format = PatternsFormat.Table, bool Assign = false, int? Top = null, int MaxTemplates = 10_000);
