using System.CommandLine;
using Bifrost.Api.Analyses;
using Bifrost.Api.Export;
using Bifrost.Incidents;
using Bifrost.Storage;

namespace Bifrost.Commands;

/// <summary>
/// <c>bifrost export [analyses|incidents] --format csv|jsonl</c>: what <c>GET …/export</c> streams, with the same
/// filters, written to a file or stdout straight from the database (page by page: memory stays flat).
/// </summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var database = new Option<string?>("--database") { Description = "database URL (default: database.url as for serve)" };
        var config = new Option<FileInfo?>("--config") { Description = "config.yaml to read the database from" };
        var format = new Option<string>("--format") { Description = "csv or jsonl", DefaultValueFactory = _ => "csv" };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "file to write (default: stdout)" };
        var service = new Option<string?>("--service");
        var environment = new Option<string?>("--environment");
        var severity = new Option<string?>("--severity");
        var category = new Option<string?>("--category");
        var fingerprint = new Option<string?>("--fingerprint");
        var from = new Option<DateTimeOffset?>("--from") { Description = "analyses received (incidents last seen) at or after, ISO-8601" };
        var to = new Option<DateTimeOffset?>("--to") { Description = "… before" };
        var limit = new Option<long?>("--limit") { Description = "at most this many rows (default: all)" };
        var status = new Option<string?>("--status") { Description = "analyses: RECEIVED, PROCESSING, COMPLETED, FAILED; incidents: open, regressed, muted, resolved, active" };
        var text = new Option<string?>("--q") { Description = "analyses: text in summary, root cause, recommendation or log" };

        var analyses = new Command("analyses", "Analyses, newest first (the history's filters).")
        {
            format, output, service, environment, severity, category, status, from, to, text, fingerprint, limit, database, config,
        };
        analyses.SetAction((parse, ct) => KafkaCli.GuardAsync(async () =>
        {
            var (query, errors) = HistoryApi.Query(parse.GetValue(service), parse.GetValue(environment), parse.GetValue(severity), parse.GetValue(category),
                parse.GetValue(status), parse.GetValue(from), parse.GetValue(to), parse.GetValue(text), parse.GetValue(fingerprint), 500, null);
            if (!Validate(errors, parse.GetValue(format), parse.GetValue(limit), out var parsed))
            {
                return 2;
            }

            var url = parse.GetValue(database) ?? CliConfiguration.Load(parse.GetValue(config))["database:url"];
            var store = DatabaseUrl.CreateStore(url, poolSize: 2);
            try
            {
                return await WriteAsync(parse.GetValue(output), o => ExportWriter.WriteAnalysesAsync(store, query, parse.GetValue(limit), parsed, o, ct)).ConfigureAwait(false);
            }
            finally
            {
                await ((IAsyncDisposable)store).DisposeAsync().ConfigureAwait(false);
            }
        }));

        var incidents = new Command("incidents", "Incidents, oldest first.") { format, output, service, environment, severity, category, status, from, to, fingerprint, limit, database, config };
        incidents.SetAction((parse, ct) => KafkaCli.GuardAsync(async () =>
        {
            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            if (parse.GetValue(status) is { } s && !IncidentStatus.All.Append(IncidentStatus.Active).Contains(s.ToLowerInvariant())) errors["status"] = [$"not an incident status: '{s}'"];
            if (parse.GetValue(severity) is { } sev && !SeverityRank.IsValid(sev)) errors["severity"] = [$"must be LOW, MEDIUM, HIGH or CRITICAL, not '{sev}'"];
            if (!Validate(errors, parse.GetValue(format), parse.GetValue(limit), out var parsed))
            {
                return 2;
            }

            var context = IncidentsCommand.Open(parse.GetValue(database), parse.GetValue(config));
            var query = new IncidentQuery(parse.GetValue(status)?.ToLowerInvariant(), parse.GetValue(service), parse.GetValue(environment), parse.GetValue(severity)?.ToUpperInvariant(),
                parse.GetValue(category), parse.GetValue(fingerprint), parse.GetValue(from), parse.GetValue(to));
            return await WriteAsync(parse.GetValue(output), o => ExportWriter.WriteIncidentsAsync(context.Store, query, DateTimeOffset.UtcNow, context.DashboardUrl, parse.GetValue(limit), parsed, o, ct)).ConfigureAwait(false);
        }));

        return new Command("export", "Export analyses or incidents as CSV or JSON Lines.") { analyses, incidents };
    }

    private static bool Validate(Dictionary<string, string[]> errors, string? format, long? limit, out ExportFormat parsed)
    {
        if (!ExportWriter.TryParseFormat(format, out parsed)) errors["format"] = ["must be csv or jsonl"];
        if (limit is < 1) errors["limit"] = ["must be at least 1"];
        foreach (var (key, messages) in errors)
        {
            Console.Error.WriteLine($"error: --{key} {string.Join("; ", messages)}");
        }

        return errors.Count == 0;
    }

    private static async Task<int> WriteAsync(FileInfo? file, Func<Stream, Task<long>> write)
    {
        await using var stream = file is null ? Console.OpenStandardOutput() : file.Create();
        var rows = await write(stream).ConfigureAwait(false);
        if (file is not null)
        {
            await Console.Error.WriteLineAsync($"{rows} row(s) written to {file.FullName}").ConfigureAwait(false);
        }

        return 0;
    }
}
