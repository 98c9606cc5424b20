using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Bifrost.Api.Auth;

/// <summary>
/// Decides whether requests need an API key: <c>api.auth</c> required/disabled, or auto — required as soon as
/// any bound address is reachable from outside the machine. Decided from the addresses the server actually
/// bound (so <c>--urls</c>, ASPNETCORE_URLS and Kestrel configuration are all honoured).
/// </summary>
public sealed class AuthMode(IOptions<ApiOptions> options, IServer server)
{
    private bool? _required;

    public bool KeyRequired => _required ??= Decide(options.Value.Auth, server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []);

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
