using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Bifrost.Telemetry;

namespace Bifrost.Notifications;

/// <summary>
/// Notification instruments on the Bifrost meter (exported with the rest on /metrics):
/// <c>bifrost_notifications_sent_total{channel,kind}</c>, <c>bifrost_notifications_failures_total{channel,outcome}</c>
/// (retry | rejected), <c>bifrost_notifications_pending{channel}</c> and <c>bifrost_notifications_retrying{channel}</c>
/// (the outbox as last read, across all instances), <c>bifrost_incident_transitions_total{kind}</c>.
/// </summary>
public static class NotificationMetrics
{
    private static readonly Counter<long> Sent = BifrostMetrics.Meter.CreateCounter<long>(
        "bifrost.notifications.sent", "{notification}", "Notifications a channel accepted, by channel and kind (new, regressed, escalated, resolved, digest).");

    private static readonly Counter<long> Failures = BifrostMetrics.Meter.CreateCounter<long>(
        "bifrost.notifications.failures", "{attempt}", "Failed notification attempts, by channel and outcome (retry: will be retried; rejected: the channel refused it).");

    private static readonly Counter<long> Transitions = BifrostMetrics.Meter.CreateCounter<long>(
        "bifrost.incident.transitions", "{transition}", "Incident transitions handed to notification, by kind.");

    private static readonly ConcurrentDictionary<string, ChannelBacklog> Backlog = new(StringComparer.Ordinal);

    static NotificationMetrics()
    {
        BifrostMetrics.Meter.CreateObservableGauge("bifrost.notifications.pending",
            () => Backlog.Values.Select(b => new Measurement<long>(b.Pending, new KeyValuePair<string, object?>("channel", b.Channel))),
            "{notification}", "Notifications waiting in the outbox, by channel.");
        BifrostMetrics.Meter.CreateObservableGauge("bifrost.notifications.retrying",
            () => Backlog.Values.Select(b => new Measurement<long>(b.Retrying, new KeyValuePair<string, object?>("channel", b.Channel))),
            "{notification}", "Notifications waiting after a failed attempt, by channel (a dead endpoint shows here).");
    }

    public static void Delivered(string channel, string kind) =>
        Sent.Add(1, new KeyValuePair<string, object?>("channel", channel), new KeyValuePair<string, object?>("kind", kind));

    public static void Failed(string channel, bool rejected) =>
        Failures.Add(1, new KeyValuePair<string, object?>("channel", channel), new KeyValuePair<string, object?>("outcome", rejected ? "rejected" : "retry"));

    public static void Transition(string kind) => Transitions.Add(1, new KeyValuePair<string, object?>("kind", kind));

    /// <summary>The gauges' values: every configured channel (0 when nothing waits).</summary>
    public static void SetBacklog(IEnumerable<string> channels, IReadOnlyList<ChannelBacklog> backlog)
    {
        foreach (var channel in channels)
        {
            Backlog[channel] = backlog.FirstOrDefault(b => b.Channel == channel) ?? new ChannelBacklog(channel, 0, 0, 0, null, null);
        }
    }
}
