using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;

namespace Bifrost.Telemetry;

/// <summary>
/// The pipeline's spans: one trace per request, consume → analyse → store → publish, with OpenTelemetry
/// messaging attribute names. Every method returns null when nobody listens (no tracer configured), so
/// call sites stay one line: <c>using var span = BifrostTracing.StartAnalyze(parent);</c>.
/// Spans are observers: they never become the ambient <see cref="Activity.Current"/>, because one flow (a Kafka
/// lane's batch) carries many requests, each with its own trace; a span names its parent explicitly (null: the
/// ambient span, e.g. the HTTP request's).
/// </summary>
public static class BifrostTracing
{
    public const string PipelineSourceName = "Bifrost.Pipeline";

    public static readonly ActivitySource Pipeline = new(PipelineSourceName, BuildInfo.Version);

    /// <summary>
    /// The root of a request's work in Bifrost: a consumer "process" span whose parent is the producer's
    /// <c>traceparent</c> header when the broker carried one.
    /// </summary>
    public static Activity? StartConsume(string topic, int partition, long offset, string? key, string consumerGroup, Headers? headers)
    {
        var activity = StartDetached($"process {topic}", ActivityKind.Consumer, TraceContextHeaders.Extract(headers));
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(SemanticConventions.MessagingSystem, "kafka");
            activity.SetTag(SemanticConventions.MessagingOperationType, "process");
            activity.SetTag(SemanticConventions.MessagingOperationName, "process");
            activity.SetTag(SemanticConventions.MessagingDestinationName, topic);
            activity.SetTag(SemanticConventions.MessagingDestinationPartitionId, partition.ToString(CultureInfo.InvariantCulture));
            activity.SetTag(SemanticConventions.MessagingKafkaOffset, offset);
            activity.SetTag(SemanticConventions.MessagingConsumerGroupName, consumerGroup);
            if (key is not null)
            {
                activity.SetTag(SemanticConventions.MessagingKafkaMessageKey, key);
            }
        }

        return activity;
    }

    /// <summary>Records the request's ids once it has been parsed (correlation_id is what Heimdall searches by).</summary>
    public static void SetRequest(Activity? activity, string? requestId, string? correlationId, long? logId)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag(SemanticConventions.RequestId, requestId);
        activity.SetTag(SemanticConventions.MessagingMessageId, requestId);
        activity.SetTag(SemanticConventions.CorrelationId, correlationId);
        activity.SetTag(SemanticConventions.LogId, logId);
    }

    public static Activity? StartAnalyze(Activity? parent = null) => StartDetached("analyze", ActivityKind.Internal, parent);

    /// <summary>Tags the analyse span with what the analyzer decided.</summary>
    public static void SetOutcome(Activity? activity, string engine, string category, string severity)
    {
        activity?.SetTag(SemanticConventions.AnalysisEngine, engine);
        activity?.SetTag(SemanticConventions.AnalysisCategory, category);
        activity?.SetTag(SemanticConventions.AnalysisSeverity, severity);
    }

    /// <param name="operation">e.g. insert, complete, select.</param>
    /// <param name="system">postgresql | sqlite.</param>
    public static Activity? StartStore(string operation, string system, Activity? parent = null)
    {
        var activity = StartDetached($"store {operation}", ActivityKind.Client, parent);
        activity?.SetTag(SemanticConventions.DbSystemName, system);
        activity?.SetTag(SemanticConventions.DbOperationName, operation);
        return activity;
    }

    /// <summary>
    /// A producer "send" span; pass <paramref name="headers"/> to carry its context to the result's consumer
    /// (a no-op on brokers without header support — the producer then must not send headers at all).
    /// </summary>
    public static Activity? StartPublish(string topic, Headers? headers = null, Activity? parent = null)
    {
        var activity = StartDetached($"send {topic}", ActivityKind.Producer, parent);
        if (activity is not null)
        {
            activity.SetTag(SemanticConventions.MessagingSystem, "kafka");
            activity.SetTag(SemanticConventions.MessagingOperationType, "send");
            activity.SetTag(SemanticConventions.MessagingOperationName, "send");
            activity.SetTag(SemanticConventions.MessagingDestinationName, topic);
            if (headers is not null)
            {
                TraceContextHeaders.Inject(activity.Context, headers);
            }
        }

        return activity;
    }

    /// <summary>Marks the span failed with the DLQ error code or exception type (OTel <c>error.type</c>).</summary>
    public static void SetError(Activity? activity, string errorType, string? description = null)
    {
        activity?.SetStatus(ActivityStatusCode.Error, description);
        activity?.SetTag(SemanticConventions.ErrorType, errorType);
    }

    /// <summary>Ends a span without changing the ambient one (Activity.Stop would restore what was ambient at its start).</summary>
    public static void Stop(Activity? activity)
    {
        if (activity is null)
        {
            return;
        }

        var ambient = Activity.Current;
        activity.Stop();
        Activity.Current = ambient;
    }

    private static Activity? StartDetached(string name, ActivityKind kind, Activity? parent) =>
        StartDetached(name, kind, parent?.Context ?? Activity.Current?.Context ?? default);

    private static Activity? StartDetached(string name, ActivityKind kind, ActivityContext parent)
    {
        if (!Pipeline.HasListeners())
        {
            return null;
        }

        var ambient = Activity.Current;
        var activity = Pipeline.StartActivity(name, kind, parent);
        Activity.Current = ambient;
        return activity;
    }
}
