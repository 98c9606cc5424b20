using System.Data.Common;

namespace Bifrost.Knowledge;

/// <summary>
/// One counter per kind of team knowledge in <c>knowledge_versions</c>, bumped in the same transaction as every
/// change. A serving instance compares the counters with what it has loaded (<see cref="KnowledgeRefresher"/>): a
/// one-row-per-kind read is all another instance's change costs it until something did change.
/// </summary>
public static class KnowledgeVersions
{
    public const string Feedback = "feedback";
    public const string Runbooks = "runbooks";

    public static async Task BumpAsync(DbConnection connection, DbTransaction? transaction, string kind, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "UPDATE knowledge_versions SET version = version + 1 WHERE name = @name";
        KnowledgeDatabase.Add(command, "@name", kind);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<IReadOnlyDictionary<string, long>> ReadAsync(KnowledgeDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, version FROM knowledge_versions";
        var versions = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            versions[reader.GetString(0)] = reader.GetInt64(1);
        }

        return versions;
    }
}
