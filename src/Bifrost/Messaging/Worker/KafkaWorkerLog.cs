using Confluent.Kafka;

namespace Bifrost.Messaging.Worker;

/// <summary>Every log line of the Kafka worker's parts, with its event id (operators filter by these).</summary>
internal static partial class KafkaWorkerLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Consuming {Topic} as group {GroupId} with {Lanes} lanes")]
    public static partial void Started(this ILogger logger, string topic, string groupId, int lanes);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Partitions assigned: {Partitions}")]
    public static partial void Assigned(this ILogger logger, string partitions);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Partitions revoked: {Partitions} (committed: {Committed})")]
    public static partial void Revoked(this ILogger logger, string partitions, bool committed);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "{InFlight} records in flight, at kafka.max_in_flight for 1 s: pausing consumption (pauses in the last minute: {Pauses})")]
    public static partial void Paused(this ILogger logger, int inFlight, int pauses);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Debug, Message = "{InFlight} records in flight: resuming consumption")]
    public static partial void Resumed(this ILogger logger, int inFlight);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Information, Message = "Stopping: draining {InFlight} in-flight records (up to {TimeoutSeconds}s)")]
    public static partial void Draining(this ILogger logger, int inFlight, double timeoutSeconds);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Information, Message = "Drained; {InFlight} records handed back uncommitted")]
    public static partial void Drained(this ILogger logger, int inFlight);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Information, Message = "Consumer closed")]
    public static partial void Stopped(this ILogger logger);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Warning, Message = "Consume error: {Code} {Reason}")]
    public static partial void ConsumeError(this ILogger logger, ErrorCode code, string reason);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Critical, Message = "Fatal consumer error, stopping: {Code} {Reason}")]
    public static partial void Fatal(this ILogger logger, ErrorCode code, string reason);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Warning, Message = "Storing offset {Offset} for partition {Partition} failed: {Reason}")]
    public static partial void StoreFailed(this ILogger logger, int partition, long offset, string reason);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Warning, Message = "Commit failed: {Code} {Reason}")]
    public static partial void CommitFailed(this ILogger logger, ErrorCode code, string reason);

    [LoggerMessage(EventId = 2013, Level = LogLevel.Warning, Message = "Kafka client error: {Code} {Reason} (fatal: {Fatal})")]
    public static partial void ClientError(this ILogger logger, ErrorCode code, string reason, bool fatal);

    [LoggerMessage(EventId = 2014, Level = LogLevel.Debug, Message = "librdkafka consumer {Facility}: {Message}")]
    public static partial void Client(this ILogger logger, string facility, string message);

    [LoggerMessage(EventId = 2015, Level = LogLevel.Error, Message = "Unexpected error in a worker lane: {ErrorType}: {Error}")]
    public static partial void LaneError(this ILogger logger, string errorType, string error);
}
