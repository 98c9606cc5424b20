using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bifrost.Notifications;

/// <summary>
/// Part of <c>/health/ready</c>: Degraded (still ready: analyses go on) when a channel has messages waiting after a
/// failed attempt or rejected one in the last day, naming the channel and its last error. Read from the outbox, so
/// it reports what any instance saw.
/// </summary>
internal sealed class NotificationHealthCheck(NotificationChannels channels, NotificationOutbox outbox, TimeProvider time) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (channels.All.Count == 0)
        {
            return HealthCheckResult.Healthy("no channels configured");
        }

        IReadOnlyList<ChannelBacklog> backlog;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            backlog = await outbox.BacklogAsync(time.GetUtcNow(), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Degraded($"outbox unreadable: {ex.GetType().Name}: {ex.Message}");
        }

        var troubled = backlog.Where(b => b.Retrying > 0 || b.Failed > 0).ToList();
        if (troubled.Count == 0)
        {
            return HealthCheckResult.Healthy($"{channels.All.Count} channel(s) delivering, {backlog.Sum(b => b.Pending)} waiting");
        }

        return HealthCheckResult.Degraded(string.Join("; ", troubled.Select(b =>
            $"{b.Channel}: {b.Retrying} failing and retried, {b.Failed} rejected in 24 h{(b.LastError is { } e ? $" (last error: {e})" : "")}")));
    }
}
