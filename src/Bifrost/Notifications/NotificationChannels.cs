using Bifrost.Analysis;
using Bifrost.Incidents;
using Microsoft.Extensions.Options;

namespace Bifrost.Notifications;

/// <summary>The enabled channels of <c>notify.channels</c>, and the routing of one incident transition onto them.</summary>
public sealed class NotificationChannels
{
    private readonly string _dashboardUrl;

    public NotificationChannels(IOptions<NotifyOptions> options)
    {
        var o = options.Value;
        _dashboardUrl = o.DashboardUrl;
        All = [.. o.Channels.Where(c => c.Value.Enabled).OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => new NotificationChannel(c.Key, c.Value, o.DashboardUrl))];
    }

    public IReadOnlyList<NotificationChannel> All { get; }

    public NotificationChannel? Find(string name) => All.FirstOrDefault(c => c.Name == name);

    /// <summary>
    /// One outbox entry per channel whose rules want this transition. The message is built once (redacted, clipped);
    /// during a channel's quiet hours it is due when they end, unless it is CRITICAL and the channel lets those through.
    /// </summary>
    public IReadOnlyList<OutboxEntry> Route(StoredIncident incident, string kind, DateTimeOffset now)
    {
        var wanting = All.Where(c => c.Wants(incident, kind)).ToList();
        if (wanting.Count == 0)
        {
            return [];
        }

        var message = NotificationMessage.From(incident, kind, _dashboardUrl);
        var critical = incident.Severity == nameof(Severity.CRITICAL);
        return [.. wanting.Select(c =>
        {
            var due = c.QuietHours is { } quiet && (!critical || quiet.IncludeCritical) && quiet.EndOfQuietPeriod(now) is { } end ? end : now;
            return new OutboxEntry(c.Name, kind, message, due);
        })];
    }
}
