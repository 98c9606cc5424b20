using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace Bifrost.Api.Problems;

/// <summary>
/// Turns request-reading failures (malformed JSON, wrong content type, body over the size limit) into problem
/// details that name the field and the reason, instead of a bare status code. Minimal APIs throw these because
/// <c>RouteHandlerOptions.ThrowOnBadRequest</c> is on. Their messages name .NET types and parameters
/// (<c>"AnalysisRequestBody body"</c>, <c>System.Int64</c>); <see cref="BindingErrors"/> says the same in the API's terms.
/// </summary>
public sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad) return false;

        var status = bad.StatusCode;
        var problem = new HttpValidationProblemDetails { Status = status };
        switch (status)
        {
            case StatusCodes.Status413PayloadTooLarge:
                problem.Title = "Request body too large";
                problem.Detail = $"the body exceeds the limit of {httpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize} bytes (api.max_request_bytes)";
                break;
            case StatusCodes.Status415UnsupportedMediaType:
                problem.Title = "Unsupported media type";
                problem.Detail = $"expected Content-Type application/json, got '{httpContext.Request.ContentType ?? "none"}'";
                break;
            default:
                problem.Title = "Invalid request";
                var json = FindJsonException(bad);
                if (json is not null)
                {
                    var field = string.IsNullOrEmpty(json.Path) || json.Path == "$" ? "$" : json.Path;
                    problem.Detail = $"the request body is not valid JSON for this endpoint at {field}";
                    problem.Errors[field] = [BindingErrors.Reason(json)];
                }
                else if (BindingErrors.Parameter(bad.Message) is { } parameter)
                {
                    problem.Detail = $"{parameter.Name}: {parameter.Reason}";
                    problem.Errors[parameter.Name] = [parameter.Reason];
                }
                else
                {
                    problem.Detail = BindingErrors.Plain(bad.Message);
                }

                break;
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception }).ConfigureAwait(false);
    }

    private static JsonException? FindJsonException(Exception exception)
    {
        for (var e = exception.InnerException; e is not null; e = e.InnerException)
        {
            if (e is JsonException json) return json;
        }

        return null;
    }
}
