using Bifrost.Pipeline;

namespace Bifrost.Api.Live;

/// <summary>
/// Fans status changes from the pipeline's <see cref="IAnalysisEvents"/> (Kafka, REST and gRPC analyses alike)
/// out to every connected WebSocket and Watch client. One subscription to the pipeline; per-client buffers.
/// </summary>
public sealed partial class LiveHub(IAnalysisEvents events, ILogger<LiveHub> logger) : BackgroundService
{
    private readonly Lock _gate = new();
    private LiveSubscriber[] _subscribers = [];
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Count => Volatile.Read(ref _subscribers).Length;

    /// <summary>Completes once the hub receives the pipeline's events (tests and /health/ready wait for it).</summary>
    public Task Listening => _listening.Task;

    public IDisposable Add(LiveSubscriber subscriber)
    {
        lock (_gate) _subscribers = [.. _subscribers, subscriber];
        return new Removal(this, subscriber);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var stream = events.SubscribeAsync(stoppingToken).GetAsyncEnumerator(stoppingToken);
            await using (stream.ConfigureAwait(false))
            {
                var next = stream.MoveNextAsync(); // subscribes before the first await completes
                _listening.TrySetResult();
                while (await next.ConfigureAwait(false))
                {
                    foreach (var subscriber in Volatile.Read(ref _subscribers)) subscriber.Offer(stream.Current);
                    next = stream.MoveNextAsync();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogHubFailed(logger, ex);
            throw;
        }
        finally
        {
            foreach (var subscriber in Volatile.Read(ref _subscribers)) subscriber.Complete();
        }
    }

    private void Remove(LiveSubscriber subscriber)
    {
        lock (_gate) _subscribers = [.. _subscribers.Where(s => s != subscriber)];
        subscriber.Complete();
    }

    private sealed class Removal(LiveHub hub, LiveSubscriber subscriber) : IDisposable
    {
        public void Dispose() => hub.Remove(subscriber);
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Error, Message = "Live event hub stopped: WebSocket and Watch clients get no more events")]
    private static partial void LogHubFailed(ILogger logger, Exception exception);
}
