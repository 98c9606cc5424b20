namespace Bifrost.Telemetry;

/// <summary>
/// OpenTelemetry semantic-convention attribute names used on Bifrost spans and metrics (messaging spans,
/// Kafka specifics), plus Bifrost's own, namespaced under <c>bifrost.</c>.
/// </summary>
public static class SemanticConventions
{
    public const string MessagingSystem = "messaging.system";
    public const string MessagingOperationType = "messaging.operation.type";
    public const string MessagingOperationName = "messaging.operation.name";
    public const string MessagingDestinationName = "messaging.destination.name";
    public const string MessagingDestinationPartitionId = "messaging.destination.partition.id";
    public const string MessagingConsumerGroupName = "messaging.consumer.group.name";
    public const string MessagingMessageId = "messaging.message.id";
    public const string MessagingMessageBodySize = "messaging.message.body.size";
    public const string MessagingKafkaMessageKey = "messaging.kafka.message.key";
    public const string MessagingKafkaOffset = "messaging.kafka.offset";
    public const string DbSystemName = "db.system.name";
    public const string DbOperationName = "db.operation.name";
    public const string ErrorType = "error.type";

    public const string CorrelationId = "bifrost.correlation_id";
    public const string RequestId = "bifrost.request_id";
    public const string LogId = "bifrost.log_id";
    public const string AnalysisEngine = "bifrost.analysis.engine";
    public const string AnalysisCategory = "bifrost.analysis.category";
    public const string AnalysisSeverity = "bifrost.analysis.severity";
    public const string DlqErrorCode = "bifrost.dlq.error_code";
}
