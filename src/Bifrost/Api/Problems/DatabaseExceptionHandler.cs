using System.Data.Common;
using Microsoft.AspNetCore.Diagnostics;

namespace Bifrost.Api.Problems;

/// <summary>
/// A database that does not answer is a temporary condition, not a server bug: 503 problem details with
/// Retry-After instead of a generic 500, so clients and load balancers back off and retry.
/// </summary>
public sealed partial class DatabaseExceptionHandler(IProblemDetailsService problems, ILogger<DatabaseExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not DbException && exception.InnerException is not DbException) return false;
        LogDatabaseUnavailable(logger, httpContext.Request.Path, exception.GetType().Name, exception.Message);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = "5";
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Database unavailable",
                Detail = "the analysis database did not answer; retry shortly",
            },
        }).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 5005, Level = LogLevel.Warning, Message = "Database unavailable while serving {Path}: {ErrorType}: {Error}")]
    private static partial void LogDatabaseUnavailable(ILogger logger, string path, string errorType, string error);
}
