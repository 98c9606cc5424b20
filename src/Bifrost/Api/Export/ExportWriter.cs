using System.Globalization;
using System.Text;
using System.Text.Json;
using Bifrost.Api.Analyses;
using Bifrost.Incidents;
using Bifrost.Storage;

namespace Bifrost.Api.Export;

public enum ExportFormat
{
    Csv,
    Jsonl,
}

/// <summary>
/// Writes analyses or incidents as CSV (RFC 4180, header row) or JSON Lines (one API view per line), page by page
/// through the stores' keyset cursors and flushed after each page: memory stays one page (500 rows) whatever the
/// size of the export. Shared by <c>GET …/export</c> and <c>bifrost export</c>. Log excerpts are not exported.
/// </summary>
public static class ExportWriter
{
    private const int Page = 500;

    private static readonly string[] AnalysisColumns =
    [
        "analysis_id", "request_id", "correlation_id", "log_id", "status", "received_at", "completed_at", "service_name", "environment",
        "priority", "source", "severity", "category", "confidence", "fingerprint", "summary", "root_cause", "recommendation", "model",
        "engine", "duration_seconds", "error",
    ];

    private static readonly string[] IncidentColumns =
    [
        "incident_id", "status", "severity", "service_name", "services", "multi_service", "environments", "category", "count", "first_seen",
        "last_seen", "muted_until", "resolved_at", "fingerprint", "summary", "recommendation", "latest_analysis_id", "url",
    ];

    public static bool TryParseFormat(string? value, out ExportFormat format)
    {
        format = value?.ToLowerInvariant() switch { "csv" => ExportFormat.Csv, "jsonl" or "ndjson" => ExportFormat.Jsonl, _ => (ExportFormat)(-1) };
        return Enum.IsDefined(format);
    }

    public static string ContentType(ExportFormat format) => format == ExportFormat.Csv ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8";

    /// <returns>The number of rows written.</returns>
    public static async Task<long> WriteAnalysesAsync(IAnalysisStore store, AnalysisQuery query, long? maxRows, ExportFormat format, Stream output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(query);
        await using var writer = Writer(output);
        if (format == ExportFormat.Csv)
        {
            await WriteCsvRowAsync(writer, AnalysisColumns).ConfigureAwait(false);
        }

        long written = 0;
        var cursor = query.Cursor;
        do
        {
            var page = await store.ListAsync(query with { Limit = Page, Cursor = cursor }, ct).ConfigureAwait(false);
            foreach (var a in page.Items)
            {
                if (written == maxRows)
                {
                    break;
                }

                await (format == ExportFormat.Csv
                    ? WriteCsvRowAsync(writer, AnalysisRow(a))
                    : writer.WriteLineAsync(JsonSerializer.Serialize(AnalysisView.From(a), ApiJson.Options))).ConfigureAwait(false);
                written++;
            }

            await writer.FlushAsync(ct).ConfigureAwait(false);
            cursor = page.NextCursor;
        }
        while (cursor is not null && written != maxRows);

        return written;
    }

    public static async Task<long> WriteIncidentsAsync(IncidentStore store, IncidentQuery query, DateTimeOffset now, string dashboardUrl, long? maxRows, ExportFormat format, Stream output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(query);
        await using var writer = Writer(output);
        if (format == ExportFormat.Csv)
        {
            await WriteCsvRowAsync(writer, IncidentColumns).ConfigureAwait(false);
        }

        long written = 0;
        var cursor = query.Cursor;
        do
        {
            var page = await store.ListAsync(query with { Limit = Page, Cursor = cursor, ById = true }, now, ct).ConfigureAwait(false);
            foreach (var incident in page.Items)
            {
                if (written == maxRows)
                {
                    break;
                }

                var view = IncidentView.From(incident, dashboardUrl);
                await (format == ExportFormat.Csv
                    ? WriteCsvRowAsync(writer, IncidentRow(view))
                    : writer.WriteLineAsync(JsonSerializer.Serialize(view, ApiJson.Options))).ConfigureAwait(false);
                written++;
            }

            await writer.FlushAsync(ct).ConfigureAwait(false);
            cursor = page.NextCursor;
        }
        while (cursor is not null && written != maxRows);

        return written;
    }

    private static StreamWriter Writer(Stream output) => new(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };

    private static string?[] AnalysisRow(StoredAnalysis a)
    {
        var r = a.Result;
        return
        [
            Number(a.Id), a.Request.RequestId, a.Request.CorrelationId, Number(a.Request.LogId), a.Status.ToString(), Time(a.Request.ReceivedAt),
            Time(a.CompletedAt), a.Request.ServiceName, a.Request.Environment, a.Request.Priority, a.Request.Source, r?.Severity, r?.Category,
            r?.Confidence.ToString("0.##", CultureInfo.InvariantCulture), r?.Fingerprint, r?.Summary, r?.RootCause, r?.Recommendation, r?.Model,
            r?.Engine, r?.DurationSeconds.ToString("0.###", CultureInfo.InvariantCulture), a.Error,
        ];
    }

    private static string?[] IncidentRow(IncidentView i) =>
    [
        Number(i.IncidentId), i.Status, i.Severity, i.ServiceName, string.Join(" ", i.Services), i.MultiService ? "true" : "false",
        string.Join(" ", i.Environments), i.Category, Number(i.Count), Time(i.FirstSeen), Time(i.LastSeen), Time(i.MutedUntil), Time(i.ResolvedAt),
        i.Fingerprint, i.Summary, i.Recommendation, Number(i.LatestAnalysisId), i.Url,
    ];

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string? Time(DateTimeOffset? value) => value?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static Task WriteCsvRowAsync(StreamWriter writer, string?[] cells)
    {
        var line = new StringBuilder();
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                line.Append(',');
            }

            line.Append(CsvCell(cells[i]));
        }

        return writer.WriteLineAsync(line.ToString());
    }

    /// <summary>
    /// RFC 4180 quoting, and the OWASP guard against formula injection: a cell that a spreadsheet would run as a
    /// formula (starts with = + - @, tab or CR) gets a leading apostrophe. Log-derived text is attacker-controlled.
    /// </summary>
    internal static string CsvCell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
