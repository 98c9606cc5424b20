using System.Threading.Channels;
using Bifrost.Pipeline;
using Microsoft.Extensions.Options;

namespace Bifrost.Api.Analyses;

/// <summary>
/// Runs accepted REST requests (<c>POST /api/v1/analysis/request</c>) through the pipeline in the background:
/// a bounded queue (a full queue answers 503, it never grows without limit) drained by a few workers.
/// </summary>
public sealed partial class BackgroundAnalyses(ApiAnalysisRunner runner, IOptions<ApiOptions> options, ILogger<BackgroundAnalyses> logger)
    : BackgroundService
{
    private readonly Channel<AnalysisSubmission> _queue = Channel.CreateBounded<AnalysisSubmission>(
        new BoundedChannelOptions(Math.Max(1, options.Value.BackgroundQueue)) { FullMode = BoundedChannelFullMode.Wait });

    /// <summary>False when the queue is full: the caller should retry later.</summary>
    public bool TryEnqueue(AnalysisSubmission submission) => _queue.Writer.TryWrite(submission);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var workers = Math.Max(1, options.Value.BackgroundWorkers);
        return Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(() => WorkAsync(stoppingToken), stoppingToken)));
    }

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var submission in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await runner.ProcessAsync(submission, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogBackgroundFailed(logger, submission.RequestId, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Requests still queued stay RECEIVED in the store; re-submitting their request_id analyses them.
        }

    }

    [LoggerMessage(EventId = 5002, Level = LogLevel.Error, Message = "Background analysis of request {RequestId} failed")]
    private static partial void LogBackgroundFailed(ILogger logger, string requestId, Exception exception);
}
