using Xunit.Abstractions;
namespace Bifrost.Tests.Faults;

/// <summary>The `bifrost serve` process itself fails or changes: killed, stopped, joined by a second instance.</summary>
[Collection(FaultsCollection.Name)]
public sealed class ServiceFaultTests(ITestOutputHelper output)
{
    private static readonly string[] Serve = ["serve", "--urls", "http://127.0.0.1:0"];

    [Fact]
    public async Task Sigkill_ThreeTimesMidStream_EveryRequestAnsweredOnceStoredIdenticalResults()
    {
        await using var run = await FaultRun.CreateAsync(output);
        var env = run.Environment();
        var stream = run.NextBatch(500, poisonEvery: 50);
        var producing = run.ProducePacedAsync(stream, TimeSpan.FromSeconds(12));
        var service = BifrostProcess.Start(env, Serve);
        try
        {
            foreach (var threshold in new[] { 60, 160, 280 })
            {
                await run.WaitForResultsAsync(threshold, TimeSpan.FromSeconds(60));
                Assert.True(run.DistinctResults >= threshold, $"no progress before kill at {threshold}:\n{service.Output}");
                service.Kill();
                await service.WaitForExitAsync(TimeSpan.FromSeconds(10));
                output.WriteLine($"SIGKILL after {run.DistinctResults} results");
                service.Dispose();
                service = BifrostProcess.Start(env, Serve);
            }

            await producing;
            var duplicates = await run.AssertNothingLostAsync(TimeSpan.FromSeconds(90));
            Assert.False(service.HasExited, service.Output);
            // At-least-once: a kill re-delivers only what was not committed yet (in flight + up to one auto-commit
            // interval), so a request is published at most once per life of the service: never more than kills + 1.
            var mostPerRequest = run.Results.Records.GroupBy(r => System.Text.Json.Nodes.JsonNode.Parse(r.Message.Value!)!["request_id"]!.GetValue<string>()).Max(g => g.Count());
            output.WriteLine($"{duplicates} duplicates; at most {mostPerRequest} results for one request");
            Assert.True(mostPerRequest <= 4, $"a request was published {mostPerRequest} times across 3 kills");
        }
        finally
        {
            service.Dispose();
        }
    }

    [Fact]
    public async Task Sigterm_UnderHeavyLoad_DrainsWithinTimeout_AndNothingIsReprocessedAfterRestart()
    {
        await using var run = await FaultRun.CreateAsync(output);
        var env = run.Environment(maxInFlight: 64);
        await run.ProduceAsync(run.NextBatch(1500));
        using (var first = BifrostProcess.Start(env, Serve))
        {
            await run.WaitForResultsAsync(200, TimeSpan.FromSeconds(60));
            var stopping = DateTime.UtcNow;
            first.Terminate();
            var exit = await first.WaitForExitAsync(TimeSpan.FromSeconds(30));
            var took = DateTime.UtcNow - stopping;
            output.WriteLine($"SIGTERM after {run.DistinctResults} results; exited {exit} after {took.TotalSeconds:0.0}s");
            Assert.Equal(0, exit);
            // kafka.shutdown_timeout_seconds is 5 (ServiceEnvironment); the host adds its own margin on top.
            Assert.True(took < TimeSpan.FromSeconds(5 + 10), $"shutdown took {took}");
            Assert.Contains("Drained; 0 records handed back", first.Output, StringComparison.Ordinal);
        }

        var before = run.Results.Count;
        using var second = BifrostProcess.Start(env, Serve);
        var duplicates = await run.AssertNothingLostAsync(TimeSpan.FromSeconds(90));
        output.WriteLine($"{before} results before the restart");
        // Everything done before SIGTERM was acknowledged and committed in the drain: nothing is published twice,
        // and at most the last uncommitted batch (max_in_flight) is analysed a second time.
        Assert.Equal(0, duplicates);
        var reprocessed = (await run.StoredAsync()).Where(s => s.Value.Attempts > 1).ToList();
        if (reprocessed.Count > 0)
        {
            output.WriteLine($"{reprocessed.Count} analyses took more than one attempt: {string.Join(", ", reprocessed.Take(5))}");
            output.WriteLine(string.Join("\n", second.Output.Split('\n').Where(l => l.Contains("warn", StringComparison.Ordinal) && !l.Contains("pausing", StringComparison.Ordinal)).Take(20)));
        }

        Assert.True(reprocessed.Count <= 64, $"{reprocessed.Count} analyses repeated after a graceful stop");
    }

    [Fact]
    public async Task SecondInstance_JoinsAndLeavesMidRun_RebalancesWithoutLoss()
    {
        await using var run = await FaultRun.CreateAsync(output);
        var env = run.Environment();
        var producing = run.ProducePacedAsync(run.NextBatch(600, poisonEvery: 60), TimeSpan.FromSeconds(30));
        using var first = BifrostProcess.Start(env, Serve);
        await run.WaitForResultsAsync(60, TimeSpan.FromSeconds(60));
        using (var second = BifrostProcess.Start(env, Serve))
        {
            // Joining triggers a rebalance: wait until the newcomer owns partitions, then let both work for a while.
            await WaitForAsync(() => second.Output.Contains("Partitions assigned", StringComparison.Ordinal), TimeSpan.FromSeconds(90));
            Assert.Contains("Partitions assigned", second.Output, StringComparison.Ordinal);
            var joined = run.DistinctResults;
            output.WriteLine($"second instance joined after {joined} results");
            await run.WaitForResultsAsync(Math.Min(run.RequestCount, joined + 80), TimeSpan.FromSeconds(60));
            second.Terminate();
            Assert.Equal(0, await second.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            output.WriteLine($"second instance left after {run.DistinctResults} results");
        }

        await producing;
        await run.AssertNothingLostAsync(TimeSpan.FromSeconds(90));
        Assert.False(first.HasExited, first.Output);
        Assert.True(CountOf(first.Output, "Partitions assigned") >= 2, "the first instance never took the partitions back:\n" + first.Output);
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
    }

    private static int CountOf(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
