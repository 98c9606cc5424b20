using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace Bifrost.Commands.Patterns;

/// <summary>Writes the <c>patterns</c> report as a table (for people) or JSON/CSV (for tools).</summary>
internal static class PatternReportWriter
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // templates are full of <*>; this is not HTML
    };

    public static void Write(PatternsFormat format, long lines, IReadOnlyList<PatternRow> rows, TextWriter output)
    {
        switch (format)
        {
            case PatternsFormat.Json:
                output.WriteLine(JsonSerializer.Serialize(new { lines, templates = rows }, Json));
                break;
            case PatternsFormat.Csv:
                output.WriteLine("id,count,share,template,example");
                foreach (var row in rows)
                {
                    output.WriteLine(string.Join(',', row.Id.ToString(CultureInfo.InvariantCulture), row.Count.ToString(CultureInfo.InvariantCulture),
                        row.Share.ToString("0.######", CultureInfo.InvariantCulture), Quote(row.Template), Quote(row.Example)));
                }

                break;
            default:
                WriteTable(lines, rows, output);
                break;
        }
    }

    private static void WriteTable(long lines, IReadOnlyList<PatternRow> rows, TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        // A file or pipe has no width (Spectre would assume 80); templates deserve more.
        console.Profile.Width = Console.IsOutputRedirected ? 200 : Math.Max(80, Console.WindowWidth);

        var table = new Table().AddColumns("Count", "Share", "Template", "Example");
        table.Columns[0].RightAligned();
        table.Columns[1].RightAligned();
        foreach (var row in rows)
        {
            table.AddRow(
                new Text(row.Count.ToString("N0", CultureInfo.InvariantCulture)),
                new Text(row.Share.ToString("P1", CultureInfo.InvariantCulture)),
                new Text(row.Template),
                new Text(row.Example));
        }

        console.Write(table);
        console.WriteLine($"{lines.ToString("N0", CultureInfo.InvariantCulture)} lines, {rows.Count.ToString("N0", CultureInfo.InvariantCulture)} templates");
    }

    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
