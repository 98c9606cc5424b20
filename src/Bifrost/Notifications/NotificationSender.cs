using Bifrost.Incidents;
using Microsoft.Extensions.Options;

namespace Bifrost.Notifications;

/// <summary>
/// The background half of incidents and notifications, on every instance: one loop folds the analyses' incident deltas
/// into incidents and hands their transitions to the outbox,
/// one loop per channel delivers that channel's due messages. Nothing here is on the analysis path: a dead
/// endpoint only makes its own channel's rows wait (with backoff), and a database outage pauses these loops, not
/// the pipeline. Delivery is at least once: a row is marked sent after the channel said 2xx, so an instance that
/// dies between the two leaves it to be sent again when its lease runs out.
/// </summary>
public sealed partial class NotificationSender(
    IncidentStore incidents,
    NotificationOutbox outbox,
    NotificationChannels channels,
    IOptions<NotifyOptions> options,
    IHttpClientFactory httpClients,
    TimeProvider time,
    ILogger<NotificationSender> logger) : BackgroundService
{
    public const string HttpClientName = "bifrost-notify";

    private const int DispatchBatch = 100;
    private const int ClaimBatch = 200;
    private static readonly TimeSpan Retention = TimeSpan.FromDays(7);
    private readonly NotifyOptions _options = options.Value;
    private readonly Dictionary<string, SemaphoreSlim> _wake = channels.All.ToDictionary(c => c.Name, _ => new SemaphoreSlim(0), StringComparer.Ordinal);

    private TimeSpan Poll => TimeSpan.FromSeconds(_options.PollIntervalSeconds);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll([DispatchLoopAsync(stoppingToken), MaintenanceLoopAsync(stoppingToken), .. channels.All.Select(c => ChannelLoopAsync(c, stoppingToken))]);

    private async Task DispatchLoopAsync(CancellationToken stop)
    {
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            var taken = 0;
            try
            {
                await incidents.FoldAsync(stop).ConfigureAwait(false);
                taken = await outbox.DispatchAsync(Route, time.GetUtcNow(), DispatchBatch, stop).ConfigureAwait(false);
                failures = 0;
            }
            catch (Exception ex) when (!stop.IsCancellationRequested)
            {
                LogLoopFailed("dispatch", ex.GetType().Name, ex.Message);
                await WaitAsync(null, Backoff(++failures), stop).ConfigureAwait(false);
                continue;
            }

            if (taken > 0)
            {
                foreach (var wake in _wake.Values)
                {
                    wake.Release();
                }
            }

            if (taken < DispatchBatch)
            {
                await WaitAsync(null, Poll, stop).ConfigureAwait(false);
            }
        }
    }

    private IReadOnlyList<OutboxEntry> Route(StoredIncident incident, string kind)
    {
        NotificationMetrics.Transition(kind);
        return channels.Route(incident, kind, time.GetUtcNow());
    }

    private async Task ChannelLoopAsync(NotificationChannel channel, CancellationToken stop)
    {
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            IReadOnlyList<NotificationOutbox.ClaimedDelivery> claim;
            try
            {
                claim = await outbox.ClaimAsync(channel, _options.Lease, time.GetUtcNow(), ClaimBatch, stop).ConfigureAwait(false);
                failures = 0;
            }
            catch (Exception ex) when (!stop.IsCancellationRequested)
            {
                LogLoopFailed(channel.Name, ex.GetType().Name, ex.Message);
                await WaitAsync(null, Backoff(++failures), stop).ConfigureAwait(false);
                continue;
            }

            foreach (var claimed in claim)
            {
                // A client per delivery: the factory rotates its handlers (DNS changes of a webhook host are picked up).
                await DeliverAsync(channel, httpClients.CreateClient(HttpClientName), claimed, stop).ConfigureAwait(false);
            }

            if (claim.Count == 0)
            {
                await WaitAsync(_wake[channel.Name], Poll, stop).ConfigureAwait(false);
            }
        }
    }

    private async Task DeliverAsync(NotificationChannel channel, HttpClient http, NotificationOutbox.ClaimedDelivery claimed, CancellationToken stop)
    {
        var (delivery, rowIds) = (claimed.Delivery, claimed.RowIds);
        DeliveryOutcome outcome;
        try
        {
            outcome = await channel.SendAsync(http, delivery, time.GetUtcNow(), stop).ConfigureAwait(false);
        }
        catch (Exception ex) when (!stop.IsCancellationRequested)
        {
            outcome = new DeliveryOutcome(false, false, $"{ex.GetType().Name}: {ex.Message}");
        }
        catch (OperationCanceledException)
        {
            return; // shutting down: the lease runs out and the rows are due again
        }

        var now = time.GetUtcNow();
        try
        {
            if (outcome.Delivered)
            {
                await outbox.CompleteAsync(rowIds, now, CancellationToken.None).ConfigureAwait(false);
                NotificationMetrics.Delivered(channel.Name, delivery.IsDigest ? "digest" : delivery.Only.Kind);
                LogDelivered(channel.Name, delivery.IsDigest ? "digest" : delivery.Only.Kind, delivery.DeliveryId, delivery.Messages.Count);
                return;
            }

            // Attempts as counted at the claim: the first retry waits initial_seconds, then twice that, up to max_seconds.
            var wait = new Common.Backoff(TimeSpan.FromSeconds(_options.Retry.InitialSeconds), TimeSpan.FromSeconds(_options.Retry.MaxSeconds)).Delay(claimed.Attempts);
            if (outcome.RetryAfter is { } asked && asked > wait)
            {
                wait = TimeSpan.FromSeconds(Math.Min(asked.TotalSeconds, _options.Retry.MaxSeconds));
            }

            await outbox.FailAsync(rowIds, outcome.Error ?? "failed", now + wait, outcome.Permanent, now, CancellationToken.None).ConfigureAwait(false);
            NotificationMetrics.Failed(channel.Name, outcome.Permanent);
            if (outcome.Permanent)
            {
                LogRejected(channel.Name, delivery.DeliveryId, outcome.Error);
            }
            else
            {
                LogRetrying(channel.Name, delivery.DeliveryId, outcome.Error, wait.TotalSeconds);
            }
        }
        catch (Exception ex)
        {
            // The outcome is lost; the lease runs out and the rows are tried again (at least once, never never).
            LogLoopFailed(channel.Name, ex.GetType().Name, ex.Message);
        }
    }

    /// <summary>Keeps the backlog gauges current and prunes delivered rows older than a week.</summary>
    private async Task MaintenanceLoopAsync(CancellationToken stop)
    {
        var nextPrune = time.GetUtcNow();
        var names = channels.All.Select(c => c.Name).ToList();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var now = time.GetUtcNow();
                NotificationMetrics.SetBacklog(names, await outbox.BacklogAsync(now, stop).ConfigureAwait(false));
                if (now >= nextPrune)
                {
                    await outbox.PruneAsync(now - Retention, stop).ConfigureAwait(false);
                    nextPrune = now.AddHours(1);
                }
            }
            catch (Exception ex) when (!stop.IsCancellationRequested)
            {
                LogLoopFailed("maintenance", ex.GetType().Name, ex.Message);
            }

            await WaitAsync(null, TimeSpan.FromSeconds(Math.Max(1, _options.PollIntervalSeconds * 5)), stop).ConfigureAwait(false);
        }
    }

    private static TimeSpan Backoff(int failures) => new Common.Backoff(TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(30)).Delay(failures);

    /// <summary>Waits <paramref name="interval"/> (real time: due-ness is decided by the TimeProvider's clock at each look) or until woken.</summary>
    private static async Task WaitAsync(SemaphoreSlim? wake, TimeSpan interval, CancellationToken stop)
    {
        try
        {
            if (wake is null)
            {
                await Task.Delay(interval, stop).ConfigureAwait(false);
            }
            else
            {
                await wake.WaitAsync(interval, stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public override void Dispose()
    {
        foreach (var wake in _wake.Values)
        {
            wake.Dispose();
        }

        base.Dispose();
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Notification {Kind} {DeliveryId} delivered to {Channel} ({Messages} message(s))")]
    private partial void LogDelivered(string channel, string kind, long deliveryId, int messages);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Notification {DeliveryId} to {Channel} failed ({Error}); retrying in {RetrySeconds}s")]
    private partial void LogRetrying(string channel, long deliveryId, string? error, double retrySeconds);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Error, Message = "Notification {DeliveryId} rejected by {Channel} ({Error}); not retried: fix the channel's configuration")]
    private partial void LogRejected(string channel, long deliveryId, string? error);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "Notifications: the {Loop} loop failed ({ErrorType}: {Error}); trying again")]
    private partial void LogLoopFailed(string loop, string errorType, string error);
}
