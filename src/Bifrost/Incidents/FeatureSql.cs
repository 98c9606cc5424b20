using System.Data.Common;
using Bifrost.Api.Keys;

namespace Bifrost.Incidents;

/// <summary>
/// What the incident and notification tables need from the two dialects: times are <c>timestamptz</c> in
/// PostgreSQL and unix milliseconds in SQLite (as in <c>analyses</c>); parameters are added the same way.
/// Connections come from <see cref="KeyDatabase"/>, the API's opener for <c>database.url</c>.
/// </summary>
internal static class FeatureSql
{
    public static object Time(KeyDatabase db, DateTimeOffset value) => db.IsPostgres ? value.UtcDateTime : value.ToUnixTimeMilliseconds();

    public static object? Time(KeyDatabase db, DateTimeOffset? value) => value is { } v ? Time(db, v) : null;

    public static DateTimeOffset ReadTime(KeyDatabase db, DbDataReader r, int i) => db.IsPostgres
        ? new DateTimeOffset(DateTime.SpecifyKind(r.GetFieldValue<DateTime>(i), DateTimeKind.Utc))
        : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(i));

    public static DateTimeOffset? ReadTimeOrNull(KeyDatabase db, DbDataReader r, int i) => r.IsDBNull(i) ? null : ReadTime(db, r, i);

    public static void Add(DbCommand command, string name, object? value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        command.Parameters.Add(p);
    }

    /// <summary><c>column IN (@p0, @p1, …)</c> over <paramref name="values"/> (both dialects; never empty: the caller checks).</summary>
    public static string In(DbCommand command, string column, IReadOnlyList<object> values, string prefix)
    {
        var names = new string[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            names[i] = $"@{prefix}{i}";
            Add(command, names[i], values[i]);
        }

        return $"{column} IN ({string.Join(", ", names)})";
    }

    public static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? tx, string sql, Action<DbCommand> parameters, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        parameters(command);
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
