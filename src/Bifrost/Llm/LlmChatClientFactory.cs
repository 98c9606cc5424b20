using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.Http.Headers;
using Bifrost.Configuration;
using Microsoft.Extensions.AI;
using OllamaSharp;
using OpenAI;
using OpenAI.Chat;

namespace Bifrost.Llm;

/// <summary>
/// Builds the <see cref="IChatClient"/> for <c>ai.provider</c>: Ollama's native <c>/api/chat</c> (OllamaSharp) or any
/// OpenAI-compatible <c>/v1/chat/completions</c> server (OpenAI SDK + Microsoft.Extensions.AI.OpenAI): OpenAI, Azure
/// OpenAI, vLLM, llama.cpp server, LM Studio. Retries and timeouts are Bifrost's (see <see cref="LlmResilience"/>),
/// so the SDKs' own are switched off.
/// </summary>
internal static class LlmChatClientFactory
{
    public const string ApiKeyEnvironmentVariable = "AI_API_KEY";

    /// <param name="environmentKey">Fall back to AI_API_KEY when <c>api_key</c> is empty: the default provider only, so the
    /// default's key never reaches a profile's server.</param>
    public static IChatClient Create(AiOptions ai, HttpMessageHandler? transport = null, bool environmentKey = true)
    {
        if (string.IsNullOrWhiteSpace(ai.BaseUrl))
        {
            throw new InvalidOperationException("ai.base_url is required for the llm and hybrid modes");
        }

        var baseUrl = new Uri(ai.BaseUrl.TrimEnd('/') + "/", UriKind.Absolute);
        var http = new HttpClient(new LlmHttpErrorHandler(transport ?? DefaultTransport()), disposeHandler: true)
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var apiKey = environmentKey ? ApiKey(ai) : string.IsNullOrWhiteSpace(ai.ApiKey) ? null : ai.ApiKey.Trim();
        switch (ai.Provider.Trim().ToLowerInvariant())
        {
            case "ollama":
                http.BaseAddress = baseUrl;
                if (apiKey is not null)
                {
                    // Ollama itself has no auth; a reverse proxy in front of it often wants a bearer token.
                    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
                }

                return new OllamaApiClient(http, ai.Model);
            case "openai":
                var options = new OpenAIClientOptions
                {
                    Endpoint = baseUrl.AbsolutePath == "/" ? new Uri(baseUrl, "v1") : new Uri(baseUrl.ToString().TrimEnd('/')),
                    Transport = new HttpClientPipelineTransport(http),
                    RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
                    NetworkTimeout = Timeout.InfiniteTimeSpan,
                };
                // Local servers (vLLM, llama.cpp, LM Studio) ignore the key, but the SDK requires one.
                return new ChatClient(ai.Model, new ApiKeyCredential(apiKey ?? "no-key"), options).AsIChatClient();
            default:
                throw new InvalidOperationException($"ai.provider must be ollama or openai, not '{ai.Provider}'");
        }
    }

    /// <summary><c>ai.api_key</c>, else the <c>AI_API_KEY</c> environment variable.</summary>
    public static string? ApiKey(AiOptions ai)
    {
        var key = string.IsNullOrWhiteSpace(ai.ApiKey) ? Environment.GetEnvironmentVariable(ApiKeyEnvironmentVariable) : ai.ApiKey;
        return string.IsNullOrWhiteSpace(key) ? null : key.Trim();
    }

    private static SocketsHttpHandler DefaultTransport() => new()
    {
        ConnectTimeout = TimeSpan.FromSeconds(5),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    };
}
