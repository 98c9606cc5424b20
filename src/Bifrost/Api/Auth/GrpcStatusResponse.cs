using System.Globalization;
using Grpc.Core;

namespace Bifrost.Api.Auth;

/// <summary>
/// Answers a gRPC call that middleware refuses before it reaches the service (authentication, scope, rate limit) the
/// way gRPC expects: HTTP 200 with a trailers-only status (<c>grpc-status</c>, <c>grpc-message</c>). A bare HTTP
/// 401/403/429 reaches a gRPC client as a transport error (429 even as UNAVAILABLE, which clients retry at once).
/// </summary>
public static class GrpcStatusResponse
{
    public static bool IsGrpc(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;
    }

    public static Task WriteAsync(HttpContext context, StatusCode status, string message)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.Response;
        if (response.HasStarted) return Task.CompletedTask;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = ((int)status).ToString(CultureInfo.InvariantCulture);
        // The gRPC spec percent-encodes grpc-message.
        response.Headers["grpc-message"] = Uri.EscapeDataString(message);
        return response.CompleteAsync();
    }
}
