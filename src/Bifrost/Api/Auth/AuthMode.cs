using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Bifrost.Api.Auth;

/// <summary>
/// Decides whether requests need an API key: <c>api.auth</c> required/disabled, or auto — required as soon as
/// any bound address is reachable from outside the machine. Decided from the addresses the server actually
/// bound (so <c>--urls</c>, ASPNETCORE_URLS and Kestrel configuration are all honoured); on loopback, each
/// keyless request is still checked (<see cref="KeylessRefusal"/>).
/// </summary>
public sealed class AuthMode(IOptions<ApiOptions> options, IServer server)
{
    private bool? _required;

    public bool KeyRequired => _required ??= Decide(options.Value.Auth, server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []);

    /// <summary>
    /// Why a request without a key is refused, or null when it may go through as "anonymous". With
    /// <c>api.auth: auto</c> on loopback, listening on 127.0.0.1 is not enough: a web page can reach it through DNS
    /// rebinding (its own host name resolving to 127.0.0.1, so the Host header is foreign) or by opening a WebSocket
    /// (browsers send any page's Origin), and a sidecar or reverse proxy forwards other machines' requests from
    /// 127.0.0.1. So keyless access needs a loopback Host, a loopback Origin when there is one, a loopback peer and
    /// no forwarding headers (docs/security.md). <c>api.auth: disabled</c> is the operator's explicit choice and is not
    /// narrowed.
    /// </summary>
    public string? KeylessRefusal(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (KeyRequired) return "an API key is required";
        if (!IsAuto(options.Value.Auth)) return null;
        if (ForwardingHeaders.FirstOrDefault(h => request.Headers.ContainsKey(h)) is { } forwarded)
        {
            return $"requests forwarded by a proxy ({forwarded} header) need an API key";
        }

        if (!request.Host.HasValue || !IsLoopback(request.Host.Value))
        {
            return $"keyless access on loopback needs a loopback Host header (localhost, 127.0.0.1 or [::1]), not '{request.Host.Value}'";
        }

        if (request.Headers.Origin is { Count: > 0 } origin && !IsLoopbackOrigin(origin.ToString()))
        {
            return "keyless access on loopback is only for pages served from a loopback origin; send an API key";
        }

        var peer = request.HttpContext.Connection.RemoteIpAddress;
        return peer is null || IPAddress.IsLoopback(peer) ? null : "keyless access is only for loopback clients";
    }

    /// <summary>Headers a proxy adds: a request carrying one was sent by someone else, wherever the proxy runs.</summary>
    internal static readonly string[] ForwardingHeaders = ["Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Real-IP", "X-Original-URL", "Via"];

    private static bool IsAuto(string mode) => mode.Trim().ToLowerInvariant() is not ("required" or "disabled");

    /// <summary>An Origin such as <c>http://localhost:5173</c> or <c>https://127.0.0.1:8080</c> (any loopback port); "null" is not one.</summary>
    internal static bool IsLoopbackOrigin(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && uri.Scheme is "http" or "https"
        && IsLoopback(uri.Authority);

    public static bool Decide(string mode, IEnumerable<string> addresses) => mode.Trim().ToLowerInvariant() switch
    {
        "required" => true,
        "disabled" => false,
        _ => addresses.Any(a => !IsLoopback(a)),
    };

    public static bool IsLoopback(string address)
    {
        var host = address;
        var scheme = host.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0) host = host[(scheme + 3)..];
        var slash = host.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0) host = host[..slash];
        if (host.StartsWith('['))
        {
            host = host[1..host.IndexOf(']', StringComparison.Ordinal)];
        }
        else if (host.LastIndexOf(':') is var colon and > 0)
        {
            host = host[..colon];
        }

        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip);
    }
}
