using Microsoft.Extensions.Options;
using Npgsql;

namespace Bifrost.Heimdall;

/// <summary>One row of Heimdall's <c>log_entries</c>, as release 2's consumer reads it.</summary>
public sealed record LogEntry(string LogContent, string? ServiceName, string? Environment, string? Severity, string? EventId);

/// <summary>The row, or why there is none: <c>LOG_NOT_FOUND</c> after the lookup timeout, <c>LOG_SOURCE_NOT_CONFIGURED</c>.</summary>
public sealed record LogLookup(LogEntry? Entry, string? ErrorCode = null, string? ErrorMessage = null)
{
    public const string NotFoundCode = "LOG_NOT_FOUND";
    public const string NotConfiguredCode = "LOG_SOURCE_NOT_CONFIGURED";
}

/// <summary>
/// Reads release 2's log text from Heimdall's own PostgreSQL (<c>heimdall.database_url</c>), read-only, through its own
/// small pool. Heimdall publishes the job inside the transaction that inserts the row, so "not found" is retried with
/// backoff for <c>heimdall.log_lookup_timeout_seconds</c> before it is an answer. An unreachable database is not an
/// answer at all: lookups wait for it, however long (as for Bifrost's own database), and one probe — not every waiting
/// lookup — knocks on its door meanwhile.
/// </summary>
public sealed partial class HeimdallLogSource : IAsyncDisposable
{
    /// <summary>The one statement, exactly as release 2's consumer reads the row.</summary>
    internal const string Query = "SELECT log_content, service_name, environment, severity, event_id FROM log_entries WHERE id = @id";

    /// <summary>Answers only when the table and its columns are there (what <see cref="Query"/> needs), finding no row.</summary>
    private const string Probe = "SELECT log_content, service_name, environment, severity, event_id FROM log_entries WHERE false";

    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxOutageBackoff = TimeSpan.FromSeconds(5);

    private readonly NpgsqlDataSource? _source;
    private readonly TimeSpan _lookupTimeout;
    private readonly TimeProvider _time;
    private readonly ILogger<HeimdallLogSource> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private Task? _outage;

    public HeimdallLogSource(IOptions<HeimdallReleaseOptions> options, TimeProvider time, ILogger<HeimdallLogSource> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;
        _time = time;
        _logger = logger;
        _lookupTimeout = TimeSpan.FromSeconds(o.LogLookupTimeoutSeconds);
        if (!string.IsNullOrWhiteSpace(o.DatabaseUrl))
        {
            _source = NpgsqlDataSource.Create(ConnectionString(o.DatabaseUrl, o.DatabasePoolSize));
        }
    }

    /// <summary><c>heimdall.database_url</c> is set: release-2 jobs can be answered.</summary>
    public bool IsConfigured => _source is not null;

    /// <summary>
    /// A PostgreSQL URL or Npgsql string → the reader's connection string: every transaction read-only (the server
    /// refuses writes, whatever the account may do), its own pool size, a name Heimdall's DBA can recognise.
    /// </summary>
    public static string ConnectionString(string url, int poolSize)
    {
        var (provider, connectionString) = Storage.DatabaseUrl.Parse(url, poolSize);
        if (provider != "postgresql")
        {
            throw new FormatException("Heimdall's database is PostgreSQL: expected postgresql://user:pass@host:port/db or Host=...");
        }

        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        builder.Options = string.IsNullOrEmpty(builder.Options) ? "-c default_transaction_read_only=on" : builder.Options + " -c default_transaction_read_only=on";
        if (!url.Contains("Application Name", StringComparison.OrdinalIgnoreCase) && !url.Contains("application_name", StringComparison.OrdinalIgnoreCase))
        {
            builder.ApplicationName = "bifrost-heimdall-reader";
        }

        return builder.ConnectionString;
    }

