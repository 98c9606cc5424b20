using System.Threading.Channels;
using Bifrost.Api.Analyses;
using Bifrost.Api.Auth;
using Bifrost.Api.Live;
using Bifrost.Api.V1;
using Bifrost.Storage;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Bifrost.Api.Grpc;

/// <summary>
/// <c>bifrost.v1.Analysis</c>: a thin layer over the same runner as REST (<see cref="ApiAnalysisRunner"/>)
/// and the same live hub as the WebSocket (<see cref="LiveHub"/>).
/// </summary>
[Authorize(Policy = Policies.Read)]
public sealed class AnalysisGrpcService(ApiAnalysisRunner runner, LiveHub hub, IAnalysisStore store, IOptions<ApiOptions> options, StreamAccess access, CallerRateLimiter rateLimiter)
    : V1.Analysis.AnalysisBase
{
    [Authorize(Policy = Policies.Write)]
    public override async Task<AnalysisRecord> Analyze(AnalyzeRequest request, ServerCallContext context)
    {
        var body = GrpcMapping.ToBody(request);
        var errors = body.Validate();
        if (errors.Count > 0) throw new RpcException(new Status(StatusCode.InvalidArgument, GrpcMapping.Describe(errors)));
        var result = await runner.ProcessAsync(body.ToSubmission(AnalysisSources.Grpc, ApiCaller.Of(context.GetHttpContext().User)), context.CancellationToken).ConfigureAwait(false);
        if (result.Conflict) throw new RpcException(new Status(StatusCode.AlreadyExists, GrpcMapping.ConflictMessage(result.Analysis)));
        return GrpcMapping.ToRecord(result.Analysis);
    }

    public override async Task Watch(WatchRequest request, IServerStreamWriter<AnalysisEvent> responseStream, ServerCallContext context)
    {
        var subscriber = new LiveSubscriber(options.Value.ClientBuffer);
        switch (request.ScopeCase)
        {
            case WatchRequest.ScopeOneofCase.AnalysisId:
                subscriber.SubscribeAnalysis(request.AnalysisId, on: true);
                break;
            case WatchRequest.ScopeOneofCase.ServiceName when request.ServiceName.Length > 0:
                subscriber.SubscribeService(request.ServiceName, on: true);
                break;
            case WatchRequest.ScopeOneofCase.All when request.All:
                subscriber.SubscribeAll(on: true);
                break;
            default:
                throw new RpcException(new Status(StatusCode.InvalidArgument, "scope: give one of analysis_id, service_name or all=true"));
        }

        using var registration = hub.Add(subscriber);
        if (request.ScopeCase == WatchRequest.ScopeOneofCase.AnalysisId
            && await store.GetAsync(request.AnalysisId, context.CancellationToken).ConfigureAwait(false) is { } current)
        {
            subscriber.Enqueue(current);
        }

        // Headers go out now so the caller knows the subscription is live before any event arrives.
        await context.WriteResponseHeadersAsync([]).ConfigureAwait(false);
        using var authority = access.Open(context.GetHttpContext().User, context.CancellationToken);
        try
        {
            while (await subscriber.ReadAsync(authority.Token).ConfigureAwait(false) is { } item)
            {
                await responseStream.WriteAsync(item.Analysis is { } a
                    ? new AnalysisEvent { Analysis = GrpcMapping.ToRecord(a) }
                    : new AnalysisEvent { Dropped = new EventsDropped { Count = item.Dropped } }).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (authority.Token.IsCancellationRequested)
        {
            // The caller went away, or its key was revoked (below).
        }

        ThrowIfRevoked(authority);
    }

    /// <summary>A key revoked while its stream was open ends the stream as REST answers: UNAUTHENTICATED.</summary>
    private static void ThrowIfRevoked(StreamAccess.Lease authority)
    {
        if (authority.Revoked) throw new RpcException(new Status(StatusCode.Unauthenticated, "API key revoked"));
    }

    [Authorize(Policy = Policies.Write)]
    public override async Task AnalyzeStream(IAsyncStreamReader<AnalyzeRequest> requestStream, IServerStreamWriter<AnalyzeStreamResult> responseStream, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        var caller = ApiCaller.Of(http.User);
        using var authority = access.Open(http.User, context.CancellationToken);
        var ct = authority.Token;
        var limited = 0;
        var maxInFlight = Math.Max(1, options.Value.StreamMaxInFlight);
        using var slots = new SemaphoreSlim(maxInFlight, maxInFlight);
        // Results are written by one task (a stream allows one write at a time); in-flight work bounds its size.
        var results = Channel.CreateBounded<AnalyzeStreamResult>(maxInFlight);
        var writer = Task.Run(async () =>
        {
            try
            {
                await foreach (var result in results.Reader.ReadAllAsync(ct).ConfigureAwait(false))
                {
                    await responseStream.WriteAsync(result, ct).ConfigureAwait(false);
                }
            }
            catch (Exception ex)
            {
                // Analyses waiting to hand over a result must not wait forever on a dead writer.
                results.Writer.TryComplete(ex);
                throw;
            }
        }, ct);

        var running = new List<Task>();
        try
        {
            // Not reading the next request until a slot is free is the flow control: the caller's sends
            // block once HTTP/2 windows fill.
            for (var messages = 1; ; messages++)
            {
                await slots.WaitAsync(ct).ConfigureAwait(false);
                if (!await requestStream.MoveNext(ct).ConfigureAwait(false))
                {
                    slots.Release();
                    break;
                }

                // Each message is an analysis, counted like a request: the call itself paid for the first.
                if (messages > 1 && !rateLimiter.TryAcquire(http, out limited))
                {
                    slots.Release();
                    break;
                }

                running.Add(RunOneAsync(requestStream.Current, caller, results.Writer, slots, ct));
                if (running.Count > 4 * maxInFlight) running.RemoveAll(t => t.IsCompleted);
            }

            await Task.WhenAll(running).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (authority.Revoked)
        {
            // Ended below.
        }
        finally
        {
            results.Writer.TryComplete();
        }

        try
        {
            await writer.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (authority.Revoked)
        {
            // Ended below.
        }

        ThrowIfRevoked(authority);
        if (limited > 0)
        {
            // Results of the analyses already accepted went out first; the caller retries the rest later.
            throw new RpcException(new Status(StatusCode.ResourceExhausted, rateLimiter.Describe(limited)), new Metadata { { "retry-after", limited.ToString(System.Globalization.CultureInfo.InvariantCulture) } });
        }
    }

    private async Task RunOneAsync(AnalyzeRequest request, string caller, ChannelWriter<AnalyzeStreamResult> results, SemaphoreSlim slots, CancellationToken ct)
    {
        try
        {
            var body = GrpcMapping.ToBody(request);
            var errors = body.Validate();
            AnalyzeStreamResult result;
            if (errors.Count > 0)
            {
                result = new AnalyzeStreamResult { ClientTag = request.ClientTag, Error = GrpcMapping.Describe(errors) };
            }
            else
            {
                var processed = await runner.ProcessAsync(body.ToSubmission(AnalysisSources.Grpc, caller), ct).ConfigureAwait(false);
                result = processed.Conflict
                    ? new AnalyzeStreamResult { ClientTag = request.ClientTag, Error = GrpcMapping.ConflictMessage(processed.Analysis) }
                    : new AnalyzeStreamResult { ClientTag = request.ClientTag, Analysis = GrpcMapping.ToRecord(processed.Analysis) };
            }

            await results.WriteAsync(result, ct).ConfigureAwait(false);
        }
        finally
        {
            slots.Release();
        }
    }
}
