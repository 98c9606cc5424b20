using System.Security.Claims;

namespace Bifrost.Api.Auth;

/// <summary>
/// The caller an API request is idempotent for: <c>key:ID</c> for an API key (by its id, so renaming or
/// re-creating a key with the same name never shares ids), <c>anonymous</c> for keyless access. Kafka requests
/// have no API caller ("": Heimdall is one caller).
/// </summary>
public static class ApiCaller
{
    public const string Anonymous = "anonymous";

    public static string Of(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var id = user.FindFirst(ApiKeyAuthenticationHandler.KeyIdClaim)?.Value;
        return id is null or Anonymous ? Anonymous : "key:" + id;
    }
}
