using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Bifrost.Analysis.Redaction;
using Bifrost.Commands;
using Bifrost.Knowledge;

namespace Bifrost.Feedback;

/// <summary>
/// <c>bifrost feedback export</c>: every analysis with an active correction, as one JSON line in the shape of the
/// evaluation corpus (../shared/eval/real-errors-dev.jsonl: id, category, severity, difficulty, environment,
/// service_name, log_content, root_cause, source), so a team can measure the engine on its own logs.
/// </summary>
internal static class FeedbackCommand
{
    private static readonly JsonWriterOptions Writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var config = KnowledgeCli.Config();
        var url = KnowledgeCli.DatabaseUrl();
        var output = new Option<FileInfo?>("--output", "-o") { Description = "file to write (default: stdout)" };
        var export = new Command("export", "Corrected excerpts as JSONL in the evaluation corpus's shape (redacted).") { output, url, config };
        export.SetAction((parse, ct) => KafkaCli.GuardAsync(async () =>
        {
            await using var db = await KnowledgeCli.OpenAsync(parse.GetValue(url), parse.GetValue(config)?.FullName, ct).ConfigureAwait(false);
            var store = db.IsPostgres ? (IFeedbackStore)new PostgresFeedbackStore(db) : new SqliteFeedbackStore(db);
            if (parse.GetValue(output) is { } file)
            {
                await using var writer = new StreamWriter(file.FullName);
                var count = await ExportAsync(store, writer, ct).ConfigureAwait(false);
                await Console.Error.WriteLineAsync($"wrote {count} corrected excerpts to {file.FullName}").ConfigureAwait(false);
                return 0;
            }

            await ExportAsync(store, Console.Out, ct).ConfigureAwait(false);
            return 0;
        }));
        return new Command("feedback", "Feedback on analyses.") { export };
    }

    /// <summary>Writes one line per corrected analysis; returns how many.</summary>
    public static async Task<int> ExportAsync(IFeedbackStore store, TextWriter output, CancellationToken ct)
    {
        var count = 0;
        foreach (var excerpt in await store.CorrectedExcerptsAsync(ct).ConfigureAwait(false))
        {
            await output.WriteLineAsync(Line(excerpt)).ConfigureAwait(false);
            count++;
        }

        return count;
    }

    /// <summary>
    /// One row. category/severity: the correction's, else the analysis's as shown. difficulty: "hard" when the
    /// correction changed the category (the engine got it wrong), else "easy". root_cause: the resolution note, if any.
    /// The excerpt was redacted when stored; it is redacted again (idempotent) in case the rules grew since.
    /// </summary>
    public static string Line(CorrectedExcerpt excerpt)
    {
        ArgumentNullException.ThrowIfNull(excerpt);
        var c = excerpt.Correction;
        var category = c.Input.Category ?? c.Subject.Category;
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Writer))
        {
            w.WriteStartObject();
            w.WriteString("id", $"F{c.Id}");
            w.WriteString("category", category);
            w.WriteString("severity", c.Input.Severity ?? c.Subject.Severity);
            w.WriteString("difficulty", category == c.Subject.Category ? "easy" : "hard");
            w.WriteString("environment", excerpt.Environment);
            w.WriteString("service_name", c.Subject.ServiceName);
            w.WriteString("log_content", Redactor.Redact(excerpt.LogContent));
            w.WriteString("root_cause", c.Input.Note ?? "");
            w.WriteString("source", $"bifrost:analysis/{c.Subject.AnalysisId}#feedback/{c.Id}");
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
