using System.Diagnostics;
using Xunit.Abstractions;

namespace Bifrost.Tests.Faults;

/// <summary>What the service depends on fails: the broker dies, the database stops, the network to the broker is cut.</summary>
[Collection(FaultsCollection.Name)]
public sealed class InfrastructureFaultTests(ITestOutputHelper output)
{
    private static readonly string[] Serve = ["serve", "--urls", "http://127.0.0.1:0"];

    [Fact]
    public async Task KafkaBrokerKilledAndRestartedMidStream_ServiceReconnectsAndCatchesUp()
    {
        await using var run = await FaultRun.CreateAsync(output);
        await run.ProduceAsync(run.NextBatch(400, poisonEvery: 40));
        using var service = BifrostProcess.Start(run.Environment(maxInFlight: 16), Serve);
        try
        {
            await run.WaitForResultsAsync(60, TimeSpan.FromSeconds(60));
            await ServicesScript.RunAsync("kafka-stop", "KILL");
            output.WriteLine($"broker SIGKILLed after {run.DistinctResults} results");
            await Task.Delay(TimeSpan.FromSeconds(5));
        }
        finally
        {
            await ServicesScript.RunAsync("kafka-start");
        }

        output.WriteLine("broker restarted");
        await run.ProduceAsync(run.NextBatch(100));
        await run.AssertNothingLostAsync(TimeSpan.FromSeconds(120));
        Assert.False(service.HasExited, service.Output);
    }

    [Fact]
    public async Task PostgresStoppedFor30Seconds_ProcessingPausesAndResumes_NothingSkipped()
    {
        await using var run = await FaultRun.CreateAsync(output);
        await run.ProduceAsync(run.NextBatch(400, poisonEvery: 40));
        using var service = BifrostProcess.Start(run.Environment(maxInFlight: 16), Serve);
        int duringEarly, duringLate;
        try
        {
            await run.WaitForResultsAsync(60, TimeSpan.FromSeconds(60));
            await ServicesScript.RunAsync("pg-stop", "fast");
            var stopped = Stopwatch.StartNew();
            output.WriteLine($"PostgreSQL stopped after {run.DistinctResults} results");
            await Task.Delay(TimeSpan.FromSeconds(5));
            duringEarly = run.DistinctResults;
            await Task.Delay(TimeSpan.FromSeconds(30) - stopped.Elapsed);
            duringLate = run.DistinctResults;
        }
        finally
        {
            await ServicesScript.RunAsync("pg-start");
        }

        output.WriteLine($"PostgreSQL restarted; {duringEarly} results 5 s into the outage, {duringLate} at its end");
        // Nothing can complete without the store: processing pauses (no result, no DLQ record, no skipped offset)…
        Assert.Equal(duringEarly, duringLate);
        Assert.DoesNotContain(run.Dlq.Records, r => !System.Text.Encoding.UTF8.GetString(r.Message.Value!).Contains("poison-", StringComparison.Ordinal));
        // …and resumes once the database is back (storage retries back off to at most 30 s).
        await run.AssertNothingLostAsync(TimeSpan.FromSeconds(120));
        Assert.False(service.HasExited, service.Output);
    }

    [Fact]
    public async Task NetworkToBrokerCutFor15Seconds_ServiceRecoversWithoutLoss()
    {
        await using var run = await FaultRun.CreateAsync(output);
        using var ns = NetworkNamespace.Create();
        var kafkaPort = int.Parse(TestServices.Kafka.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);
        var pgPort = new Uri(TestServices.Postgres).Port;
        using var kafka = new LoopbackProxy(ns, kafkaPort);
        using var postgres = new LoopbackProxy(ns, pgPort);
        await run.ProduceAsync(run.NextBatch(300, poisonEvery: 50));
        using var service = BifrostProcess.StartThrough(["ip", "netns", "exec", ns.Name], run.Environment(maxInFlight: 16), Serve);

        await run.WaitForResultsAsync(60, TimeSpan.FromSeconds(60));
        Assert.True(run.DistinctResults >= 60, "the namespaced service made no progress through the proxy:\n" + service.Output);
        kafka.Cut();
        output.WriteLine($"network to the broker cut after {run.DistinctResults} results");
        await run.ProduceAsync(run.NextBatch(100)); // arrives while the service cannot see the broker
        await Task.Delay(TimeSpan.FromSeconds(15));
        var duringCut = run.DistinctResults;
        kafka.Restore();
        output.WriteLine($"network restored; {duringCut} results at the end of the cut");

        try
        {
            await run.AssertNothingLostAsync(TimeSpan.FromSeconds(120));
        }
        catch
        {
            output.WriteLine(string.Join('\n', service.Output.Split('\n').Where(l => !l.Contains("CONFWARN", StringComparison.Ordinal)).TakeLast(80)));
            throw;
        }

        Assert.False(service.HasExited, service.Output);
    }
}
