using System.Diagnostics.Metrics;
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
    private readonly MeterListener listener = new();
    private readonly Dictionary<string, long> measurements = new(StringComparer.Ordinal);

    private LlmRig(AnalyzerSelection selection)
    {
        this.selection = selection;
        var factory = selection.Services.GetRequiredService<IMeterFactory>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == LlmMetrics.MeterName && instrument.Meter.Scope == factory)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            lock (measurements)
            {
                measurements[instrument.Name] = measurements.GetValueOrDefault(instrument.Name) + value;
            }
        });
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) =>
        {
            lock (measurements)
            {
                measurements[instrument.Name] = value; // gauges: last observed value
            }
        });
        listener.Start();
    }

    public IAnalyzer Analyzer => selection.Analyzer;

    public static LlmRig Create(string mode, string baseUrl, string provider = "ollama", params (string Key, string Value)[] settings)
    {
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

    /// <summary>Sum of a counter (or last value of a gauge) of meter Bifrost.Llm in this rig.</summary>
    public long Metric(string name)
    {
        listener.RecordObservableInstruments();
        lock (measurements)
        {
            return measurements.GetValueOrDefault(name);
        }
    }

    public async ValueTask DisposeAsync()
    {
        listener.Dispose();
        await selection.DisposeAsync();
    }
}
