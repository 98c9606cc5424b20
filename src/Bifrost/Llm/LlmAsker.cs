using Bifrost.Configuration;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Polly;

namespace Bifrost.Llm;

/// <summary>
/// Asks the LLM for one excerpt: the fenced prompt, structured output, the resilience pipeline around each call, and
/// one repair turn when the reply holds no usable JSON. Throws when the server fails (the caller falls back).
/// </summary>
internal sealed class LlmAsker(IChatClient chat, ResiliencePipeline resilience, AiOptions ai, LlmMetrics metrics, ILogger logger)
{
    public string Model => ai.Model;

    public async Task<LlmCallResult> AskAsync(string excerpt, string serviceName, string environment, string language, CancellationToken cancellationToken)
    {
        var prompt = LlmPrompt.Build(excerpt, serviceName, environment, language, ai.MaxInputTokens);
        var options = ChatOptions();
        var (reply, usage, modelId) = await CallAsync(prompt.Messages, options, cancellationToken).ConfigureAwait(false);
        var answer = LlmAnswerParser.TryParse(reply);
        if (answer is null)
        {
            LlmLog.RepairingReply(logger, ai.Model, reply.Length);
            var (repaired, repairUsage, _) = await CallAsync(prompt.WithRepairTurn(reply), options, cancellationToken).ConfigureAwait(false);
            usage = (usage.Total + repairUsage.Total, usage.Prompt + repairUsage.Prompt, usage.Completion + repairUsage.Completion);
            answer = LlmAnswerParser.TryParse(repaired);
            if (answer is null)
            {
                LlmLog.UnusableReply(logger, ai.Model);
            }
        }

        return new LlmCallResult(answer ?? LlmAnswer.Unusable, usage.Total, modelId, usage.Prompt, usage.Completion);
    }

    /// <summary>The reply's text, its token usage, and the model the server says answered (a tag may resolve to a version).</summary>
    private async Task<(string Text, (int Total, int Prompt, int Completion) Usage, string ModelId)> CallAsync(IReadOnlyList<ChatMessage> messages, ChatOptions options, CancellationToken cancellationToken)
    {
        var response = await resilience.ExecuteAsync(
            async ct =>
            {
                try
                {
                    var reply = await chat.GetResponseAsync(messages, options, ct).ConfigureAwait(false);
                    metrics.Call("ok");
                    return reply;
                }
                catch (Exception ex)
                {
                    metrics.Call(LlmFailures.Reason(ex)); // each attempt, retries included
                    throw;
                }
            },
            cancellationToken).ConfigureAwait(false);
        var usage = response.Usage;
        var tokens = (int)Math.Min(int.MaxValue, usage?.TotalTokenCount ?? ((usage?.InputTokenCount ?? 0) + (usage?.OutputTokenCount ?? 0)));
        metrics.TokensUsed(usage?.InputTokenCount ?? 0, usage?.OutputTokenCount ?? 0);
        var prompt = (int)Math.Min(int.MaxValue, usage?.InputTokenCount ?? 0);
        var completion = (int)Math.Min(int.MaxValue, usage?.OutputTokenCount ?? 0);
        return (response.Text ?? "", (tokens, prompt, completion), string.IsNullOrWhiteSpace(response.ModelId) ? ai.Model : response.ModelId);
    }

    private ChatOptions ChatOptions() => new()
    {
        ModelId = ai.Model,
        Temperature = (float)ai.Temperature,
        MaxOutputTokens = ai.MaxTokens,
        ResponseFormat = ai.StructuredOutput.Trim().ToLowerInvariant() switch
        {
            "none" => null,
            "json" => ChatResponseFormat.Json,
            _ => ChatResponseFormat.ForJsonSchema(LlmPrompt.AnswerSchema, "bifrost_analysis", "Analysis of one log excerpt"),
        },
    };
}
