using System.CommandLine;
using System.Text.Json;
using Bifrost.Analysis;

namespace Bifrost.Commands;

/// <summary><c>bifrost analyze [FILE|-]</c>: analyse one excerpt with the built-in engine and print the report.</summary>
internal static class AnalyzeCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "log file to analyse, or - for stdin", Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => "-" };
        var engine = new Option<string?>("--engine") { Description = "builtin | llm | hybrid (default: ai.mode of --config, else builtin)" };
        var config = new Option<FileInfo?>("--config") { Description = "config.yaml with the ai: section (default: $BIFROST_CONFIG, then ./config.yaml)" };
        var command = new Command("analyze", "Analyse a log excerpt or file with the built-in engine.") { file, engine, config };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file) ?? "-";
            var text = path == "-" ? await Console.In.ReadToEndAsync(ct).ConfigureAwait(false) : await File.ReadAllTextAsync(path, ct).ConfigureAwait(false);
            var (chosen, configFile) = (parse.GetValue(engine), parse.GetValue(config)?.FullName);
            if (chosen is null ? configFile is not null : chosen != "builtin")
            {
                return await Bifrost.Llm.AnalyzerSelection.RunAsync(text, chosen, configFile, Console.Out, Console.Error, ct).ConfigureAwait(false);
            }

            return Run(text, Console.Out);
        });
        return command;
    }

    public static int Run(string text, TextWriter output)
    {
        var report = new LogAnalyzer().Analyze(new AnalysisInput(text));
        output.WriteLine(JsonSerializer.Serialize(report));
        return 0;
    }
}
