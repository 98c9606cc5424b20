using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Bifrost.Analysis;
using Bifrost.Analyzers;
using Bifrost.Pipeline;
using Bifrost.Storage;

namespace Bifrost.Commands;

/// <summary>What <c>bifrost analyze</c> was asked for, independent of which engine answers.</summary>
/// <param name="Format">markdown | json | text.</param>
/// <param name="Language">en | ko.</param>
/// <param name="Mode">auto (a long log with several distinct failures → incidents) | single | incidents.</param>
internal sealed record AnalyzeOptions(string Format = "markdown", string Language = "en", string? Service = null, string? Environment = null, string Mode = "auto");

/// <summary>
/// <c>bifrost analyze [FILE|-]</c>: analyse one excerpt, or find the incidents in a whole log file (grouped by
/// fingerprint, most important first). The handler takes the <see cref="IAnalyzer"/> to use, so other engines
/// (LLM, hybrid) plug in without changing it.
/// </summary>
internal static class AnalyzeCommand
{
    /// <summary>In auto mode, inputs with at least this many lines and two or more distinct failures are reported as incidents.</summary>
    public const int IncidentModeMinLines = 100;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
    };

    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "log file to analyse, or - for stdin", Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => "-" };
        var format = new Option<string>("--format") { Description = "output format", DefaultValueFactory = _ => "markdown" };
        format.AcceptOnlyFromAmong("markdown", "json", "text");
        var lang = new Option<string>("--lang") { Description = "explanation language", DefaultValueFactory = _ => "en" };
        lang.AcceptOnlyFromAmong("en", "ko");
        var service = new Option<string?>("--service") { Description = "service the log came from (named in the explanation)" };
        var environment = new Option<string?>("--environment") { Description = "environment (dev/test lower severity one step; production never does)" };
        var mode = new Option<string>("--mode") { Description = "auto | single | incidents", DefaultValueFactory = _ => "auto" };
        mode.AcceptOnlyFromAmong("auto", "single", "incidents");
        var engine = new Option<string?>("--engine") { Description = "builtin | llm | hybrid (default: ai.mode of --config, else builtin)" };
        engine.AcceptOnlyFromAmong("builtin", "llm", "hybrid");
        var config = new Option<FileInfo?>("--config") { Description = "config.yaml with the ai: section (default: $BIFROST_CONFIG, then ./config.yaml)" };
        var command = new Command("analyze", "Analyse a log excerpt, or find the incidents in a whole log file, with the built-in engine.")
        {
            file, format, lang, service, environment, mode, engine, config,
        };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file) ?? "-";
            string text;
            try
            {
                text = path == "-" ? await Console.In.ReadToEndAsync(ct).ConfigureAwait(false) : await File.ReadAllTextAsync(path, ct).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                await Console.Error.WriteLineAsync($"bifrost analyze: cannot read {path}: {ex.Message}").ConfigureAwait(false);
                return 1;
            }

            var options = new AnalyzeOptions(parse.GetValue(format) ?? "markdown", parse.GetValue(lang) ?? "en", parse.GetValue(service), parse.GetValue(environment), parse.GetValue(mode) ?? "auto");
            return await RunWithEngineAsync(text, Console.Out, Console.Error, options, parse.GetValue(engine), parse.GetValue(config)?.FullName, ct).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>
    /// <c>--engine</c> / <c>--config</c>: the built-in engine, unless an LLM mode is chosen by the flag or by <c>ai.mode</c>
    /// of the configuration, in which case the analyzer comes from the same registration <c>serve</c> uses.
    /// </summary>
    public static async Task<int> RunWithEngineAsync(string text, TextWriter output, TextWriter error, AnalyzeOptions options, string? engine, string? configFile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (engine is null ? configFile is null : engine == "builtin")
        {
            return await RunAsync(text, output, options, new BuiltinAnalyzer(new LogAnalyzer()), cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await using var selection = Bifrost.Llm.AnalyzerSelection.ForCommandLine(engine, configFile);
            return await RunAsync(text, output, options, selection.Analyzer, cancellationToken).ConfigureAwait(false);
        }
        catch (Bifrost.Configuration.ConfigurationException ex)
        {
            await error.WriteLineAsync($"invalid configuration: {ex.Message}").ConfigureAwait(false);
            return 2;
        }
    }

    /// <summary>Synchronous convenience over <see cref="RunAsync"/> with the built-in engine.</summary>
    public static int Run(string text, TextWriter output, string format = "markdown", string language = "en", string? service = null, string? environment = null, string mode = "auto") =>
        RunAsync(text, output, new AnalyzeOptions(format, language, service, environment, mode), new BuiltinAnalyzer(new LogAnalyzer()), CancellationToken.None).GetAwaiter().GetResult();

    public static async Task<int> RunAsync(string text, TextWriter output, AnalyzeOptions options, IAnalyzer analyzer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(analyzer);
        // The same boundary as every served channel: nothing raw reaches an engine, an LLM or the output.
        var admitted = SubmissionBoundary.Admit(new AnalysisSubmission(
            "cli", "cli", 0, text, options.Service ?? string.Empty, options.Environment ?? string.Empty, Source: AnalysisSources.Cli));
        text = admitted.LogContent;
        options = options with
        {
            Service = options.Service is null ? null : admitted.ServiceName,
            Environment = options.Environment is null ? null : admitted.Environment,
        };
        var incidents = FindIncidents(text, options);
        if (incidents is null)
        {
            var outcome = await analyzer.AnalyzeAsync(Request(text, options), cancellationToken).ConfigureAwait(false);
            WriteSingle(output, options.Format, outcome, Labels.For(options.Language));
            return 0;
        }

        var analysed = new List<(Incident Incident, AnalyzerOutcome Outcome)>(incidents.Count);
        foreach (var incident in incidents)
        {
            // the grouping is the built-in engine's; the explanation comes from whichever engine was chosen
            var outcome = analyzer is BuiltinAnalyzer
                ? new AnalyzerOutcome(incident.Report, "builtin", incident.Report.Model)
                : await analyzer.AnalyzeAsync(Request(incident.Excerpt, options), cancellationToken).ConfigureAwait(false);
            analysed.Add((incident, outcome));
        }

        WriteIncidents(output, options.Format, analysed, CountLines(text), Labels.For(options.Language));
        return 0;
    }

    private static IReadOnlyList<Incident>? FindIncidents(string text, AnalyzeOptions options)
    {
        if (options.Mode == "single" || (options.Mode == "auto" && CountLines(text) < IncidentModeMinLines))
        {
            return null;
        }

        var incidents = new LogAnalyzer().AnalyzeIncidents(text, options.Service, options.Environment, options.Language);
        return options.Mode == "incidents" || incidents.Count >= 2 ? incidents : null;
    }

    private static AnalyzerRequest Request(string text, AnalyzeOptions options) =>
        new(text, options.Service ?? string.Empty, options.Environment ?? string.Empty, Language: options.Language);

    private static int CountLines(string text)
    {
        var count = 1;
        foreach (var c in text.AsSpan())
        {
            if (c == '\n')
            {
                count++;
            }
        }

        return text.EndsWith('\n') ? count - 1 : count;
    }

    private static void WriteSingle(TextWriter output, string format, AnalyzerOutcome outcome, Labels l)
    {
        var r = outcome.Report;
        switch (format)
        {
            case "json":
                output.WriteLine(JsonSerializer.Serialize(ReportJson.From(r, outcome.Engine), Json));
                break;
            case "text":
                output.WriteLine($"{r.Severity} {r.Category} ({l.Confidence} {Pct(r.Confidence)}) [{r.Fingerprint}]");
                output.WriteLine(r.Summary);
                output.WriteLine();
                output.WriteLine(r.RootCause);
                output.WriteLine();
                output.WriteLine(r.Recommendation);
                WriteEvidence(output, r, "  ");
                break;
            default:
                output.WriteLine($"## {r.Severity} · `{r.Category}` · {l.Confidence} {Pct(r.Confidence)}");
                output.WriteLine();
                output.WriteLine($"**{l.Summary}.** {r.Summary}");
                output.WriteLine();
                output.WriteLine($"**{l.RootCause}.** {r.RootCause}");
                output.WriteLine();
                output.WriteLine($"**{l.Recommendation}.**");
                output.WriteLine();
                output.WriteLine(r.Recommendation);
                output.WriteLine();
                output.WriteLine($"**{l.Evidence}.**");
                output.WriteLine();
                output.WriteLine("```");
                WriteEvidence(output, r, string.Empty);
                output.WriteLine("```");
                output.WriteLine();
                output.WriteLine($"_{l.Fingerprint} `{r.Fingerprint}` · {r.Model}_");
                break;
        }
    }

    private static void WriteIncidents(TextWriter output, string format, List<(Incident Incident, AnalyzerOutcome Outcome)> incidents, int totalLines, Labels l)
    {
        if (format == "json")
        {
            var body = new IncidentsJson(totalLines, incidents.Select(x => IncidentJson.From(x.Incident, x.Outcome)).ToList());
            output.WriteLine(JsonSerializer.Serialize(body, Json));
            return;
        }

        var markdown = format != "text";
        var title = l.IncidentsTitle(incidents.Count, totalLines);
        output.WriteLine(markdown ? "# " + title : title);
        var n = 0;
        foreach (var (incident, outcome) in incidents)
        {
            var r = outcome.Report;
            n++;
            output.WriteLine();
            var head = $"{n}. {r.Severity} {r.Category} ×{incident.Count} — {l.First} {incident.FirstSeen}, {l.Last} {incident.LastSeen} ({l.Confidence} {Pct(r.Confidence)}) [{r.Fingerprint}]";
            output.WriteLine(markdown ? "## " + head : head);
            output.WriteLine();
            output.WriteLine(r.Summary);
            output.WriteLine();
            output.WriteLine(r.RootCause);
            output.WriteLine();
            output.WriteLine(r.Recommendation);
        }
    }

    private static void WriteEvidence(TextWriter output, AnalysisReport r, string indent)
    {
        foreach (var e in r.Evidence)
        {
            output.WriteLine($"{indent}{e.LineNumber,5}: {e.Text}");
        }
    }

    /// <summary>The headings and labels of the human formats, in the explanation's language (severity and category ids stay as ids).</summary>
    private sealed record Labels(string Confidence, string Summary, string RootCause, string Recommendation, string Evidence, string Fingerprint, string First, string Last, bool Korean)
    {
        private static readonly Labels En = new("confidence", "Summary", "Root cause", "Recommendation", "Evidence", "fingerprint", "first", "last", false);
        private static readonly Labels Ko = new("신뢰도", "요약", "근본 원인", "권장 조치", "근거", "지문", "처음", "마지막", true);

        public static Labels For(string? language) => string.Equals(language?.Trim(), "ko", StringComparison.OrdinalIgnoreCase) ? Ko : En;

        public string IncidentsTitle(int incidents, int lines) => Korean
            ? $"{lines}줄에서 인시던트 {incidents}건 (중요한 순)"
            : $"{incidents} incidents in {lines} lines (most important first)";
    }

    private static string Pct(double confidence) => confidence.ToString("0.00", CultureInfo.InvariantCulture);

    internal sealed record EvidenceJson(int Line, string Text);

    internal sealed record ReportJson(string Summary, string RootCause, string Recommendation, string Severity, double Confidence, string Category, string Fingerprint, IReadOnlyList<EvidenceJson> Evidence, string Model, string Engine)
    {
        public static ReportJson From(AnalysisReport r, string engine) =>
            new(r.Summary, r.RootCause, r.Recommendation, r.Severity.ToString(), r.Confidence, r.Category, r.Fingerprint, r.Evidence.Select(e => new EvidenceJson(e.LineNumber, e.Text)).ToList(), r.Model, engine);
    }

    internal sealed record IncidentJson(int Count, string FirstSeen, string LastSeen, int FirstLine, int LastLine, string Severity, string Category, double Confidence, string Fingerprint, string Summary, string RootCause, string Recommendation, IReadOnlyList<EvidenceJson> Evidence)
    {
        public static IncidentJson From(Incident i, AnalyzerOutcome o) =>
            new(i.Count, i.FirstSeen, i.LastSeen, i.FirstLine, i.LastLine, o.Report.Severity.ToString(), o.Report.Category, o.Report.Confidence, o.Report.Fingerprint, o.Report.Summary, o.Report.RootCause, o.Report.Recommendation, o.Report.Evidence.Select(e => new EvidenceJson(e.LineNumber, e.Text)).ToList());
    }

    internal sealed record IncidentsJson(int TotalLines, IReadOnlyList<IncidentJson> Incidents);
}
