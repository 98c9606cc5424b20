using Bifrost.Heimdall;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Bifrost.Tests.Heimdall;

/// <summary>Release 2's log text, read from a real PostgreSQL holding Heimdall's log_entries.</summary>
public class HeimdallLogSourceTests
{
    private static HeimdallLogSource Source(string url, double timeoutSeconds = 30) => new(
        Options.Create(new HeimdallReleaseOptions { DatabaseUrl = url, LogLookupTimeoutSeconds = timeoutSeconds }), TimeProvider.System, NullLogger<HeimdallLogSource>.Instance);

    [Fact]
    public async Task Row_IsRead_NullServiceAndEnvironmentKeptNull()
    {
        await using var db = await HeimdallDatabase.CreateAsync();
        await db.InsertAsync(1025, "FATAL 주문 처리 실패\njava.lang.OutOfMemoryError: Java heap space", null, null, "FATAL");
        await using var source = Source(db.Url);

        var found = await source.LookupAsync(1025, default);

        Assert.Equal(("FATAL 주문 처리 실패\njava.lang.OutOfMemoryError: Java heap space", null, null, "FATAL"),
            (found.Entry!.LogContent, found.Entry.ServiceName, found.Entry.Environment, found.Entry.Severity));
        Assert.Null(found.ErrorCode);
    }

    [Fact]
    public async Task RowInsertedLate_IsWaitedFor()
    {
        await using var db = await HeimdallDatabase.CreateAsync();
        await using var source = Source(db.Url);
        var lookup = source.LookupAsync(77, default);
        await Task.Delay(1500);
        Assert.False(lookup.IsCompleted);

        await db.InsertAsync(77, "ERROR late row", "svc", "prod");

        var found = await lookup.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("late row", found.Entry!.LogContent[6..]);
    }

    [Fact]
    public async Task MissingRow_IsLogNotFound_AfterTheLookupTimeout()
    {
        await using var db = await HeimdallDatabase.CreateAsync();
        await using var source = Source(db.Url, timeoutSeconds: 1);
        var started = System.Diagnostics.Stopwatch.StartNew();

        var missing = await source.LookupAsync(404, default);

        Assert.Equal(LogLookup.NotFoundCode, missing.ErrorCode);
        Assert.Null(missing.Entry);
        Assert.Contains("404", missing.ErrorMessage, StringComparison.Ordinal);
        Assert.InRange(started.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8));
    }

    [Fact]
    public async Task UnreachableDatabase_IsWaitedOut_NeverAnAnswer()
    {
        // A port nothing listens on: "can't connect" must not become LOG_NOT_FOUND, however short the lookup timeout.
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        await using var source = Source($"postgresql://postgres@127.0.0.1:{port}/heimdall?connect_timeout=1", timeoutSeconds: 0.2);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(3));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => source.LookupAsync(1, cts.Token));
    }

    [Fact]
    public async Task DatabaseThatComesBack_IsReadOnceItAnswers()
    {
        // Heimdall's table is missing (a restore in progress, say): lookups wait, then read the row once it is there,
        // even though the lookup timeout is far shorter than the outage.
        await using var db = await HeimdallDatabase.CreateAsync();
        await using (var rename = NpgsqlDataSource.Create(Bifrost.Storage.DatabaseUrl.Parse(db.Url).ConnectionString))
        await using (var command = rename.CreateCommand("ALTER TABLE log_entries RENAME TO log_entries_restoring"))
        {
            await command.ExecuteNonQueryAsync();
        }

        await using var source = Source(db.Url, timeoutSeconds: 0.3);
        var lookup = source.LookupAsync(9, default);
        await Task.Delay(1500);
        Assert.False(lookup.IsCompleted);

        await using (var restore = NpgsqlDataSource.Create(Bifrost.Storage.DatabaseUrl.Parse(db.Url).ConnectionString))
        await using (var command = restore.CreateCommand(
            "INSERT INTO log_entries_restoring (id, event_id, timestamp, source, severity, log_content, log_hash) VALUES (9, 'e9', now(), 't', 'ERROR', 'ERROR after the restore', 'h'); " +
            "ALTER TABLE log_entries_restoring RENAME TO log_entries"))
        {
            await command.ExecuteNonQueryAsync();
        }
        Assert.Equal("ERROR after the restore", (await lookup.WaitAsync(TimeSpan.FromSeconds(15))).Entry?.LogContent);
    }

    [Fact]
    public async Task TheReaderCannotWrite()
    {
        await using var db = await HeimdallDatabase.CreateAsync();
        var connectionString = HeimdallLogSource.ConnectionString(db.Url, 2);
        await using var source = NpgsqlDataSource.Create(connectionString);
        await using var write = source.CreateCommand("DELETE FROM log_entries");

        var refused = await Assert.ThrowsAsync<PostgresException>(() => write.ExecuteNonQueryAsync());
        Assert.Equal("25006", refused.SqlState); // read_only_sql_transaction
    }

    [Fact]
    public async Task NotConfigured_AnswersAtOnce_WithItsOwnCode()
    {
        await using var source = Source("");
        Assert.False(source.IsConfigured);
        Assert.Equal(LogLookup.NotConfiguredCode, (await source.LookupAsync(1, default)).ErrorCode);
    }
}
