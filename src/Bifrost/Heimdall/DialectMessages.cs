using System.Text;
using Bifrost.Messaging;
using Bifrost.Storage;
using Confluent.Kafka;

namespace Bifrost.Heimdall;

/// <summary>
/// The records a request's outcome becomes, in the dialect it was asked in: its result (guide: the contract's envelope
/// keyed by log_id; release 1: camelCase keyed by logId; release 2: flat, keyed by job_id, FAILED for a failed
/// analysis) and its dead letter (release 2: its DlqFailedEvent; the guide and release 1, which reads no dead letters:
/// the contract's envelope). What Bifrost knows beyond a release's fields travels in headers where the broker has them.
/// </summary>
public static class DialectMessages
{
    public const string CategoryHeader = "bifrost-category";
    public const string FingerprintHeader = "bifrost-fingerprint";
    public const string AnalysisIdHeader = "bifrost-analysis-id";
    public const string OriginalKeyHeader = "bifrost-original-key";
    public const string AttemptsHeader = "bifrost-attempts";

    /// <summary>Only release 2 has a result for a failed analysis; the others get a dead letter.</summary>
    public static bool AnswersFailuresWithAResult(Dialect dialect) => dialect == Dialect.V2;

    /// <summary>The result record for a stored analysis (COMPLETED; FAILED too for release 2).</summary>
    /// <param name="reply">Release 2: the job being answered now (its id may differ from the stored one's).</param>
    /// <param name="headers">The broker has record headers (kafka.result_headers): add category, fingerprint, analysis id.</param>
    public static Message<byte[]?, byte[]?> Result(Dialect dialect, StoredAnalysis analysis, V2Reply? reply, bool headers)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        var message = dialect switch
        {
            Dialect.V1 => new Message<byte[]?, byte[]?> { Key = ResultMessage.Key(analysis.Request.LogId), Value = V1ResultMessage.Value(analysis) },
            Dialect.V2 => new Message<byte[]?, byte[]?>
            {
                Key = V2ResultMessage.Key(reply ?? throw new ArgumentNullException(nameof(reply))),
                Value = V2ResultMessage.Value(analysis, reply),
            },
            _ => new Message<byte[]?, byte[]?> { Key = ResultMessage.Key(analysis.Request.LogId), Value = ResultMessage.Value(analysis) },
        };
        if (headers && analysis.Result is { } r)
        {
            message.Headers = new Headers
            {
                { CategoryHeader, Encoding.UTF8.GetBytes(r.Category) },
                { FingerprintHeader, Encoding.UTF8.GetBytes(r.Fingerprint) },
                { AnalysisIdHeader, Encoding.UTF8.GetBytes(analysis.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)) },
            };
        }

        return message;
    }

    /// <summary>The dead-letter record for <paramref name="letter"/>, with the request's ids from <paramref name="ids"/>.</summary>
    /// <param name="headers">The broker has record headers (kafka.dlq_headers): Spring's kafka_dlt-* plus what release 2 has no field for.</param>
    public static Message<byte[]?, byte[]?> DeadLetter(DeadLetter letter, RequestRejection ids, bool headers)
    {
        ArgumentNullException.ThrowIfNull(letter);
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Dialect != Dialect.V2)
        {
            return new Message<byte[]?, byte[]?>
            {
                Key = letter.OriginalKey,
                Value = DeadLetterMessage.Value(letter),
                Headers = headers ? DeadLetterMessage.Headers(letter) : null,
            };
        }

        var message = new Message<byte[]?, byte[]?>
        {
            Key = V2DeadLetterMessage.Key(letter, ids.JobId),
            Value = V2DeadLetterMessage.Value(letter, ids.JobId, ids.IdempotencyKey, ids.TraceId),
        };
        if (headers)
        {
            var h = DeadLetterMessage.Headers(letter);
            h.Add(AttemptsHeader, Encoding.UTF8.GetBytes(Math.Max(1, letter.Attempts).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            if (letter.OriginalKey is { } key)
            {
                h.Add(OriginalKeyHeader, key);
            }

            if (!letter.PayloadIsObject && letter.OriginalValue is { } raw)
            {
                h.Add(V2DeadLetterMessage.RawPayloadHeader, raw);
            }

            message.Headers = h;
        }

        return message;
    }
}
