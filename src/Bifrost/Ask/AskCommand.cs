using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Bifrost.Analysis;
using Bifrost.Api;
using Bifrost.Commands;
using Bifrost.Configuration;
using Bifrost.Knowledge;
using Bifrost.Runbooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bifrost.Ask;

/// <summary><c>bifrost ask "question"</c>: answered from the runbooks and past analyses in the database, with the LLM of <c>ai:</c> when configured.</summary>
internal static class AskCommand
{
    // Built on first use: ApiJson.Options must be complete (and read-only) before a copy is taken.
    private static readonly Lazy<JsonSerializerOptions> IndentedJson = new(() => new JsonSerializerOptions(ApiJson.Options) { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    public static Command Create()
    {
        var config = KnowledgeCli.Config();
        var url = KnowledgeCli.DatabaseUrl();
        var question = new Argument<string>("question") { Description = "what you want to know, e.g. \"what do we do when the pool is exhausted?\"" };
        var lang = new Option<string>("--lang") { Description = "answer language", DefaultValueFactory = _ => "en" };
        lang.AcceptOnlyFromAmong("en", "ko");
        var format = new Option<string>("--format") { Description = "text | json", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var command = new Command("ask", "Answer a question from the team's runbooks and past analyses (sources cited).") { question, lang, format, url, config };
        command.SetAction((parse, ct) => KafkaCli.GuardAsync(async () =>
        {
            var text = parse.GetValue(question)?.Trim() ?? "";
            if (text.Length is < 3 or > AskService.MaxQuestionChars)
            {
                await Console.Error.WriteLineAsync($"bifrost ask: the question must be 3 to {AskService.MaxQuestionChars} characters").ConfigureAwait(false);
                return 2;
            }

            var configuration = KnowledgeCli.Configuration(parse.GetValue(config)?.FullName);
            var ai = configuration.GetSection(AiOptions.Section).Get<AiOptions>() ?? new AiOptions();
            await using var db = await KnowledgeCli.OpenAsync(parse.GetValue(url) ?? configuration["database:url"], null, ct).ConfigureAwait(false);
            var service = new AskService(db.IsPostgres ? new PostgresRunbookStore(db) : new SqliteRunbookStore(db), new PastAnalysisSearch(db), new LogAnalyzer(), ai, TimeProvider.System, NullLogger<AskService>.Instance);
            var answer = await service.AnswerAsync(text, parse.GetValue(lang) ?? "en", ct).ConfigureAwait(false);
            await Write(answer, parse.GetValue(format) ?? "text", Console.Out).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    public static Task Write(AskAnswer answer, string format, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (format == "json")
        {
            return output.WriteLineAsync(JsonSerializer.Serialize(answer, IndentedJson.Value));
        }

        var lines = new List<string> { answer.Answer, "" };
        lines.AddRange(answer.Sections.Select((s, i) => $"[S{i + 1}] {s.Source}#{s.Anchor} — {s.Title} (score {s.Score:0.00})"));
        lines.AddRange(answer.Analyses.Select((a, i) => $"[A{i + 1}] analysis {a.AnalysisId} — {a.ServiceName}, {a.Category}, {PastAnalysisSearch.Format(a.ReceivedAt)}"));
        lines.Add($"({answer.Engine}{(answer.Model is null ? "" : " " + answer.Model)}{(answer.Fallback ? ", LLM failed: search answer" : "")})");
        return output.WriteLineAsync(string.Join("\n", lines));
    }
}
