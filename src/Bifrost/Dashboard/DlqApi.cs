using Bifrost.Analysis.Redaction;
using Bifrost.Api.Auth;
using Bifrost.Messaging.Dlq;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bifrost.Dashboard;

/// <summary>
/// <c>GET /api/v1/dlq</c> lists the newest dead-letter records; <c>POST /api/v1/dlq/{partition}/{offset}/redrive</c>
/// sends one back to the request topic. Payloads are redacted before they leave the process; the re-drive
/// sends the original bytes (they never left Kafka).
/// </summary>
internal static partial class DlqApi
{
    private static readonly TimeSpan BrokerTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Longest payload preview returned per record; the DLQ view shows a preview, not a dump.</summary>
    private const int PreviewChars = 4000;

    public static RouteGroupBuilder MapDlqApi(this IEndpointRouteBuilder app, DlqKafkaSettings settings)
    {
        var reader = new DlqReader(settings);
        var redriver = new DlqRedriver(settings);
        app.ServiceProvider.GetRequiredService<IHostApplicationLifetime>().ApplicationStopped.Register(redriver.Dispose);

        // Same keys, scopes and per-key rate limits as the rest of /api/v1: reading needs any key, re-drive needs 'write'.
        var group = app.MapGroup("/api/v1/dlq").WithTags("DLQ").RequireRateLimiting(RateLimits.PerKey);
        group.MapGet("/", async Task<IResult> (int? limit, CancellationToken ct) =>
        {
            if (!settings.Enabled)
            {
                return KafkaDisabled();
            }

            var window = Math.Clamp(limit ?? 100, 1, 1000);
            var records = await Task.Run(() => reader.ReadLatest(window, BrokerTimeout, ct), ct).ConfigureAwait(false);
            return TypedResults.Ok(new DlqListResponse(settings.Topic, settings.RequestTopic, [.. records.Take(window).Select(ToView)]));
        }).RequireAuthorization(Policies.Read).WithSummary("The newest dead-letter records (payloads redacted)");

        group.MapPost("/{partition:int}/{offset:long}/redrive", async Task<IResult> (int partition, long offset, ILoggerFactory loggers, CancellationToken ct) =>
        {
            if (!settings.Enabled)
            {
                return KafkaDisabled();
            }

            var record = await Task.Run(() => reader.ReadOne(partition, offset, BrokerTimeout, ct), ct).ConfigureAwait(false);
            if (record is null)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such dead-letter record",
                    detail: $"{settings.Topic} has no record at partition {partition}, offset {offset}.");
            }

            if (record.OriginalValue() is null)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Nothing to re-drive",
                    detail: "The dead-letter record kept neither payload nor payload_raw.");
            }

            var sent = await redriver.RedriveAsync(record, ct).ConfigureAwait(false);
            var logger = loggers.CreateLogger(typeof(DlqApi).FullName!);
            LogRedriven(logger, settings.Topic, partition, offset, sent.Topic, sent.Partition.Value, sent.Offset.Value, record.ErrorCode);
            return TypedResults.Accepted((string?)null, new RedriveResponse(sent.Topic, sent.Partition.Value, sent.Offset.Value, record.RequestId));
        }).RequireAuthorization(Policies.Write).WithSummary("Send a dead-lettered message back to the request topic (original key and bytes)");
        return group;
    }

    private static ProblemHttpResult KafkaDisabled() => TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable,
        title: "Kafka is not configured", detail: "Set kafka.bootstrap_servers to read the dead-letter topic.");

    private static DlqRecordView ToView(DlqEnvelope r)
    {
        var payload = r.Payload ?? r.PayloadRaw;
        // Redact first, clip second: a secret straddling the cut is masked whole, not published half.
        var preview = payload is null ? null : Redactor.RedactAndClip(payload, PreviewChars);
        return new DlqRecordView(r.Partition, r.Offset, r.ErrorCode, Redactor.Redact(r.ErrorMessage), r.FailedAt, r.Attempts,
            r.OriginalTopic, r.OriginalPartition, r.OriginalOffset, r.OriginalKey is null ? null : Redactor.Redact(r.OriginalKey),
            r.ConsumerGroup, r.RequestId, r.CorrelationId, r.LogId, preview, r.Payload is null && r.PayloadRaw is not null,
            r.OriginalValue() is not null);
    }

    [LoggerMessage(EventId = 6101, Level = LogLevel.Information,
        Message = "Re-drove dead-letter record {DlqTopic}/{Partition}@{Offset} ({ErrorCode}) to {Topic}/{NewPartition}@{NewOffset}")]
    private static partial void LogRedriven(ILogger logger, string dlqTopic, int partition, long offset, string topic, int newPartition, long newOffset, string errorCode);
}

internal sealed record DlqListResponse(
    [property: System.Text.Json.Serialization.JsonPropertyName("topic")] string Topic,
    [property: System.Text.Json.Serialization.JsonPropertyName("redrive_topic")] string RedriveTopic,
    [property: System.Text.Json.Serialization.JsonPropertyName("items")] IReadOnlyList<DlqRecordView> Items);

internal sealed record DlqRecordView(
    [property: System.Text.Json.Serialization.JsonPropertyName("partition")] int Partition,
    [property: System.Text.Json.Serialization.JsonPropertyName("offset")] long Offset,
    [property: System.Text.Json.Serialization.JsonPropertyName("error_code")] string ErrorCode,
    [property: System.Text.Json.Serialization.JsonPropertyName("error_message")] string ErrorMessage,
    [property: System.Text.Json.Serialization.JsonPropertyName("failed_at")] DateTimeOffset? FailedAt,
    [property: System.Text.Json.Serialization.JsonPropertyName("attempts")] int Attempts,
    [property: System.Text.Json.Serialization.JsonPropertyName("original_topic")] string? OriginalTopic,
    [property: System.Text.Json.Serialization.JsonPropertyName("original_partition")] int? OriginalPartition,
    [property: System.Text.Json.Serialization.JsonPropertyName("original_offset")] long? OriginalOffset,
    [property: System.Text.Json.Serialization.JsonPropertyName("original_key")] string? OriginalKey,
    [property: System.Text.Json.Serialization.JsonPropertyName("consumer_group")] string? ConsumerGroup,
    [property: System.Text.Json.Serialization.JsonPropertyName("request_id")] string? RequestId,
    [property: System.Text.Json.Serialization.JsonPropertyName("correlation_id")] string? CorrelationId,
    [property: System.Text.Json.Serialization.JsonPropertyName("log_id")] long? LogId,
    [property: System.Text.Json.Serialization.JsonPropertyName("payload_preview")] string? PayloadPreview,
    [property: System.Text.Json.Serialization.JsonPropertyName("payload_is_raw")] bool PayloadIsRaw,
    [property: System.Text.Json.Serialization.JsonPropertyName("redrivable")] bool Redrivable);

internal sealed record RedriveResponse(
    [property: System.Text.Json.Serialization.JsonPropertyName("topic")] string Topic,
    [property: System.Text.Json.Serialization.JsonPropertyName("partition")] int Partition,
    [property: System.Text.Json.Serialization.JsonPropertyName("offset")] long Offset,
    [property: System.Text.Json.Serialization.JsonPropertyName("request_id")] string? RequestId);
