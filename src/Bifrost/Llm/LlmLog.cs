using Microsoft.Extensions.Logging;

namespace Bifrost.Llm;

/// <summary>Log messages of the LLM analyzers (event ids 4000–4099). No excerpt text is ever logged.</summary>
internal static partial class LlmLog
{
    [LoggerMessage(4001, LogLevel.Warning, "LLM {Model} unavailable ({Reason}); published the built-in answer for fingerprint {Fingerprint}")]
    public static partial void FellBack(ILogger logger, string model, string reason, string fingerprint, Exception? exception);

    [LoggerMessage(4002, LogLevel.Debug, "LLM {Model} reply had no usable JSON ({Length} chars); asking once for a repair")]
    public static partial void RepairingReply(ILogger logger, string model, int length);

    [LoggerMessage(4003, LogLevel.Warning, "LLM {Model} gave no usable JSON after one repair turn; publishing the built-in answer")]
    public static partial void UnusableReply(ILogger logger, string model);

    [LoggerMessage(4004, LogLevel.Information, "Analyzer mode {Mode}: provider {Provider}, model {Model}, deadline {DeadlineSeconds}s")]
    public static partial void Configured(ILogger logger, string mode, string provider, string model, double deadlineSeconds);
}
