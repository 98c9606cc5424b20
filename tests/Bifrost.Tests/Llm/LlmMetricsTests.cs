using System.Diagnostics.Metrics;
using Bifrost.FakeLlm;
using Bifrost.Telemetry;

namespace Bifrost.Tests.Llm;

/// <summary>The LLM path records on the shared Bifrost.Llm instruments that /metrics and OTLP export.</summary>
public class LlmMetricsTests
{
    [Fact]
    public async Task CallsTokensCacheLookupsAndFallbacks_AreRecordedOnTheBifrostLlmMeter()
    {
        var model = $"metrics-{Guid.NewGuid():N}"; // instruments are process-wide: tell this test's measurements apart
        var seen = new Dictionary<string, long>(StringComparer.Ordinal);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == BifrostMetrics.LlmMeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var key = instrument.Name + string.Concat(tags.ToArray().Where(t => t.Key is "outcome" or "type" or "result" or "reason").Select(t => $"|{t.Value}"));
            var mine = instrument.Name is "bifrost.llm.calls" or "bifrost.llm.tokens" ? tags.ToArray().Any(t => Equals(t.Value, model)) : true;
            if (mine)
            {
                lock (seen)
                {
                    seen[key] = seen.GetValueOrDefault(key) + value;
                }
            }
        });
        listener.Start();

        await using var server = await FakeLlmServer.StartAsync();
        await using var rig = LlmRig.Create("llm", server, "ollama", ("ai:model", model));
        await rig.AnalyzeAsync("ERROR [ledger] reconciliation batch finished with mismatched totals");
        await rig.AnalyzeAsync("ERROR [ledger] reconciliation batch finished with mismatched totals");

        lock (seen)
        {
            Assert.Equal(1, seen.GetValueOrDefault("bifrost.llm.calls|ok"));
            Assert.True(seen.GetValueOrDefault("bifrost.llm.tokens|input") > 0);
            Assert.True(seen.GetValueOrDefault("bifrost.llm.tokens|output") > 0);
            Assert.True(seen.GetValueOrDefault("bifrost.llm.cache.lookups|hit") >= 1);
            Assert.True(seen.GetValueOrDefault("bifrost.llm.cache.lookups|miss") >= 1);
            Assert.Equal(rig.Metrics.Tokens, seen.Where(kv => kv.Key.StartsWith("bifrost.llm.tokens", StringComparison.Ordinal)).Sum(kv => kv.Value));
        }

        Assert.Equal(1, rig.Metrics.CacheHits);
    }
}
