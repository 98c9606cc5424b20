using System.Globalization;
using System.Text.RegularExpressions;
using Bifrost.Configuration;
using Bifrost.Incidents;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Bifrost.Notifications;

/// <summary>The <c>notify:</c> section of config.yaml: where incident transitions are sent, and how politely.</summary>
public sealed class NotifyOptions
{
    public const string Section = "notify";

    /// <summary>The dashboard's address as on-call opens it (e.g. https://bifrost.example.com/dashboard/); messages link to the incident there. Empty: no link.</summary>
    [ConfigurationKeyName("dashboard_url")] public string DashboardUrl { get; set; } = "";

    /// <summary>How often each instance looks for new transitions and due messages (an idle look is one indexed query).</summary>
    [ConfigurationKeyName("poll_interval_seconds")] public double PollIntervalSeconds { get; set; } = 1;

    /// <summary>One HTTP call to a channel; longer counts as a failed attempt.</summary>
    [ConfigurationKeyName("timeout_seconds")] public double TimeoutSeconds { get; set; } = 10;

    [ConfigurationKeyName("retry")] public NotifyRetryOptions Retry { get; set; } = new();

    /// <summary>Channels by name (the name is what rules, metrics, health and <c>bifrost notify test NAME</c> use).</summary>
    [ConfigurationKeyName("channels")] public Dictionary<string, NotifyChannelOptions> Channels { get; set; } = new(StringComparer.Ordinal);

    /// <summary>A claimed message is another instance's to retry after this long (the call must have ended by then).</summary>
    internal TimeSpan Lease => TimeSpan.FromSeconds(TimeoutSeconds * 2 + 5);
}

/// <summary>A failed delivery is retried after <c>initial_seconds</c>, doubling up to <c>max_seconds</c>, until it is delivered.</summary>
public sealed class NotifyRetryOptions
{
    [ConfigurationKeyName("initial_seconds")] public double InitialSeconds { get; set; } = 5;
    [ConfigurationKeyName("max_seconds")] public double MaxSeconds { get; set; } = 600;
}

public sealed class NotifyChannelOptions
{
    /// <summary>slack | teams | pagerduty | webhook.</summary>
    [ConfigurationKeyName("type")] public string Type { get; set; } = "";

    [ConfigurationKeyName("enabled")] public bool Enabled { get; set; } = true;

    /// <summary>Slack/Teams incoming webhook URL, the generic webhook's URL, or the PagerDuty Events API (default https://events.pagerduty.com/v2/enqueue).</summary>
    [ConfigurationKeyName("url")] public string Url { get; set; } = "";

    /// <summary>PagerDuty: the Events API v2 integration (routing) key.</summary>
    [ConfigurationKeyName("routing_key")] public string RoutingKey { get; set; } = "";

    /// <summary>Generic webhook: the HMAC-SHA256 key for the <c>X-Bifrost-Signature</c> header.</summary>
    [ConfigurationKeyName("secret")] public string Secret { get; set; } = "";

    /// <summary>Only incidents whose highest severity is at least this (LOW, MEDIUM, HIGH, CRITICAL).</summary>
    [ConfigurationKeyName("min_severity")] public string MinSeverity { get; set; } = "HIGH";

    /// <summary>Only these environments / services / categories; empty: all.</summary>
    [ConfigurationKeyName("environments")] public List<string> Environments { get; set; } = [];

    [ConfigurationKeyName("services")] public List<string> Services { get; set; } = [];

    [ConfigurationKeyName("categories")] public List<string> Categories { get; set; } = [];

    /// <summary>Which transitions: new, regressed, escalated, resolved; empty: all of them.</summary>
    [ConfigurationKeyName("events")] public List<string> Events { get; set; } = [];

    [ConfigurationKeyName("rate_limit")] public NotifyRateLimitOptions RateLimit { get; set; } = new();

    [ConfigurationKeyName("quiet_hours")] public QuietHoursOptions QuietHours { get; set; } = new();
}

/// <summary>At most <c>max</c> messages per <c>per_seconds</c>; beyond, the rest goes out as one digest ("and 14 more new incidents"). Unset: 10 per minute, PagerDuty unlimited (it groups alerts itself); 0: unlimited.</summary>
public sealed class NotifyRateLimitOptions
{
    [ConfigurationKeyName("max")] public int? Max { get; set; }
    [ConfigurationKeyName("per_seconds")] public double PerSeconds { get; set; } = 60;
}

/// <summary>From <c>from</c> to <c>to</c> (HH:mm, in <c>timezone</c>; may wrap midnight) messages wait, then go out (as a digest if many). CRITICAL ones still go at once unless <c>include_critical</c>.</summary>
public sealed class QuietHoursOptions
{
    [ConfigurationKeyName("from")] public string From { get; set; } = "";
    [ConfigurationKeyName("to")] public string To { get; set; } = "";
    [ConfigurationKeyName("timezone")] public string Timezone { get; set; } = "UTC";
    [ConfigurationKeyName("include_critical")] public bool IncludeCritical { get; set; }

    internal bool Configured => From.Length > 0 || To.Length > 0;
}

/// <summary>Channel types and their defaults.</summary>
public static class ChannelTypes
{
    public const string Slack = "slack";
    public const string Teams = "teams";
    public const string PagerDuty = "pagerduty";
    public const string Webhook = "webhook";
    public const string PagerDutyEventsUrl = "https://events.pagerduty.com/v2/enqueue";

