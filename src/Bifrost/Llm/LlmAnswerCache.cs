namespace Bifrost.Llm;

/// <summary>
/// LLM answers by key (<see cref="LlmCacheKey"/>), least-recently-used eviction at <c>capacity</c>, expiry
/// <c>timeToLive</c> after the answer was fetched (<c>ai.cache_ttl_seconds</c>: a model's answer is not kept for ever,
/// and whatever steered one answer stops mattering), with single-flight: concurrent requests for a key that is being
/// fetched share that one call. A failed fetch is not cached, so the next request for the key tries again (the
/// circuit breaker keeps that cheap during an outage).
/// </summary>
internal sealed class LlmAnswerCache<T>(int capacity, TimeSpan timeToLive, TimeProvider time)
{
    private readonly int capacity = Math.Max(1, capacity);
    private readonly Dictionary<string, LinkedListNode<Entry>> map = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> recency = new();
    private readonly Lock gate = new();

    public int Count
    {
        get
        {
            lock (gate)
            {
                return map.Count;
            }
        }
    }

    /// <summary>
    /// The cached or in-flight value for <paramref name="key"/>, or a new fetch. <c>Shared</c> is true when this
    /// caller did not start the fetch (a cache hit, or joining a call already in flight).
    /// </summary>
    public (Task<T> Value, bool Shared) GetOrAdd(string key, Func<Task<T>> fetch)
    {
        Task<T> task;
        lock (gate)
        {
            if (map.TryGetValue(key, out var node))
            {
                if (node.Value.Expires > time.GetUtcNow() || !node.Value.Task.IsCompleted)
                {
                    recency.Remove(node);
                    recency.AddFirst(node);
                    return (node.Value.Task, true);
                }

                // Expired: fetched again below.
                recency.Remove(node);
                map.Remove(key);
            }

            // Started outside the lock below; stored first so concurrent callers find it.
            var source = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            task = source.Task;
            // Counted from the start of the fetch: a slow fetch only shortens its answer's life.
            var added = recency.AddFirst(new Entry(key, task, time.GetUtcNow() + timeToLive));
            map[key] = added;
            if (map.Count > capacity)
            {
                var oldest = recency.Last!;
                recency.RemoveLast();
                map.Remove(oldest.Value.Key);
            }

            _ = RunAsync(key, fetch, source);
        }

        return (task, false);
    }

    private async Task RunAsync(string key, Func<Task<T>> fetch, TaskCompletionSource<T> source)
    {
        await Task.Yield(); // never run the fetch under the lock
        try
        {
            source.SetResult(await fetch().ConfigureAwait(false));
        }
        catch (Exception ex)
        {
            Forget(key, source.Task);
            source.SetException(ex);
        }
    }

    private void Forget(string key, Task<T> task)
    {
        lock (gate)
        {
            if (map.TryGetValue(key, out var node) && node.Value.Task == task)
            {
                map.Remove(key);
                recency.Remove(node);
            }
        }
    }

    private sealed record Entry(string Key, Task<T> Task, DateTimeOffset Expires);
}
