using Bifrost.Incidents;
using Bifrost.Notifications;
using Microsoft.Extensions.Options;

namespace Bifrost.Tests.Notifications;

/// <summary>The decisions around a message, without I/O: rules per channel, quiet hours, digest grouping, message content.</summary>
public sealed class NotificationRulesTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-11-26T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private static StoredIncident Incident(string severity = "HIGH", string service = "checkout", string environment = "prod", string category = "database.pool_exhausted", string? summary = "Pool exhausted.") =>
        new(42, "fp", service, IncidentStatus.Open, null, T0, T0, 3, severity, category, [environment], 9, summary, "1. Raise the pool size.\n2. Find the leak.", null, IncidentTransition.New, 1, []);

    private static NotificationChannels Channels(params (string Name, NotifyChannelOptions Options)[] channels)
    {
        var options = new NotifyOptions { DashboardUrl = "https://b.example/dashboard/" };
        foreach (var (name, o) in channels)
        {
            options.Channels[name] = o;
        }

        return new NotificationChannels(Options.Create(options));
    }

    [Fact]
    public void Rules_SeverityEnvironmentServiceCategoryAndEvents_EachFilter()
    {
        var channels = Channels(
            ("all", new NotifyChannelOptions { Type = "webhook", Url = "http://x/", Secret = "s", MinSeverity = "LOW" }),
            ("critical-prod", new NotifyChannelOptions { Type = "pagerduty", RoutingKey = "k", MinSeverity = "CRITICAL", Environments = ["prod"] }),
            ("orders-db", new NotifyChannelOptions { Type = "slack", Url = "http://x/", Services = ["orders"], Categories = ["database.pool_exhausted"] }),
            ("only-new", new NotifyChannelOptions { Type = "teams", Url = "http://x/", Events = ["new"] }),
            ("off", new NotifyChannelOptions { Type = "teams", Url = "http://x/", Enabled = false }));

        string[] Route(StoredIncident i, string kind = IncidentTransition.New) => [.. channels.Route(i, kind, T0).Select(e => e.Channel)];

        Assert.Equal(["all", "only-new"], Route(Incident()));
        Assert.Equal(["all", "critical-prod", "only-new"], Route(Incident("CRITICAL")));
        Assert.Equal(["all", "only-new"], Route(Incident("CRITICAL", environment: "staging")));
        Assert.Equal(["all", "only-new", "orders-db"], Route(Incident(service: "orders")));
        Assert.Equal(["all"], Route(Incident(service: "orders", category: "network.timeout"), IncidentTransition.Resolved));
        Assert.Equal(["all"], Route(Incident("LOW")));
    }

    [Fact]
    public void Message_IsRedactedThenClipped_AndCarriesTheFirstStepAndLink()
    {
        var summary = "Login failed for dba.oncall@example.com with password=hunter2 " + new string('x', 600);
        var message = NotificationMessage.From(Incident(summary: summary), IncidentTransition.New, "https://b.example/dashboard/");
        Assert.DoesNotContain("hunter2", message.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain("dba.oncall@example.com", message.Summary, StringComparison.Ordinal);
        Assert.Equal(NotificationMessage.MaxSummaryChars, message.Summary.Length);
        Assert.EndsWith("…", message.Summary, StringComparison.Ordinal);
        Assert.Equal("Raise the pool size.", message.Recommendation);
        Assert.Equal("https://b.example/dashboard/#/incidents?id=42", message.Url);
        Assert.Equal("bifrost-incident-42", message.DedupKey);
        Assert.Null(NotificationMessage.From(Incident(), IncidentTransition.New, "").Url);
    }

    [Fact]
    public void QuietHours_DeferToTheirEnd_ExceptCritical()
    {
        var channels = Channels(
            ("night", new NotifyChannelOptions { Type = "slack", Url = "http://x/", MinSeverity = "LOW", QuietHours = new QuietHoursOptions { From = "22:00", To = "07:00", Timezone = "Europe/Berlin" } }),
            ("night-all", new NotifyChannelOptions { Type = "slack", Url = "http://x/", MinSeverity = "LOW", QuietHours = new QuietHoursOptions { From = "22:00", To = "07:00", Timezone = "Europe/Berlin", IncludeCritical = true } }));
        var night = DateTimeOffset.Parse("2026-11-26T23:30:00Z", System.Globalization.CultureInfo.InvariantCulture); // 00:30 in Berlin (UTC+1)
        var morning = DateTimeOffset.Parse("2026-11-27T06:00:00Z", System.Globalization.CultureInfo.InvariantCulture); // 07:00 in Berlin

        var high = channels.Route(Incident(), IncidentTransition.New, night);
        Assert.All(high, e => Assert.Equal(morning, e.NextAttemptAt));
        var critical = channels.Route(Incident("CRITICAL"), IncidentTransition.New, night);
        Assert.Equal([night, morning], critical.Select(e => e.NextAttemptAt));
        Assert.All(channels.Route(Incident(), IncidentTransition.New, T0), e => Assert.Equal(T0, e.NextAttemptAt)); // 11:00 in Berlin

        var evening = DateTimeOffset.Parse("2026-11-26T21:30:00Z", System.Globalization.CultureInfo.InvariantCulture); // 22:30 in Berlin
        Assert.Equal(morning, channels.Route(Incident(), IncidentTransition.New, evening)[0].NextAttemptAt);
    }

    [Fact]
    public void Digest_BudgetGoesToSingles_TheRestTravelsAsOne_PagerDutyNeverDigestsButWaits()
    {
        var slack = new NotificationChannel("s", new NotifyChannelOptions { Type = "slack", Url = "http://x/" }, "");
        var pd = new NotificationChannel("p", new NotifyChannelOptions { Type = "pagerduty", RoutingKey = "k" }, "");
        List<OutboxRow> Rows(int n, string kind = IncidentTransition.New) =>
            [.. Enumerable.Range(1, n).Select(i => new OutboxRow(i, kind, ChannelFormatTests.Message(id: i, kind: kind), 0))];
        int[] Shape(List<NotificationOutbox.ClaimedDelivery> d) => [.. d.Select(x => x.Delivery.Messages.Count)];

        Assert.Equal([1, 1, 1], Shape(NotificationOutbox.Group(slack, Rows(3), 3)));
        Assert.Equal([1, 1, 8], Shape(NotificationOutbox.Group(slack, Rows(10), 3)));
        Assert.Equal([10], Shape(NotificationOutbox.Group(slack, Rows(10), 1)));
        Assert.Empty(NotificationOutbox.Group(slack, Rows(10), 0));
        Assert.Equal(Enumerable.Repeat(1, 10), Shape(NotificationOutbox.Group(slack, Rows(10), int.MaxValue)));
        Assert.Equal([1, 1, 1], Shape(NotificationOutbox.Group(pd, Rows(10), 3)));
        Assert.Equal([1, 1], Shape(NotificationOutbox.Group(pd, Rows(2, IncidentTransition.Resolved), 5)));
        Assert.Empty(NotificationOutbox.Group(pd, Rows(3), 0));
        Assert.Equal(Enumerable.Repeat(1, 10), Shape(NotificationOutbox.Group(pd, Rows(10), int.MaxValue)));
        var digest = NotificationOutbox.Group(slack, Rows(10), 3)[^1];
        Assert.Equal((3L, 1), (digest.Delivery.DeliveryId, digest.Attempts));
        Assert.Equal("and 3 more new incidents", digest.Delivery.DigestMore);
    }

    [Theory]
    [InlineData("slack", "", "notify.channels.x.url must be an http(s) URL")]
    [InlineData("pagerduty", "", "notify.channels.x.routing_key must not be empty")]
    [InlineData("webhook", "http://hooks.example/in", "notify.channels.x.secret must not be empty")]
    [InlineData("email", "http://x/", "notify.channels.x.type must be one of slack, teams, pagerduty, webhook")]
    public void Validation_NamesTheKey(string type, string url, string expected)
    {
        var options = new NotifyOptions();
        options.Channels["x"] = new NotifyChannelOptions { Type = type, Url = url };
        var result = new NotifyOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Validation_RulesAndQuietHours()
    {
        var options = new NotifyOptions { DashboardUrl = "not a url" };
        options.Channels["bad name!"] = new NotifyChannelOptions { Type = "slack", Url = "http://x/" };
        options.Channels["y"] = new NotifyChannelOptions
        {
            Type = "slack", Url = "http://x/", MinSeverity = "SEVERE", Events = ["new", "exploded"],
            QuietHours = new QuietHoursOptions { From = "25:00", To = "07:00" },
        };
        var failures = new NotifyOptionsValidator().Validate(null, options).Failures!.ToList();
        Assert.Contains(failures, f => f.StartsWith("notify.dashboard_url must be an http(s) URL", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("notify.channels.bad name!: a channel name", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("notify.channels.y.min_severity must be", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("notify.channels.y.events: \"exploded\"", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("notify.channels.y.quiet_hours needs", StringComparison.Ordinal));
        var good = new NotifyOptions();
        good.Channels["pd"] = new NotifyChannelOptions { Type = "PagerDuty", RoutingKey = "k" };
        Assert.True(new NotifyOptionsValidator().Validate(null, good).Succeeded);
    }
}
