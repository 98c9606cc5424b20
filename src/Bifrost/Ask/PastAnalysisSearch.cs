using System.Globalization;
using Bifrost.Knowledge;

namespace Bifrost.Ask;

/// <summary>A past analysis that may answer a question (with the newest resolution note on it, if any).</summary>
public sealed record PastAnalysis(long Id, DateTimeOffset ReceivedAt, string ServiceName, string Category, string Severity, string Fingerprint, string Summary, string RootCause, string? Note, string? NoteAuthor);

/// <summary>
/// Finds recent analyses whose words match a question: the ones with resolution notes that match first (what the
/// team learned), then completed analyses of the window whose summary, root cause or category match — a bounded scan
/// newest first (the analyses table has no text index: inserting into one would slow every Kafka request).
/// </summary>
public sealed class PastAnalysisSearch(KnowledgeDatabase database)
{
    public const int MaxScanned = 200;

    public async Task<IReadOnlyList<PastAnalysis>> FindAsync(IReadOnlyList<string> words, string? category, DateTimeOffset since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(words);
        if (words.Count == 0 && category is null)
        {
            return [];
        }

        var like = database.IsPostgres ? "ILIKE" : "LIKE"; // SQLite's LIKE ignores ASCII case already
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        var matches = new List<string>();
        for (var i = 0; i < words.Count; i++)
        {
            KnowledgeDatabase.Add(command, $"@w{i}", "%" + words[i] + "%"); // letters and digits only: no LIKE escapes needed
            matches.Add($"a.summary {like} @w{i} OR a.root_cause {like} @w{i} OR f.note {like} @w{i}");
        }

        if (category is not null)
        {
            KnowledgeDatabase.Add(command, "@cat", category);
            matches.Add("a.category = @cat");
        }

        KnowledgeDatabase.Add(command, "@since", database.ToDb(since));
        command.CommandText =
            "SELECT a.id, a.received_at, a.service_name, a.category, a.severity, a.fingerprint, a.summary, a.root_cause, f.note, f.author " +
            "FROM analyses a LEFT JOIN (SELECT analysis_id, note, author, ROW_NUMBER() OVER (PARTITION BY analysis_id ORDER BY updated_at DESC, id DESC) AS n " +
            "FROM analysis_feedback WHERE withdrawn_at IS NULL AND note IS NOT NULL) f ON f.analysis_id = a.id AND f.n = 1 " +
            $"WHERE a.status = 'COMPLETED' AND a.received_at >= @since AND ({string.Join(" OR ", matches)}) " +
            $"ORDER BY (f.note IS NULL), a.id DESC LIMIT {MaxScanned}";
        var found = new List<PastAnalysis>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            found.Add(new PastAnalysis(reader.GetInt64(0), database.ReadTime(reader, 1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.GetString(6), reader.GetString(7), KnowledgeDatabase.OptionalString(reader, 8), KnowledgeDatabase.OptionalString(reader, 9)));
        }

        return found;
    }

    internal static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
