using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bifrost.Messaging.Dlq;

namespace Bifrost.Commands;

/// <summary>
/// <c>bifrost dlq list</c> and <c>bifrost dlq replay</c>: inspect <c>dlq.failed</c> and re-drive selected records'
/// original bytes (payload or payload_raw) with their original key to <c>analysis.request</c> once the cause is
/// fixed. Re-driving twice is harmless: the pipeline keeps one analysis per request_id.
/// </summary>
internal static class DlqCommand
{
    public static Command Create()
    {
        var dlq = new Command("dlq", "Inspect and re-drive the dead-letter topic.");
        dlq.Subcommands.Add(ListCommand());
        dlq.Subcommands.Add(ReplayCommand());
        return dlq;
    }

    public static async Task<int> ListAsync(DlqKafkaSettings settings, DlqFilter filter, long? fromOffset, int limit, bool json, TimeSpan timeout, TextWriter output, CancellationToken cancellationToken)
    {
        var records = await Task.Run(() => new DlqRangeReader(settings).Read(filter, fromOffset, limit, timeout, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (json)
        {
            await output.WriteLineAsync(new JsonArray([.. records.Select(ToJson)]).ToJsonString(Json)).ConfigureAwait(false);
            return 0;
        }

        await output.WriteLineAsync($"{"FAILED_AT",-24} {"PART",4} {"OFFSET",8} {"ERROR_CODE",-28} {"REQUEST_ID",-38} ERROR_MESSAGE").ConfigureAwait(false);
        foreach (var r in records)
        {
            await output.WriteLineAsync(
                $"{r.FailedAt?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture) ?? "-",-24} {r.Partition,4} {r.Offset,8} {r.ErrorCode,-28} {r.RequestId ?? "-",-38} {OneLine(r.ErrorMessage)}").ConfigureAwait(false);
        }

        await output.WriteLineAsync($"{records.Count} record(s)").ConfigureAwait(false);
        return 0;
    }

    /// <returns>0 when every selected record was re-driven (or would be, with <paramref name="dryRun"/>), 1 when some kept no payload.</returns>
    public static async Task<int> ReplayAsync(DlqKafkaSettings settings, DlqFilter filter, long? fromOffset, int limit, bool dryRun, TimeSpan timeout, TextWriter output, CancellationToken cancellationToken)
    {
        var records = await Task.Run(() => new DlqRangeReader(settings).Read(filter, fromOffset, limit, timeout, cancellationToken), cancellationToken).ConfigureAwait(false);
        using var redriver = new DlqRedriver(settings);
        int sent = 0, skipped = 0;
        foreach (var record in records)
        {
            var where = $"{settings.Topic}/{record.Partition}@{record.Offset} {record.ErrorCode} request_id={record.RequestId ?? "-"}";
            if (record.OriginalValue() is null)
            {
                skipped++;
                await output.WriteLineAsync($"skip   {where}: the record kept no payload").ConfigureAwait(false);
                continue;
            }

            if (dryRun)
            {
                await output.WriteLineAsync($"would  {where} -> {settings.RequestTopic}").ConfigureAwait(false);
            }
            else
            {
                var landed = await redriver.RedriveAsync(record, cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync($"sent   {where} -> {landed.Topic}/{landed.Partition.Value}@{landed.Offset.Value}").ConfigureAwait(false);
            }

            sent++;
        }

        await output.WriteLineAsync($"{(dryRun ? "dry run: would re-drive" : "re-drove")} {sent} record(s) to {settings.RequestTopic}; skipped {skipped}").ConfigureAwait(false);
        return skipped == 0 ? 0 : 1;
    }

    private static Command ListCommand()
    {
        var o = new CommonOptions();
        var json = new Option<bool>("--json") { Description = "print a JSON array instead of a table" };
        var command = new Command("list", "List dead-letter records (reads without committing; moves no consumer group).") { json };
        o.AddTo(command);
        command.SetAction((parse, ct) => KafkaCli.GuardAsync(() => ListAsync(o.Settings(parse), o.Filter(parse), parse.GetValue(o.FromOffset), parse.GetValue(o.Limit), parse.GetValue(json), o.Timeout(parse), Console.Out, ct)));
        return command;
    }

    private static Command ReplayCommand()
    {
        var o = new CommonOptions();
        var dryRun = new Option<bool>("--dry-run") { Description = "show what would be re-driven, send nothing" };
        var command = new Command("replay", "Re-drive selected dead-letter records (original key and bytes) to the request topic.") { dryRun };
        o.AddTo(command);
        command.SetAction((parse, ct) => KafkaCli.GuardAsync(() => ReplayAsync(o.Settings(parse), o.Filter(parse), parse.GetValue(o.FromOffset), parse.GetValue(o.Limit), parse.GetValue(dryRun), o.Timeout(parse), Console.Out, ct)));
        return command;
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ") is { Length: > 120 } long_ ? long_[..117] + "..." : text.ReplaceLineEndings(" ");

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The record in the contract's field names, plus where it sits on the DLQ; payload as the JSON object it was.</summary>
    private static JsonObject ToJson(DlqEnvelope r) => new()
    {
        ["dlq_partition"] = r.Partition,
        ["dlq_offset"] = r.Offset,
        ["error_code"] = r.ErrorCode,
        ["error_message"] = r.ErrorMessage,
        ["failed_at"] = r.FailedAt?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
        ["attempts"] = r.Attempts,
        ["original_topic"] = r.OriginalTopic,
        ["original_partition"] = r.OriginalPartition,
        ["original_offset"] = r.OriginalOffset,
        ["original_key"] = r.OriginalKey,
        ["consumer_group"] = r.ConsumerGroup,
        ["request_id"] = r.RequestId,
        ["correlation_id"] = r.CorrelationId,
        ["log_id"] = r.LogId,
        ["payload"] = r.Payload is null ? null : JsonNode.Parse(r.Payload),
        ["payload_raw"] = r.PayloadRaw,
    };

    /// <summary>The options list and replay share: connection, topics, and the record filter.</summary>
    private sealed class CommonOptions
    {
        private readonly Option<FileInfo?> _config = KafkaCli.Config();
        private readonly Option<string?> _bootstrap = KafkaCli.BootstrapServers();
        private readonly Option<string[]> _properties = KafkaCli.Properties();
        private readonly Option<string?> _topic = new("--topic") { Description = "dead-letter topic (default: kafka.topics.dlq)" };
        private readonly Option<string?> _requestTopic = new("--request-topic") { Description = "where replay sends records (default: kafka.topics.request)" };
        private readonly Option<string[]> _errorCodes = new("--error-code") { Description = "only these error codes (repeatable)", DefaultValueFactory = _ => [] };
        private readonly Option<string[]> _requestIds = new("--request-id") { Description = "only these request ids (repeatable)", DefaultValueFactory = _ => [] };
        private readonly Option<DateTimeOffset?> _since = new("--since") { Description = "failed_at at or after this ISO-8601 time" };
        private readonly Option<DateTimeOffset?> _until = new("--until") { Description = "failed_at before this ISO-8601 time" };
        private readonly Option<double> _timeout = new("--timeout") { Description = "seconds of broker silence before giving up", DefaultValueFactory = _ => 15 };

        public Option<long?> FromOffset { get; } = new("--from-offset") { Description = "start at this offset in every partition" };

        public Option<int> Limit { get; } = new("--limit") { Description = "at most this many records", DefaultValueFactory = _ => 1000 };

        public void AddTo(Command command)
        {
            foreach (Option option in new Option[] { _config, _bootstrap, _properties, _topic, _requestTopic, _errorCodes, _requestIds, _since, _until, FromOffset, Limit, _timeout })
            {
                command.Options.Add(option);
            }
        }

        public DlqKafkaSettings Settings(ParseResult parse)
        {
            var kafka = KafkaCli.Resolve(parse.GetValue(_config)?.FullName, parse.GetValue(_bootstrap), KafkaCli.ParseProperties(parse.GetValue(_properties)!));
            kafka.Topics.Dlq = parse.GetValue(_topic) ?? kafka.Topics.Dlq;
            kafka.Topics.Request = parse.GetValue(_requestTopic) ?? kafka.Topics.Request;
            return new DlqKafkaSettings(kafka);
        }

        public DlqFilter Filter(ParseResult parse) => new(
            parse.GetValue(_errorCodes)!.ToHashSet(StringComparer.Ordinal), parse.GetValue(_requestIds)!.ToHashSet(StringComparer.Ordinal),
            parse.GetValue(_since), parse.GetValue(_until));

        public TimeSpan Timeout(ParseResult parse) => TimeSpan.FromSeconds(parse.GetValue(_timeout));
    }
}