    /// <summary>One look: the row, or null when it is not (yet) there. Throws when the database cannot answer.</summary>
    public async Task<LogEntry?> FindAsync(long logId, CancellationToken cancellationToken)
    {
        var source = _source ?? throw new InvalidOperationException("heimdall.database_url is not configured");
        await using var command = source.CreateCommand(Query);
        command.Parameters.AddWithValue("id", logId);
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SingleRow, cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        string? S(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        return new LogEntry(S(0) ?? "", S(1), S(2), S(3), S(4));
    }

    /// <summary>
    /// The row of <paramref name="logId"/>: looked for until it appears or <c>heimdall.log_lookup_timeout_seconds</c> of
    /// reachable-database time have passed (time spent waiting out an outage does not count).
    /// </summary>
    public async Task<LogLookup> LookupAsync(long logId, CancellationToken cancellationToken)
    {
        if (_source is null)
        {
            return new LogLookup(null, LogLookup.NotConfiguredCode, "heimdall.database_url is not configured: release-2 jobs carry no log text and cannot be analysed");
        }

        var started = _time.GetTimestamp();
        var unavailable = TimeSpan.Zero;
        var misses = 0;
        var failures = 0;
        while (true)
        {
            LogEntry? entry;
            try
            {
                entry = await FindAsync(logId, cancellationToken).ConfigureAwait(false);
                failures = 0;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var waitStarted = _time.GetTimestamp();
                await WaitOutOutageAsync(ex, cancellationToken).ConfigureAwait(false);
                // Up again, yet the same statement might keep failing (an odd row, a server-side timeout): never spin.
                await Task.Delay(new Common.Backoff(FirstRetry, MaxOutageBackoff).Delay(++failures), _time, cancellationToken).ConfigureAwait(false);
                unavailable += _time.GetElapsedTime(waitStarted);
                continue;
            }

            if (entry is not null)
            {
                if (misses > 0)
                {
                    var waited = _time.GetElapsedTime(started).TotalSeconds;
                    LogFoundLate(logId, misses, waited);
                }

                return new LogLookup(entry);
            }

            misses++;
            var looked = _time.GetElapsedTime(started) - unavailable;
            if (looked >= _lookupTimeout)
            {
                LogNotFound(logId, misses, _lookupTimeout.TotalSeconds);
                return new LogLookup(null, LogLookup.NotFoundCode,
                    $"log_entries row {logId} not found in Heimdall's database after {_lookupTimeout.TotalSeconds:0.###} s ({misses} lookups; heimdall.log_lookup_timeout_seconds)");
            }

            var pause = new Common.Backoff(FirstRetry, MaxRetry).Delay(misses);
            await Task.Delay(pause < _lookupTimeout - looked ? pause : _lookupTimeout - looked, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Every lookup that hit the outage waits on the same probe loop, which ends when the database answers again.</summary>
    private Task WaitOutOutageAsync(Exception cause, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_outage is null || _outage.IsCompleted)
            {
                LogUnavailable(cause.GetType().Name, cause.Message);
                _outage = ProbeUntilAvailableAsync(_stopping.Token);
            }

            return _outage.WaitAsync(cancellationToken);
        }
    }

    private async Task ProbeUntilAvailableAsync(CancellationToken stopping)
    {
        var started = _time.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            await Task.Delay(new Common.Backoff(TimeSpan.FromMilliseconds(200), MaxOutageBackoff).Delay(attempt), _time, stopping).ConfigureAwait(false);
            try
            {
                await using var command = _source!.CreateCommand(Probe);
                await command.ExecuteNonQueryAsync(stopping).ConfigureAwait(false);
                var waited = _time.GetElapsedTime(started).TotalSeconds;
                LogAvailable(waited);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
            {
                if (attempt % 12 == 0)
                {
                    LogStillUnavailable(_time.GetElapsedTime(started).TotalSeconds, ex.GetType().Name, ex.Message);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _stopping.Dispose();
        if (_source is not null)
        {
            await _source.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 2301, Level = LogLevel.Warning, Message = "Heimdall's database is unavailable ({ErrorType}: {Error}); release-2 jobs wait for it")]
    private partial void LogUnavailable(string errorType, string error);

    [LoggerMessage(EventId = 2302, Level = LogLevel.Warning, Message = "Heimdall's database still unavailable after {Seconds:0}s: {ErrorType}: {Error}")]
    private partial void LogStillUnavailable(double seconds, string errorType, string error);

    [LoggerMessage(EventId = 2303, Level = LogLevel.Information, Message = "Heimdall's database is available again after {Seconds:0.#}s")]
    private partial void LogAvailable(double seconds);

    [LoggerMessage(EventId = 2304, Level = LogLevel.Debug, Message = "log_entries row {LogId} appeared after {Misses} lookups ({Seconds:0.###}s)")]
    private partial void LogFoundLate(long logId, int misses, double seconds);

    [LoggerMessage(EventId = 2305, Level = LogLevel.Warning, Message = "log_entries row {LogId} not found after {Misses} lookups in {TimeoutSeconds}s: the job fails with LOG_NOT_FOUND")]
    private partial void LogNotFound(long logId, int misses, double timeoutSeconds);
}
