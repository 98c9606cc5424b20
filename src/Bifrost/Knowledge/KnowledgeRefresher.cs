using Bifrost.Feedback;
using Bifrost.Runbooks;
using Microsoft.Extensions.Options;

namespace Bifrost.Knowledge;

/// <summary>
/// Keeps this instance's copies of team knowledge (<see cref="CorrectionBook"/>, <see cref="RunbookLookup"/>) in step
/// with the database. Loads both on start; then every <c>knowledge.refresh_seconds</c> reads the two version counters
/// (one tiny query) and reloads only what another instance or the CLI changed. Changes made through this instance's
/// API call <see cref="ChangedAsync"/> and apply to the next analysis at once.
/// </summary>
public sealed partial class KnowledgeRefresher(
    KnowledgeDatabase database,
    IFeedbackStore feedback,
    CorrectionBook corrections,
    RunbookLookup runbooks,
    IOptions<KnowledgeOptions> options,
    ILogger<KnowledgeRefresher> logger) : BackgroundService
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, long> _loaded = new(StringComparer.Ordinal);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RefreshAsync(force: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The database may not be up yet: the analyses go on without team knowledge until the next poll loads it.
            LogRefreshFailed(ex.GetType().Name, ex.Message);
        }

        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromSeconds(Math.Max(0.1, options.Value.RefreshSeconds));
        using var timer = new PeriodicTimer(period);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await RefreshAsync(force: false, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRefreshFailed(ex.GetType().Name, ex.Message);
            }
        }
    }

    /// <summary>This instance changed <paramref name="kind"/> (<see cref="KnowledgeVersions"/>): reload it now.</summary>
    public Task ChangedAsync(string kind, CancellationToken cancellationToken) => RefreshAsync(force: false, cancellationToken, kind);

    private async Task RefreshAsync(bool force, CancellationToken cancellationToken, string? changed = null)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var versions = await KnowledgeVersions.ReadAsync(database, cancellationToken).ConfigureAwait(false);
            foreach (var (kind, version) in versions)
            {
                if (!force && kind != changed && _loaded.TryGetValue(kind, out var loaded) && loaded == version)
                {
                    continue;
                }

                if (kind == KnowledgeVersions.Feedback)
                {
                    await corrections.ReloadAsync(feedback, cancellationToken).ConfigureAwait(false);
                    LogReloaded(kind, version, corrections.Current.Fingerprints);
                }
                else if (kind == KnowledgeVersions.Runbooks)
                {
                    await runbooks.ReloadAsync(cancellationToken).ConfigureAwait(false);
                    LogReloaded(kind, version, runbooks.Sections);
                }

                _loaded[kind] = version;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    [LoggerMessage(EventId = 2601, Level = LogLevel.Information, Message = "Team knowledge reloaded: {Kind} version {Version} ({Count} fingerprints with feedback / runbook sections)")]
    private partial void LogReloaded(string kind, long version, long count);

    [LoggerMessage(EventId = 2602, Level = LogLevel.Warning, Message = "Team knowledge could not be refreshed (kept what was loaded): {ErrorType}: {Error}")]
    private partial void LogRefreshFailed(string errorType, string error);
}
