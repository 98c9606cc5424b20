using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Bifrost.Api.Auth;

/// <summary>
/// Authenticates <c>X-API-Key</c> (HTTP header, and gRPC metadata, which travels as a header) or, for browsers
/// opening a WebSocket, <c>?api_key=</c>. When keys are not required, callers without a key are let in as
/// "anonymous" with full scope; a key that is presented is still checked.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyValidator validator,
    AuthMode mode,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-API-Key";
    public const string QueryName = "api_key";
    public const string ScopeClaim = "bifrost:scope";
    public const string KeyIdClaim = "bifrost:key_id";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? key = Request.Headers[HeaderName];
        if (string.IsNullOrEmpty(key) && Request.Path.StartsWithSegments("/ws")) key = Request.Query[QueryName];

        if (string.IsNullOrEmpty(key))
        {
            if (mode.KeyRequired) return AuthenticateResult.NoResult();
            return mode.KeylessRefusal(Request) is { } refusal
                ? AuthenticateResult.Fail(refusal)
                : Success(ApiCaller.Anonymous, ApiCaller.Anonymous, Keys.ApiKeyScopes.Write);
        }

        var record = await validator.ValidateAsync(key, Context.RequestAborted).ConfigureAwait(false);
        return record is null
            ? AuthenticateResult.Fail("invalid or revoked API key")
            : Success(record.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), record.Name, record.Scope);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{HeaderName}\"";
        var result = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        var detail = result.Failure?.Message ?? $"an API key is required in the {HeaderName} header (create one with `bifrost keys create NAME`)";
        await WriteProblemAsync(StatusCodes.Status401Unauthorized, "Unauthorized", detail).ConfigureAwait(false);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return WriteProblemAsync(StatusCodes.Status403Forbidden, "Forbidden", "this API key's scope does not allow this operation (it needs scope 'write')");
    }

    private static AuthenticateResult Success(string keyId, string name, string scope)
    {
        var identity = new ClaimsIdentity(
            [new Claim(KeyIdClaim, keyId), new Claim(ClaimTypes.Name, name), new Claim(ScopeClaim, scope)],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    private async Task WriteProblemAsync(int status, string title, string detail)
    {
        // gRPC callers get a gRPC status (UNAUTHENTICATED, PERMISSION_DENIED) with the reason, not a bare HTTP status.
        if (GrpcStatusResponse.IsGrpc(Request))
        {
            await GrpcStatusResponse.WriteAsync(Context, status == StatusCodes.Status401Unauthorized ? global::Grpc.Core.StatusCode.Unauthenticated : global::Grpc.Core.StatusCode.PermissionDenied, detail).ConfigureAwait(false);
            return;
        }

        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        }).ConfigureAwait(false);
    }
}
