using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bifrost.Notifications.Formats;

/// <summary>
/// The generic webhook: a JSON body (<c>{"event":"incident.new","delivery_id":…,"incident":{…}}</c>, or
/// <c>"incident.digest"</c> with every incident of the digest) signed like the webhooks receivers already know
/// (GitHub, Stripe): <c>X-Bifrost-Signature: sha256=HEX</c> = HMAC-SHA256 with the channel's secret over
/// <c>"{X-Bifrost-Timestamp}.{body}"</c>, the unix-seconds timestamp included so a captured request cannot be
/// replayed later. <c>X-Bifrost-Delivery</c> stays the same across retries: a receiver that saw it already may ignore it.
/// </summary>
internal static class WebhookFormat
{
    public const string SignatureHeader = "X-Bifrost-Signature";
    public const string TimestampHeader = "X-Bifrost-Timestamp";
    public const string DeliveryHeader = "X-Bifrost-Delivery";
    public const string EventHeader = "X-Bifrost-Event";

    public static string Event(Delivery d) => d.IsDigest ? "incident.digest" : "incident." + d.Only.Kind;

    public static JsonObject Body(Delivery d)
    {
        var body = new JsonObject { ["event"] = Event(d), ["delivery_id"] = d.DeliveryId };
        if (d.IsDigest)
        {
            body["title"] = d.DigestTitle;
            body["incidents"] = new JsonArray([.. d.Messages.Select(Incident)]);
        }
        else
        {
            body["incident"] = Incident(d.Only);
        }

        return body;
    }

    private static JsonNode? Incident(NotificationMessage m) => JsonSerializer.SerializeToNode(m, NotificationJson.Default.NotificationMessage);

    /// <summary><c>sha256=</c> + lowercase hex HMAC-SHA256(secret, "{timestamp}.{body}").</summary>
    public static string Signature(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }
}
