using System.Net;
using System.Net.Sockets;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace Bifrost.Llm;

/// <summary>An LLM server answered with a non-success status; carries what retry decisions need.</summary>
internal sealed class LlmHttpException(HttpStatusCode status, TimeSpan? retryAfter, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;

    /// <summary>The server's Retry-After (429/503), honoured by the retry strategy within the deadline.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>408, 429 and 5xx are worth another try; other 4xx (bad key, unknown model) are not.</summary>
    public bool IsTransient => Status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)Status >= 500;
}

/// <summary>
/// Turns non-success responses into <see cref="LlmHttpException"/> before either provider SDK sees them, so both
/// providers fail the same way and the Retry-After header is not lost inside an SDK-specific exception.
/// </summary>
internal sealed class LlmHttpErrorHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var retryAfter = response.Headers.RetryAfter switch
            {
                { Delta: { } delta } => delta,
                { Date: { } date } => date - DateTimeOffset.UtcNow,
                _ => (TimeSpan?)null,
            };
            throw new LlmHttpException(response.StatusCode, retryAfter,
                $"LLM server answered {(int)response.StatusCode}: {(body.Length > 200 ? body[..200] : body)}");
        }
    }
}

internal static class LlmFailures
{
    /// <summary>The <see cref="LlmHttpException"/> behind <paramref name="exception"/>, however an SDK wrapped it.</summary>
    public static LlmHttpException? HttpFailure(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is LlmHttpException http)
            {
                return http;
            }
        }

        return null;
    }

    /// <summary>Worth retrying: transient status codes and transport errors (refused, reset, attempt timeout).</summary>
    public static bool IsTransient(Exception exception)
    {
        if (exception is BrokenCircuitException or RateLimiterRejectedException)
        {
            // An open breaker or a full queue is a decision, not a fault: retrying would only wait out the deadline
            // (and BrokenCircuitException wraps the last failure, which would otherwise look transient).
            return false;
        }

        return HttpFailure(exception) is { } http
            ? http.IsTransient
            : exception is HttpRequestException or IOException or TimeoutRejectedException
                || exception.InnerException is HttpRequestException or IOException or SocketException;
    }

    /// <summary>A short reason for logs and the fallback metric's <c>reason</c> tag.</summary>
    public static string Reason(Exception exception) => exception switch
    {
        BrokenCircuitException => "circuit_open",
        RateLimiterRejectedException => "queue_full",
        TimeoutRejectedException or OperationCanceledException or TimeoutException => "timeout",
        _ when HttpFailure(exception) is { } http => $"http_{(int)http.Status}",
        _ => "error",
    };
}