    public static readonly string[] All = [Slack, Teams, PagerDuty, Webhook];

    internal static string Url(NotifyChannelOptions c) =>
        c.Url.Length == 0 && c.Type.Equals(PagerDuty, StringComparison.OrdinalIgnoreCase) ? PagerDutyEventsUrl : c.Url;

    internal static int RateLimit(NotifyChannelOptions c) =>
        c.RateLimit.Max ?? (c.Type.Equals(PagerDuty, StringComparison.OrdinalIgnoreCase) ? 0 : 10);
}

internal sealed partial class NotifyOptionsValidator : IValidateOptions<NotifyOptions>
{
    public ValidateOptionsResult Validate(string? name, NotifyOptions o)
    {
        var f = new List<string>();
        if (o.DashboardUrl.Length > 0 && !IsHttpUrl(o.DashboardUrl))
        {
            f.Add($"notify.dashboard_url must be an http(s) URL (got \"{o.DashboardUrl}\")");
        }

        Check.Positive(f, "notify.poll_interval_seconds", o.PollIntervalSeconds);
        Check.Positive(f, "notify.timeout_seconds", o.TimeoutSeconds);
        Check.Positive(f, "notify.retry.initial_seconds", o.Retry.InitialSeconds);
        Check.AtLeast(f, "notify.retry.max_seconds", o.Retry.MaxSeconds, o.Retry.InitialSeconds);
        foreach (var (channel, c) in o.Channels)
        {
            var key = $"notify.channels.{channel}";
            if (!ChannelName().IsMatch(channel))
            {
                f.Add($"{key}: a channel name may use letters, digits, '-' and '_' only");
            }

            if (!ChannelTypes.All.Contains(c.Type.ToLowerInvariant()))
            {
                f.Add($"{key}.type must be one of {string.Join(", ", ChannelTypes.All)} (got \"{c.Type}\")");
                continue;
            }

            if (!c.Enabled)
            {
                continue;
            }

            if (!IsHttpUrl(ChannelTypes.Url(c)))
            {
                f.Add($"{key}.url must be an http(s) URL (got \"{c.Url}\")");
            }

            if (c.Type.Equals(ChannelTypes.PagerDuty, StringComparison.OrdinalIgnoreCase) && string.IsNullOrWhiteSpace(c.RoutingKey))
            {
                f.Add($"{key}.routing_key must not be empty (the Events API v2 integration key)");
            }

            if (c.Type.Equals(ChannelTypes.Webhook, StringComparison.OrdinalIgnoreCase) && string.IsNullOrWhiteSpace(c.Secret))
            {
                f.Add($"{key}.secret must not be empty (receivers verify the X-Bifrost-Signature HMAC with it)");
            }

            if (!SeverityRank.IsValid(c.MinSeverity))
            {
                f.Add($"{key}.min_severity must be LOW, MEDIUM, HIGH or CRITICAL (got \"{c.MinSeverity}\")");
            }

            foreach (var e in c.Events.Where(e => !IncidentTransition.All.Contains(e.ToLowerInvariant())))
            {
                f.Add($"{key}.events: \"{e}\" is not one of {string.Join(", ", IncidentTransition.All)}");
            }

            Check.AtLeast(f, $"{key}.rate_limit.max", ChannelTypes.RateLimit(c), 0);
            Check.Positive(f, $"{key}.rate_limit.per_seconds", c.RateLimit.PerSeconds);
            if (c.QuietHours.Configured && QuietHours.Parse(c.QuietHours) is null)
            {
                f.Add($"{key}.quiet_hours needs from and to as HH:mm and a known timezone (got \"{c.QuietHours.From}\"–\"{c.QuietHours.To}\" {c.QuietHours.Timezone})");
            }
        }

        return Check.Result(f);
    }

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    [GeneratedRegex("^[A-Za-z0-9_-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ChannelName();
}

/// <summary>A channel's quiet hours, parsed: when the current quiet period (if any) ends.</summary>
internal sealed record QuietHours(TimeOnly From, TimeOnly To, TimeZoneInfo Zone, bool IncludeCritical)
{
    public static QuietHours? Parse(QuietHoursOptions o)
    {
        if (!o.Configured)
        {
            return null;
        }

        if (!TimeOnly.TryParseExact(o.From, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from)
            || !TimeOnly.TryParseExact(o.To, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var to) || from == to)
        {
            return null;
        }

        try
        {
            return new QuietHours(from, to, TimeZoneInfo.FindSystemTimeZoneById(o.Timezone), o.IncludeCritical);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }
    }

    /// <summary>The end of the quiet period <paramref name="now"/> falls in, or null when it is not quiet.</summary>
    public DateTimeOffset? EndOfQuietPeriod(DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, Zone);
        var time = TimeOnly.FromDateTime(local.DateTime);
        var quiet = From < To ? time >= From && time < To : time >= From || time < To;
        if (!quiet)
        {
            return null;
        }

        var endDate = DateOnly.FromDateTime(local.DateTime);
        if (time >= To)
        {
            endDate = endDate.AddDays(1); // wrapped past midnight: ends tomorrow
        }

        var endLocal = endDate.ToDateTime(To);
        return new DateTimeOffset(endLocal, Zone.GetUtcOffset(endLocal));
    }
}
