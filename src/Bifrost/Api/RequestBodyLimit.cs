using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Bifrost.Api;

/// <summary>
/// <c>api.max_request_bytes</c> for REST bodies, enforced here rather than by Kestrel so every client gets a 413
/// problem: on the HTTP/2 (h2c) port Kestrel reset an over-limit stream, which curl and most HTTP/2 clients report
/// as a framing error without the 413, and a body streamed without Content-Length that crossed the limit inside the
/// JSON reader answered 500. The body (at most the limit) is read here; an over-limit one is read to its end and
/// discarded (up to <see cref="DrainFactor"/> × the limit, past which the 413 is sent and Kestrel resets the stream), then
/// answered 413, so the client finishes sending and reads the answer. gRPC calls keep their own message-size limit
/// (RESOURCE_EXHAUSTED).
/// </summary>
internal sealed class RequestBodyLimit(RequestDelegate next, IOptions<ApiOptions> options)
{
    private const int DrainFactor = 8;

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (Auth.GrpcStatusResponse.IsGrpc(request) || context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody != true)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var limit = options.Value.MaxRequestBytes;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } kestrelLimit)
        {
            kestrelLimit.MaxRequestBodySize = null; // enforced below
        }

        if (request.ContentLength > limit)
        {
            await RefuseAsync(context, limit).ConfigureAwait(false);
            return;
        }

        var body = new MemoryStream((int)Math.Min(request.ContentLength ?? 4096, limit));
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            body.Write(chunk, 0, read);
            if (body.Length > limit)
            {
                await RefuseAsync(context, limit).ConfigureAwait(false);
                return;
            }
        }

        body.Position = 0;
        request.Body = body;
        await next(context).ConfigureAwait(false);
    }

    private static async Task RefuseAsync(HttpContext context, long limit)
    {
        // Read the rest of the upload first (within a bound): HTTP/2 clients that get an answer while still sending
        // stop short of their Content-Length, which Kestrel resets as a protocol error, and curl then reports the
        // reset instead of the 413 it received. Past the bound the answer goes out and the stream is reset.
        await DrainAsync(context, DrainFactor * Math.Max(limit, 1 << 20)).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status413PayloadTooLarge,
                Title = "Request body too large",
                Detail = $"the body exceeds the limit of {limit} bytes (api.max_request_bytes)",
            },
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads and discards the request body up to <paramref name="bound"/>. Whatever is left past it Kestrel ends after
    /// the answer: HTTP/1.1 closes the connection, HTTP/2 resets the stream.
    /// </summary>
    private static async Task DrainAsync(HttpContext context, long bound)
    {
        if (context.Request.ContentLength > bound) return;
        var chunk = new byte[16 * 1024];
        var drained = 0L;
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
            {
                drained += read;
                if (drained > bound) return;
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or BadHttpRequestException)
        {
            // The client went away or stalled below Kestrel's minimum data rate.
        }
    }
}
