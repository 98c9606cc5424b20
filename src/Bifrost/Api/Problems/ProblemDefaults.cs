using Microsoft.AspNetCore.Http.Features;

namespace Bifrost.Api.Problems;

/// <summary>
/// Fills what every problem response carries: a trace id, and a detail for the statuses the framework produces
/// without one (status code pages: 404 unknown route, 405, 413 rejected by Kestrel, 415).
/// </summary>
internal static class ProblemDefaults
{
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var http = context.HttpContext;
        problem.Extensions.TryAdd("trace_id", http.TraceIdentifier);
        problem.Detail ??= problem.Status switch
        {
            StatusCodes.Status404NotFound => $"nothing is served at {http.Request.Method} {http.Request.Path}",
            StatusCodes.Status405MethodNotAllowed => $"{http.Request.Method} is not allowed on {http.Request.Path}",
            StatusCodes.Status413PayloadTooLarge => $"the body exceeds the limit of {http.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize} bytes (api.max_request_bytes)",
            StatusCodes.Status415UnsupportedMediaType => $"expected Content-Type application/json, got '{http.Request.ContentType ?? "none"}'",
            _ => null,
        };
    }
}
