using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Bifrost.Analyzers;
using Bifrost.Common;
using Bifrost.Configuration;
using Bifrost.Storage;
using Microsoft.Extensions.Options;

namespace Bifrost.Pipeline;

/// <summary>
/// "Process one request", shared by every channel: admit (<see cref="SubmissionBoundary"/>: every text redacted
/// before anything else happens) → store (RECEIVED → PROCESSING) → analyse through <see cref="IAnalyzer"/> with
/// deadline and retries → enrich (<see cref="IAnalysisEnricher"/>: team corrections, cited runbooks) → store
/// COMPLETED or FAILED → notify.
/// Storage failures are retried forever with backoff (a database outage pauses the caller, it never turns
/// into failed analyses); analyzer failures are retried <c>analysis.retry_attempts</c> times, then FAILED.
/// </summary>
public sealed partial class AnalysisPipeline(
    StoreWriteBatcher store,
    IAnalyzer analyzer,
    IAnalysisEvents events,
    IOptions<AnalysisOptions> options,
    TimeProvider time,
    ILogger<AnalysisPipeline> logger,
    IEnumerable<IAnalysisEnricher>? enrichers = null)
{
    private readonly IAnalysisEnricher[] _enrichers = enrichers?.ToArray() ?? [];

    /// <summary>Retries against a database that is down are cheap (a refused connection); waiting longer only delays the recovery.</summary>
    private static readonly TimeSpan MaxStorageBackoff = TimeSpan.FromSeconds(5);
    private readonly AnalysisOptions _options = options.Value;

    /// <summary>Stores the request as RECEIVED (idempotent by request_id) without analysing it.</summary>
    public async Task<GetOrCreateResult> SubmitAsync(AnalysisSubmission submission, CancellationToken cancellationToken)
    {
        submission = SubmissionBoundary.Admit(submission);
        GetOrCreateResult created;
        using (Telemetry.BifrostTracing.StartStore("write", store.Store.Provider))
        {
            created = await StorageRetry(() => store.GetOrCreateAsync(ToNewAnalysis(submission), AnalysisStatus.RECEIVED, cancellationToken), cancellationToken).ConfigureAwait(false);
        }

        if (created.Created)
        {
            events.Publish(created.Analysis);
        }

        return created;
    }

    /// <summary>
    /// Processes one request to a final state: a batch of one through <see cref="ProcessAsync(IReadOnlyList{AnalysisSubmission}, IReadOnlyList{Activity?}, CancellationToken)"/>.
    /// </summary>
    public async Task<PipelineResult> ProcessAsync(AnalysisSubmission submission, CancellationToken cancellationToken)
    {
        var results = await ProcessAsync([submission], null, cancellationToken).ConfigureAwait(false);
        return await results[0].ConfigureAwait(false);
    }

    /// <summary>
    /// The one path for every request (a single request is a batch of one). A request_id already COMPLETED or
    /// FAILED is returned as stored (<see cref="PipelineResult.Reused"/>); one left RECEIVED/PROCESSING (e.g. by a
    /// crash) is analysed again. An instant analyzer (<see cref="IAnalyzer.IsInstant"/>) answers before anything is
    /// stored, and every request it answered is written once, COMPLETED, in one batched write; any other request
    /// takes the stored path (PROCESSING row while the analyzer works, deadline, retries), all of them concurrently.
    /// Returns when the batched write is done: element i is request i's outcome, complete for the requests
    /// written in that batch, still running for the rest.
    /// </summary>
    /// <param name="traces">Per request, the span its work is traced under (null, or a null element: the ambient span).
    /// Tracing only observes: the same code runs whether anyone listens or not.</param>
    public async Task<Task<PipelineResult>[]> ProcessAsync(IReadOnlyList<AnalysisSubmission> submissions, IReadOnlyList<Activity?>? traces, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submissions);
        submissions = [.. submissions.Select(SubmissionBoundary.Admit)];
        var results = new Task<PipelineResult>[submissions.Count];
        List<Analyzed>? finished = null;
        List<int>? finishedAt = null;
        for (var i = 0; i < submissions.Count; i++)
        {
            var trace = traces?[i];
            if (await ConflictAsync(submissions[i], cancellationToken).ConfigureAwait(false) is { } conflict)
            {
                results[i] = Task.FromResult(conflict);
            }
            else if (analyzer.AnswersInstantly(submissions[i].ModelProfile) && await AnalyzeFirstAsync(submissions[i], trace).ConfigureAwait(false) is { } done)
            {
                (finished ??= new List<Analyzed>(submissions.Count - i)).Add(done);
                (finishedAt ??= new List<int>(submissions.Count - i)).Add(i);
            }
            else
            {
                results[i] = ProcessStoredAsync(submissions[i], trace, cancellationToken);
            }
        }

        if (finished is not null)
        {
            var batch = await FinishAsync(finished, cancellationToken).ConfigureAwait(false);
            var spans = new Activity?[batch.Length];
            for (var j = 0; j < spans.Length; j++)
            {
                spans[j] = Telemetry.BifrostTracing.StartStore("write", store.Store.Provider, traces?[finishedAt![j]]);
            }

            GetOrCreateResult[] saved;
            try
            {
                saved = await StorageRetry(() => store.SaveCompletedManyAsync(batch), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Array.ForEach(spans, Telemetry.BifrostTracing.Stop);
            }

            for (var j = 0; j < saved.Length; j++)
            {
                results[finishedAt![j]] = Task.FromResult(Saved(batch[j], saved[j]));
            }
        }

        return results;
    }

    /// <summary>
    /// An API caller reusing its request_id for other content gets the stored row flagged as a conflict, before
    /// anything is analysed or written (a RECEIVED row must not be completed with another request's result).
    /// Kafka requests (no caller) keep the contract's semantics: a redelivery re-publishes what is stored.
    /// </summary>
    private async Task<PipelineResult?> ConflictAsync(AnalysisSubmission admitted, CancellationToken cancellationToken)
    {
        if (admitted.Caller.Length == 0)
        {
            return null;
        }

        var stored = await StorageRetry(() => store.Store.GetByRequestIdAsync(admitted.Caller, admitted.RequestId, cancellationToken), cancellationToken).ConfigureAwait(false);
        return stored is not null && SubmissionBoundary.Conflicts(stored, admitted) ? new PipelineResult(stored, Reused: true, Conflict: true) : null;
    }

    private PipelineResult Saved(FinishedAnalysis finished, GetOrCreateResult saved)
    {
        if (!saved.Created)
        {
            LogReused(saved.Analysis.Id, saved.Analysis.Status);
            // Two different requests under one caller's id at once: the one stored first wins, the other is a conflict.
            return new PipelineResult(saved.Analysis, Reused: true, SubmissionBoundary.Conflicts(saved.Analysis, finished.Request.Caller, finished.Request.RequestHash));
        }

        // Watchers see the same life cycle as for a slow analyzer, though only the final row was written. A row that
        // was already stored (a REST submission: its RECEIVED went out then) keeps its own received_at.
        var completed = saved.Analysis;
        if (completed.Request.ReceivedAt == finished.Request.ReceivedAt)
        {
            events.Publish(completed with { Status = AnalysisStatus.RECEIVED, StartedAt = null, CompletedAt = null, Attempts = 0, Result = null });
        }

        events.Publish(completed with { Status = AnalysisStatus.PROCESSING, CompletedAt = null, Result = null });
        events.Publish(completed);
        return new PipelineResult(completed, Reused: false);
    }

    /// <summary>The stored path: PROCESSING row first, then analysis with deadline and retries, then COMPLETED/FAILED.</summary>
    private async Task<PipelineResult> ProcessStoredAsync(AnalysisSubmission submission, Activity? trace, CancellationToken cancellationToken)
    {
        // This request's spans nest under its own trace; the ambient span is async-local, so it ends with this method.
        Activity.Current = trace ?? Activity.Current;
        var request = ToNewAnalysis(submission);
        GetOrCreateResult stored;
        using (Telemetry.BifrostTracing.StartStore("write", store.Store.Provider))
        {
            stored = await StorageRetry(() => store.GetOrCreateAsync(request, AnalysisStatus.PROCESSING, cancellationToken), cancellationToken).ConfigureAwait(false);
        }

        var analysis = stored.Analysis;
        if (stored.Created)
        {
            events.Publish(analysis with { Status = AnalysisStatus.RECEIVED, StartedAt = null, Attempts = 0 });
            events.Publish(analysis);
        }
        else if (SubmissionBoundary.Conflicts(analysis, request.Caller, request.RequestHash))
        {
            return new PipelineResult(analysis, Reused: true, Conflict: true);
        }
        else if (analysis.Status is AnalysisStatus.COMPLETED or AnalysisStatus.FAILED)
        {
            LogReused(analysis.Id, analysis.Status);
            return new PipelineResult(analysis, Reused: true);
        }
        else
        {
            analysis = await UpdateAsync(new StatusUpdate(analysis.Id, AnalysisStatus.PROCESSING, Now(), analysis.Attempts + 1, Current: analysis), cancellationToken).ConfigureAwait(false);
        }

        return new PipelineResult(await AnalyzeAndStoreAsync(submission, analysis, cancellationToken).ConfigureAwait(false), Reused: false);
    }

    /// <summary>An analysis before it is enriched and stored.</summary>
    private sealed record Analyzed(AnalysisSubmission Submission, NewAnalysis Request, AnalyzerOutcome Outcome, double DurationSeconds);

    /// <summary>The batch's enrichment (one call per enricher for all of it), then the rows to store.</summary>
    private async Task<FinishedAnalysis[]> FinishAsync(IReadOnlyList<Analyzed> analyzed, CancellationToken cancellationToken)
    {
        var items = new EnrichmentItem[analyzed.Count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = new EnrichmentItem(analyzed[i].Submission, analyzed[i].Outcome);
        }

        await EnrichAsync(items, cancellationToken).ConfigureAwait(false);
        var finished = new FinishedAnalysis[analyzed.Count];
        for (var i = 0; i < finished.Length; i++)
        {
            var result = ToResult(items[i].Outcome, analyzed[i].DurationSeconds);
            finished[i] = new FinishedAnalysis(analyzed[i].Request, analyzed[i].Request.ReceivedAt, result.ResultAt, result);
        }

        return finished;
    }

    /// <summary>
    /// Runs the enrichers in order. Team knowledge adds to an answer; it is never a reason to lose one: an enricher
    /// that fails (its database unreachable, say) is logged and skipped, the analysis goes on as the analyzer gave it.
    /// </summary>
    private async Task EnrichAsync(EnrichmentItem[] items, CancellationToken cancellationToken)
    {
        foreach (var enricher in _enrichers)
        {
            try
            {
                await enricher.EnrichAsync(items, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogEnricherFailed(enricher.GetType().Name, items.Length, ex.GetType().Name, ex.Message);
            }
        }
    }

    /// <summary>
    /// An instant analyzer answers before anything is stored; the request is then written once, COMPLETED (a
    /// redelivered request_id costs one wasted analysis of microseconds and re-publishes what is stored). Null
    /// when the analyzer threw: the request then takes the stored path, with retries and FAILED if it must.
    /// </summary>
    private async ValueTask<Analyzed?> AnalyzeFirstAsync(AnalysisSubmission submission, Activity? trace)
    {
        var request = ToNewAnalysis(submission);
        using var analyzeSpan = Telemetry.BifrostTracing.StartAnalyze(trace);
        var started = time.GetTimestamp();
        try
        {
            // No deadline token: an instant analyzer runs synchronously, nothing could cancel it midway anyway.
            var outcome = await analyzer.AnalyzeAsync(new AnalyzerRequest(submission.LogContent, submission.ServiceName, submission.Environment, request.Priority, submission.Language, submission.ModelProfile, submission.Caller), CancellationToken.None).ConfigureAwait(false);
            var duration = time.GetElapsedTime(started).TotalSeconds;
            Telemetry.BifrostMetrics.AnalysisCompleted(outcome.Engine, outcome.Report.Category, outcome.Report.Severity.ToString(), duration, analyzeSpan);
            return new Analyzed(submission, request, outcome, duration);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return null;
        }
    }

    private async Task<StoredAnalysis> AnalyzeAndStoreAsync(AnalysisSubmission submission, StoredAnalysis analysis, CancellationToken cancellationToken)
    {
        var analyzerRequest = new AnalyzerRequest(submission.LogContent, submission.ServiceName, submission.Environment, analysis.Request.Priority, submission.Language, submission.ModelProfile, submission.Caller);
        var attempts = analysis.Attempts;
        var tries = 0;
        // A request may bound its whole analysis, retries included (Heimdall release 2's timeout_ms).
        var budgetStarted = time.GetTimestamp();
        while (true)
        {
            tries++;
            using var analyzeSpan = Telemetry.BifrostTracing.StartAnalyze();
            var started = time.GetTimestamp();
            string error;
            var attemptTimeout = TimeSpan.FromSeconds(_options.TimeoutSeconds);
            if (submission.Timeout is { } budget)
            {
                var left = budget - time.GetElapsedTime(budgetStarted);
                attemptTimeout = left < attemptTimeout ? left : attemptTimeout;
            }

            using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                deadline.CancelAfter(attemptTimeout > TimeSpan.Zero ? attemptTimeout : TimeSpan.Zero);
                try
                {
                    var outcome = await analyzer.AnalyzeAsync(analyzerRequest, deadline.Token).ConfigureAwait(false);
                    var duration = time.GetElapsedTime(started).TotalSeconds;
                    Telemetry.BifrostMetrics.AnalysisCompleted(outcome.Engine, outcome.Report.Category, outcome.Report.Severity.ToString(), duration, analyzeSpan);
                    var enriched = new EnrichmentItem(submission, outcome);
                    await EnrichAsync([enriched], cancellationToken).ConfigureAwait(false);
                    return await UpdateAsync(new StatusUpdate(analysis.Id, AnalysisStatus.COMPLETED, Now(), attempts, Result: ToResult(enriched.Outcome, duration), Current: analysis), cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    error = $"analyzer timed out after {attemptTimeout.TotalSeconds:0.###}s";
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    error = $"analyzer failed: {ex.GetType().Name}: {ex.Message}";
                }
            }

            var budgetSpent = submission.Timeout is { } total && time.GetElapsedTime(budgetStarted) >= total;
            if (budgetSpent)
            {
                error = $"analysis timed out: the request's budget of {submission.Timeout!.Value.TotalMilliseconds:0} ms is spent ({error})";
            }

            if (tries > _options.RetryAttempts || budgetSpent)
            {
                LogAnalysisFailed(analysis.Id, attempts, error);
                return await UpdateAsync(new StatusUpdate(analysis.Id, AnalysisStatus.FAILED, Now(), attempts, Error: error, Current: analysis), cancellationToken).ConfigureAwait(false);
            }

            var backoff = new Backoff(TimeSpan.FromSeconds(_options.RetryBackoffSeconds), MaxStorageBackoff).Delay(tries);
            LogAnalysisRetry(analysis.Id, attempts, backoff.TotalSeconds, error);
            Telemetry.BifrostMetrics.Retry("analyze");
            await Task.Delay(backoff, time, cancellationToken).ConfigureAwait(false);
            attempts++;
            analysis = await UpdateAsync(new StatusUpdate(analysis.Id, AnalysisStatus.PROCESSING, Now(), attempts, Current: analysis), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<StoredAnalysis> UpdateAsync(StatusUpdate update, CancellationToken cancellationToken)
    {
        using var storeSpan = Telemetry.BifrostTracing.StartStore("write", store.Store.Provider);
        var stored = await StorageRetry(() => store.UpdateAsync(update, cancellationToken), cancellationToken).ConfigureAwait(false);
        events.Publish(stored);
        return stored;
    }

    /// <summary>"Can't store" is never a reason to give up on a request: wait for the database, with backoff.</summary>
    private async Task<T> StorageRetry<T>(Func<Task<T>> operation, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await operation().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var backoff = new Backoff(TimeSpan.FromSeconds(Math.Max(0.1, _options.RetryBackoffSeconds)), MaxStorageBackoff).Delay(attempt);
                LogStorageUnavailable(attempt, backoff.TotalSeconds, ex.GetType().Name, ex.Message);
                Telemetry.BifrostMetrics.Retry("store");
                await Task.Delay(backoff, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private DateTimeOffset Now() => time.UtcNowMilliseconds();

    private NewAnalysis ToNewAnalysis(AnalysisSubmission s)
    {
        var now = Now();
        return new NewAnalysis(
            Clean(s.RequestId), Clean(s.CorrelationId), s.LogId, Clean(s.ServiceName), Clean(s.Environment),
            s.Priority, Clean(s.AnalysisType), Clean(s.CallbackTopic), s.MetadataJson,
            Clean(s.LogContent), s.Source,
            s.Timestamp is { } t ? Timestamps.TruncateToMilliseconds(t.ToUniversalTime()) : now, now,
            s.Dialect, s.TenantId is null ? null : Clean(s.TenantId), s.Caller, s.RequestHash);
    }

    /// <summary>PostgreSQL text cannot hold U+0000; a request carrying one must still be storable.</summary>
    private static string Clean(string value) => value.Contains('\0', StringComparison.Ordinal) ? value.Replace('\0', '\uFFFD') : value;

    private AnalysisResultData ToResult(AnalyzerOutcome outcome, double durationSeconds)
    {
        var report = outcome.Report;
        var evidence = JsonSerializer.Serialize(report.Evidence.Select(e => new EvidenceItem(e.LineNumber, Clean(e.Text))).ToArray(), EvidenceJson.Default.EvidenceItemArray);
        return new AnalysisResultData(
            Clean(report.Summary), Clean(report.RootCause), Clean(report.Recommendation), report.Severity.ToString(),
            Math.Round(Math.Clamp(report.Confidence, 0, 1), 2), report.Category, report.Fingerprint, evidence,
            string.IsNullOrEmpty(outcome.Model) ? report.Model : outcome.Model, outcome.Engine,
            Math.Round(durationSeconds, 3), outcome.TokensUsed, outcome.CacheHit, outcome.Fallback,
            ResultAt: Now(), PromptTokens: outcome.PromptTokens, CompletionTokens: outcome.CompletionTokens);
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Debug, Message = "Request already stored as analysis {AnalysisId} ({Status}); re-using the stored outcome")]
    private partial void LogReused(long analysisId, AnalysisStatus status);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Analysis {AnalysisId} attempt {Attempt} failed, retrying in {BackoffSeconds}s: {Error}")]
    private partial void LogAnalysisRetry(long analysisId, int attempt, double backoffSeconds, string error);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Error, Message = "Analysis {AnalysisId} failed after {Attempts} attempts: {Error}")]
    private partial void LogAnalysisFailed(long analysisId, int attempts, string error);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Warning, Message = "Storage unavailable (attempt {Attempt}), retrying in {BackoffSeconds}s: {ErrorType}: {Error}")]
    private partial void LogStorageUnavailable(int attempt, double backoffSeconds, string errorType, string error);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Warning, Message = "Enricher {Enricher} failed for {Count} analyses (stored without it): {ErrorType}: {Error}")]
    private partial void LogEnricherFailed(string enricher, int count, string errorType, string error);
}

internal sealed record EvidenceItem(int Line, string Text);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(EvidenceItem[]))]
internal sealed partial class EvidenceJson : JsonSerializerContext;
