using Microsoft.Extensions.Logging;

namespace Bifrost.Llm;

/// <summary>Log messages of the LLM analyzers (event ids 4000–4099). No excerpt text is ever logged.</summary>
internal static partial class LlmLog
{
    [LoggerMessage(4001, LogLevel.Warning, "LLM {Model} unavailable ({Reason}); published the built-in answer for fingerprint {Fingerprint}")]
    public static partial void FellBack(ILogger logger, string model, string reason, string fingerprint, Exception? exception);

    /// <summary>Per request while the breaker is open: Debug, the breaker's own transitions are the news.</summary>
    [LoggerMessage(4005, LogLevel.Debug, "LLM {Model} circuit open; published the built-in answer for fingerprint {Fingerprint}")]
    public static partial void FellBackBreakerOpen(ILogger logger, string model, string fingerprint);

    [LoggerMessage(4006, LogLevel.Warning, "LLM circuit breaker {State}: analyses use the built-in engine until the LLM server answers again")]
    public static partial void BreakerOpened(ILogger logger, string state);

    [LoggerMessage(4007, LogLevel.Information, "LLM circuit breaker {State}")]
    public static partial void BreakerChanged(ILogger logger, string state);

    [LoggerMessage(4002, LogLevel.Debug, "LLM {Model} reply had no usable JSON ({Length} chars); asking once for a repair")]
    public static partial void RepairingReply(ILogger logger, string model, int length);

    [LoggerMessage(4003, LogLevel.Warning, "LLM {Model} gave no usable JSON after one repair turn; publishing the built-in answer")]
    public static partial void UnusableReply(ILogger logger, string model);

    [LoggerMessage(4004, LogLevel.Information, "Analyzer mode {Mode}: provider {Provider}, model {Model}, deadline {DeadlineSeconds}s")]
    public static partial void Configured(ILogger logger, string mode, string provider, string model, double deadlineSeconds);
}
