using Bifrost.Analyzers;
using Bifrost.FakeLlm;
using Bifrost.Llm;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bifrost.Tests.Llm;

/// <summary>An analyzer built by the service's own registration, pointed at a fake LLM server by configuration only.</summary>
internal sealed class LlmRig : IAsyncDisposable
{
    private readonly AnalyzerSelection selection;

    private LlmRig(AnalyzerSelection selection) => this.selection = selection;

    public IAnalyzer Analyzer => selection.Analyzer;

    public static LlmRig Create(string mode, string baseUrl, string provider = "ollama", params (string Key, string Value)[] settings)
    {
        EngineWarmUp.Ensure();
        var values = new Dictionary<string, string?>
        {
            ["ai:mode"] = mode,
            ["ai:provider"] = provider,
            ["ai:base_url"] = baseUrl,
            ["ai:model"] = "mistral-7b",
            ["ai:timeout"] = "5",
            ["ai:retry_attempts"] = "1",
        };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return new LlmRig(AnalyzerSelection.Create(null, configuration));
    }

    public static LlmRig Create(string mode, FakeLlmServer server, string provider = "ollama", params (string Key, string Value)[] settings) =>
        Create(mode, provider == "openai" ? server.OpenAiBaseUrl : server.BaseUrl.ToString(), provider, settings);

    public Task<AnalyzerOutcome> AnalyzeAsync(string excerpt, string priority = "NORMAL", string service = "checkout", string language = "en") =>
        Analyzer.AnalyzeAsync(new AnalyzerRequest(excerpt, service, "production", priority, language), CancellationToken.None);

    /// <summary>This analyzer's own counts of what it recorded on the Bifrost.Llm instruments.</summary>
    public LlmMetrics Metrics => selection.Services.GetRequiredService<LlmMetrics>();

    public ValueTask DisposeAsync() => selection.DisposeAsync();
}

/// <summary>
/// Runs the built-in engine once, single-threaded, before any test analyses concurrently: its regexes have short
/// match timeouts (a timeout degrades to "no match") that a cold JIT on a loaded 2-core machine can exceed, which
/// would change what the engine recognises. These tests are about the LLM path, not the engine's first run.
/// </summary>
internal static class EngineWarmUp
{
    private static readonly Lazy<bool> Done = new(() =>
    {
        var engine = new Bifrost.Analysis.LogAnalyzer();
        foreach (var excerpt in new[]
        {
            "2026-11-12 10:30:15 ERROR [checkout] java.lang.OutOfMemoryError: Java heap space\n\tat com.shop.Cart.add(Cart.java:42)",
            "ERROR [orders] org.postgresql.util.PSQLException: FATAL: sorry, too many clients already",
            "2026-11-12T10:01:15Z ERROR [payments] Connection refused: connect to 10.0.1.2:5432 after 1001 ms (request 1)",
            "ERROR [ledger] reconciliation batch finished with mismatched totals",
            "ERROR [api] upstream returned 503 Service Unavailable",
        })
        {
            engine.Analyze(new Bifrost.Analysis.AnalysisInput(excerpt, "svc", "production"));
        }

        return true;
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    public static void Ensure() => _ = Done.Value;

}
