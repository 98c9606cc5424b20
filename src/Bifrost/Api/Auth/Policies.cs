using Bifrost.Api.Keys;

namespace Bifrost.Api.Auth;

/// <summary>Authorization policies: any valid key may read; analysing needs scope <c>write</c>.</summary>
public static class Policies
{
    public const string Read = "bifrost-read";
    public const string Write = "bifrost-write";

    public static IServiceCollection AddBifrostAuth(this IServiceCollection services)
    {
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Read, p => p.RequireAuthenticatedUser())
            .AddPolicy(Write, p => p.RequireAuthenticatedUser().RequireClaim(ApiKeyAuthenticationHandler.ScopeClaim, ApiKeyScopes.Write));
        return services;
    }
}
