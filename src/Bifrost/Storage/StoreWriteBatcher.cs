using System.Threading.Channels;

namespace Bifrost.Storage;

/// <summary>
/// Coalesces single writes from many concurrent callers into batched store calls ("group commit"): while one
/// batch is in the database the next one fills up, so under load each round trip carries hundreds of rows
/// and at low load a write goes out at once (no linger). A failed batch fails each of its callers, who retry.
/// </summary>
public sealed class StoreWriteBatcher : IAsyncDisposable
{
    private const int MaxBatch = 1024;

    /// <summary>
    /// Two batches per kind in the database at a time: while one is written the next fills up. Measured on the e2e
    /// bench (2 cores, warm service, kafka.max_in_flight 4096): 4 slots → ~67 rows per statement and more CPU per
    /// request in PostgreSQL and here; 1 slot → ~245 rows but the serial round trips leave cores idle (~26k/s);
    /// 2 slots → ~30–34k requests/s. At 1,000 requests/s a batch holds the few rows that arrived meanwhile.
    /// </summary>
    private const int Concurrency = 2;
    private readonly IAnalysisStore _store;
    private readonly Channel<CreateOp> _creates = Channel.CreateUnbounded<CreateOp>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<UpdateOp> _updates = Channel.CreateUnbounded<UpdateOp>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<SaveOp> _saves = Channel.CreateUnbounded<SaveOp>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _createLoop;
    private readonly Task _updateLoop;
    private readonly Task _saveLoop;

    public StoreWriteBatcher(IAnalysisStore store)
    {
        _store = store;
        _createLoop = Task.Run(() => RunAsync(_creates.Reader, ExecuteCreatesAsync));
        _updateLoop = Task.Run(() => RunAsync(_updates.Reader, ExecuteUpdatesAsync));
        _saveLoop = Task.Run(() => RunAsync(_saves.Reader, ExecuteSavesAsync));
    }

    public IAnalysisStore Store => _store;

    public Task<GetOrCreateResult> GetOrCreateAsync(NewAnalysis request, AnalysisStatus initialStatus, CancellationToken cancellationToken)
    {
        var op = new CreateOp(request, initialStatus);
        ObjectDisposedException.ThrowIf(!_creates.Writer.TryWrite(op), this);

        return op.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <remarks>Not cancellable once queued (no per-call token registration on the hot path): the caller's retry loop honours cancellation between attempts.</remarks>
    public async Task<GetOrCreateResult> SaveCompletedAsync(FinishedAnalysis analysis) => (await SaveCompletedManyAsync([analysis]).ConfigureAwait(false))[0];

    /// <summary>A caller's whole batch (one Kafka lane's records) travels as one item and shares the next round trip.</summary>
    public Task<GetOrCreateResult[]> SaveCompletedManyAsync(FinishedAnalysis[] analyses)
    {
        var op = new SaveOp(analyses);
        ObjectDisposedException.ThrowIf(!_saves.Writer.TryWrite(op), this);

        return op.Completion.Task;
    }

    public Task<StoredAnalysis> UpdateAsync(StatusUpdate update, CancellationToken cancellationToken)
    {
        var op = new UpdateOp(update);
        ObjectDisposedException.ThrowIf(!_updates.Writer.TryWrite(op), this);

        return op.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Up to <see cref="Concurrency"/> batches per kind in the database at once; a batch is taken only when a
    /// slot is free, so under load it holds everything that queued up meanwhile.
    /// </summary>
    private static async Task RunAsync<T>(ChannelReader<T> reader, Func<List<T>, Task> execute)
    {
        using var slots = new SemaphoreSlim(Concurrency, Concurrency);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            await slots.WaitAsync().ConfigureAwait(false);
            var batch = new List<T>(Math.Min(MaxBatch, 64));
            while (batch.Count < MaxBatch && reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            if (batch.Count == 0)
            {
                slots.Release();
                continue;
            }

            _ = ExecuteAndReleaseAsync(batch, execute, slots);
        }

        for (var i = 0; i < Concurrency; i++)
        {
            await slots.WaitAsync().ConfigureAwait(false);
        }
    }

    private static async Task ExecuteAndReleaseAsync<T>(List<T> batch, Func<List<T>, Task> execute, SemaphoreSlim slots)
    {
        try
        {
            await execute(batch).ConfigureAwait(false); // never throws: failures go to each caller
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task ExecuteCreatesAsync(List<CreateOp> batch)
    {
        // One store call per initial status (the pipeline uses PROCESSING, REST submissions RECEIVED).
        foreach (var group in batch.GroupBy(op => op.InitialStatus))
        {
            var ops = group.ToList();
            await CallStoreAsync("get_or_create", ops,
                () => _store.GetOrCreateManyAsync([.. ops.Select(op => op.Request)], group.Key, CancellationToken.None),
                results =>
                {
                    for (var i = 0; i < ops.Count; i++)
                    {
                        ops[i].Completion.TrySetResult(results[i]);
                    }
                },
                (op, ex) => op.Completion.TrySetException(ex)).ConfigureAwait(false);
        }
    }

    private Task ExecuteUpdatesAsync(List<UpdateOp> batch) => CallStoreAsync("update", batch,
        () => _store.UpdateManyAsync([.. batch.Select(op => op.Update)], CancellationToken.None),
        results =>
        {
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Completion.TrySetResult(results[i]);
            }
        },
        (op, ex) => op.Completion.TrySetException(ex));

    private Task ExecuteSavesAsync(List<SaveOp> batch) => CallStoreAsync("save_completed", batch,
        () => _store.SaveCompletedManyAsync([.. batch.SelectMany(op => op.Analyses)], CancellationToken.None),
        results =>
        {
            var next = 0;
            foreach (var op in batch)
            {
                var mine = new GetOrCreateResult[op.Analyses.Length];
                for (var i = 0; i < mine.Length; i++)
                {
                    mine[i] = results[next++];
                }

                op.Completion.TrySetResult(mine);
            }
        },
        (op, ex) => op.Completion.TrySetException(ex));

    /// <summary>
    /// One timed store call for a batch, then each caller's share of the results (outside the timer: callers'
    /// continuations may run inline); a failure goes to every caller in the batch, who retry.
    /// </summary>
    private async Task CallStoreAsync<TOp, TResult>(string operation, List<TOp> ops, Func<Task<TResult>> call, Action<TResult> complete, Action<TOp, Exception> fail)
    {
        TResult results;
        try
        {
            using var dbTimer = Telemetry.BifrostMetrics.TimeDb(operation, _store.Provider);
            results = await call().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            ops.ForEach(op => fail(op, ex));
            return;
        }

        complete(results);
    }

    public async ValueTask DisposeAsync()
    {
        _creates.Writer.TryComplete();
        _updates.Writer.TryComplete();
        _saves.Writer.TryComplete();
        await Task.WhenAll(_createLoop, _updateLoop, _saveLoop).ConfigureAwait(false);
    }

    private sealed record CreateOp(NewAnalysis Request, AnalysisStatus InitialStatus)
    {
        public TaskCompletionSource<GetOrCreateResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <remarks>
    /// Continuations run inline on the thread that completes the batch: each caller only publishes its result and
    /// returns, so a batch of hundreds finishes in one pass instead of hundreds of thread-pool hand-offs.
    /// </remarks>
    private sealed record SaveOp(FinishedAnalysis[] Analyses)
    {
        public TaskCompletionSource<GetOrCreateResult[]> Completion { get; } = new();
    }

    private sealed record UpdateOp(StatusUpdate Update)
    {
        public TaskCompletionSource<StoredAnalysis> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
