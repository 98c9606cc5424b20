using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Bifrost.Incidents;
using Bifrost.Notifications.Formats;

namespace Bifrost.Notifications;

/// <summary>The result of one HTTP call to a channel.</summary>
/// <param name="Permanent">The channel rejected the message itself (a 4xx other than 408/429): retrying cannot help.</param>
/// <param name="RetryAfter">The channel asked to wait (Retry-After on 429/503).</param>
public sealed record DeliveryOutcome(bool Delivered, bool Permanent, string? Error, TimeSpan? RetryAfter = null, int? StatusCode = null)
{
    public static readonly DeliveryOutcome Ok = new(true, false, null);
}

/// <summary>One configured channel: which incident transitions it wants (its rules) and how a delivery is posted to it.</summary>
public sealed class NotificationChannel
{
    private readonly NotifyChannelOptions _options;
    private readonly string _dashboardUrl;
    private readonly int _minSeverity;
    private readonly HashSet<string> _events;

    public NotificationChannel(string name, NotifyChannelOptions options, string dashboardUrl)
    {
        Name = name;
        _options = options;
        _dashboardUrl = dashboardUrl;
        Type = options.Type.ToLowerInvariant();
        Url = new Uri(ChannelTypes.Url(options));
        _minSeverity = SeverityRank.Of(options.MinSeverity);
        _events = new HashSet<string>(options.Events.Count == 0 ? IncidentTransition.All : options.Events.Select(e => e.ToLowerInvariant()), StringComparer.Ordinal);
        RateLimit = ChannelTypes.RateLimit(options);
        RateWindow = TimeSpan.FromSeconds(options.RateLimit.PerSeconds);
        QuietHours = QuietHours.Parse(options.QuietHours);
    }

    public string Name { get; }

    /// <summary>slack | teams | pagerduty | webhook.</summary>
    public string Type { get; }

    public Uri Url { get; }

    /// <summary>Messages per <see cref="RateWindow"/>; 0 = unlimited.</summary>
    public int RateLimit { get; }

    public TimeSpan RateWindow { get; }

    internal QuietHours? QuietHours { get; }

    /// <summary>The channel's rules: transition, minimum severity, environments, services, categories.</summary>
    public bool Wants(StoredIncident incident, string kind) =>
        _events.Contains(kind)
        && SeverityRank.Of(incident.Severity) >= _minSeverity
        && (_options.Environments.Count == 0 || incident.Environments.Any(e => _options.Environments.Contains(e, StringComparer.OrdinalIgnoreCase)))
        && (_options.Services.Count == 0 || _options.Services.Contains(incident.ServiceName, StringComparer.OrdinalIgnoreCase))
        && (_options.Categories.Count == 0 || _options.Categories.Contains(incident.Category, StringComparer.OrdinalIgnoreCase));

    /// <summary>
    /// PagerDuty never digests: every event carries its incident's dedup_key, so a later resolve closes exactly the
    /// alert it triggered (a digest alert would have a key of its own that nothing ever resolves); PagerDuty groups
    /// alerts itself. Past its rate limit (unlimited unless configured) a PagerDuty message waits for the window.
    /// </summary>
    public bool Digests => Type != ChannelTypes.PagerDuty;

    /// <summary>The JSON body the channel documents for this delivery.</summary>
    public JsonObject Body(Delivery delivery) => Type switch
    {
        ChannelTypes.Slack => SlackFormat.Body(delivery, _dashboardUrl),
        ChannelTypes.Teams => TeamsFormat.Body(delivery, _dashboardUrl),
        ChannelTypes.PagerDuty => PagerDutyFormat.Body(delivery, _options, _dashboardUrl),
        _ => WebhookFormat.Body(delivery),
    };

    /// <summary>Posts the delivery; never throws for the channel's own failures (they come back as the outcome).</summary>
    public async Task<DeliveryOutcome> SendAsync(HttpClient http, Delivery delivery, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(Body(delivery).ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.UserAgent.ParseAdd("Bifrost-Notifications/1");
        if (Type == ChannelTypes.Webhook)
        {
            var timestamp = now.ToUnixTimeSeconds();
            request.Headers.Add(WebhookFormat.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add(WebhookFormat.SignatureHeader, WebhookFormat.Signature(_options.Secret, timestamp, body));
            request.Headers.Add(WebhookFormat.DeliveryHeader, delivery.DeliveryId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add(WebhookFormat.EventHeader, WebhookFormat.Event(delivery));
        }

        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return DeliveryOutcome.Ok with { StatusCode = status };
            }

            var detail = await ReadSomeAsync(response, cancellationToken).ConfigureAwait(false);
            var retryable = status is >= 500 or (int)HttpStatusCode.TooManyRequests or (int)HttpStatusCode.RequestTimeout;
            var retryAfter = response.Headers.RetryAfter is { } ra ? ra.Delta ?? (ra.Date is { } d ? d - now : null) : null;
            return new DeliveryOutcome(false, !retryable, $"HTTP {status}{(detail.Length > 0 ? ": " + detail : "")}", retryAfter, status);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new DeliveryOutcome(false, false, "timed out");
        }
        catch (HttpRequestException ex)
        {
            return new DeliveryOutcome(false, false, $"{ex.HttpRequestError}: {ex.Message}");
        }
    }

    /// <summary>The start of an error body, for the operator (channels say why in a line: "invalid_payload", "no_service").</summary>
    private static async Task<string> ReadSomeAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            text = text.ReplaceLineEndings(" ").Trim();
            return text.Length <= 200 ? text : text[..200] + "…";
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            return "";
        }
    }
}
