using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Bifrost.Storage;

namespace Bifrost.Pipeline;

/// <summary>
/// In-process notifications of status changes (RECEIVED, PROCESSING, COMPLETED, FAILED), for WebSocket and
/// gRPC watchers. Publishing never blocks the pipeline: a slow subscriber loses its oldest events.
/// </summary>
public interface IAnalysisEvents
{
    void Publish(StoredAnalysis analysis);

    /// <summary>Every status change from now on until <paramref name="cancellationToken"/> is cancelled.</summary>
    IAsyncEnumerable<StoredAnalysis> SubscribeAsync(CancellationToken cancellationToken);
}

/// <summary>One bounded channel per subscriber.</summary>
public sealed class AnalysisEvents : IAnalysisEvents
{
    private const int SubscriberBuffer = 1024;
    private readonly Lock _gate = new();
    private Channel<StoredAnalysis>[] _subscribers = [];

    public void Publish(StoredAnalysis analysis)
    {
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            subscriber.Writer.TryWrite(analysis);
        }
    }

    public async IAsyncEnumerable<StoredAnalysis> SubscribeAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<StoredAnalysis>(new BoundedChannelOptions(SubscriberBuffer)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        lock (_gate)
        {
            _subscribers = [.. _subscribers, channel];
        }

        try
        {
            while (await channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (channel.Reader.TryRead(out var item))
                {
                    yield return item;
                }
            }
        }
        finally
        {
            lock (_gate)
            {
                _subscribers = [.. _subscribers.Where(s => s != channel)];
            }
        }
    }
}
