namespace Bifrost.Messaging;

/// <summary>The DLQ <c>error_code</c> values (contract README, "dlq.failed").</summary>
public static class ErrorCodes
{
    public const string InvalidJson = "INVALID_JSON";
    public const string SchemaViolation = "SCHEMA_VIOLATION";
    public const string CallbackTopicNotAllowed = "CALLBACK_TOPIC_NOT_ALLOWED";
    public const string PayloadTooLarge = "PAYLOAD_TOO_LARGE";
    public const string AnalysisFailed = "ANALYSIS_FAILED";

    /// <summary>The broker refused the result for good (too large, topic not writable); the DLQ keeps the request instead.</summary>
    public const string PublishFailed = "PUBLISH_FAILED";
}
