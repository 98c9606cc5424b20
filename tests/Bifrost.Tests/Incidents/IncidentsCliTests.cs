using System.Text.Json;
using Bifrost.Storage;
using Bifrost.Tests.Notifications;

namespace Bifrost.Tests.Incidents;

/// <summary>The built `bifrost` executable's incidents, export and notify commands, against a SQLite file and a real HTTP receiver.</summary>
public sealed class IncidentsCliTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bifrost-cli-").FullName;
    private string Db => Path.Combine(_dir, "b.db");

    public async Task InitializeAsync()
    {
        var store = DatabaseUrl.CreateStore("sqlite:" + Db);
        await store.MigrateAsync(default);
        var t0 = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeMilliseconds());
        FinishedAnalysis Finished(int i, string service, string fingerprint)
        {
            var at = t0.AddSeconds(i);
            var request = new NewAnalysis($"cli-{i}", "c", i, service, "prod", "HIGH", "error", "analysis.result", "{}", "ERROR x", AnalysisSources.Rest, at, at);
            return new FinishedAnalysis(request, at, at, new AnalysisResultData($"Pool exhausted in {service}.", "cause", "1. Raise the pool.", "HIGH", 0.8,
                "database.pool_exhausted", fingerprint, "[]", "builtin", "builtin", 0.001, 0, false, false, at));
        }

        await store.SaveCompletedManyAsync([.. Enumerable.Range(0, 25).Select(i => Finished(i, i < 20 ? "orders" : "billing", i < 20 ? "fp-pool" : "fp-other"))], default);
        await ((IAsyncDisposable)store).DisposeAsync();
    }

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    private static async Task<(int Code, string Output)> RunAsync(params string[] args)
    {
        using var process = BifrostProcess.Start(new Dictionary<string, string>(), args);
        var code = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (code, process.Output);
    }

    [Fact]
    public async Task Incidents_ListShowResolveMuteReopen()
    {
        var (code, output) = await RunAsync("incidents", "list", "--database", "sqlite:" + Db);
        Assert.True(code == 0, output);
        Assert.Contains("2 incident(s)", output, StringComparison.Ordinal);
        var (_, json) = await RunAsync("incidents", "list", "--service", "orders", "--json", "--database", "sqlite:" + Db);
        var orders = JsonDocument.Parse(json.Trim()).RootElement;
        Assert.Equal((20, "open"), (orders.GetProperty("count").GetInt32(), orders.GetProperty("status").GetString()));
        var id = orders.GetProperty("incident_id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);

        (code, output) = await RunAsync("incidents", "resolve", id, "--database", "sqlite:" + Db);
        Assert.Equal(0, code);
        Assert.StartsWith($"incident {id}: resolved", output, StringComparison.Ordinal);
        (code, output) = await RunAsync("incidents", "mute", id, "--for", "2h", "--database", "sqlite:" + Db);
        Assert.Equal(0, code);
        Assert.StartsWith($"incident {id}: muted until ", output, StringComparison.Ordinal);
        (code, output) = await RunAsync("incidents", "reopen", id, "--json", "--database", "sqlite:" + Db);
        Assert.Equal("open", JsonDocument.Parse(output.Trim()).RootElement.GetProperty("status").GetString());

        Assert.Equal(2, (await RunAsync("incidents", "mute", id, "--for", "forever", "--database", "sqlite:" + Db)).Code);
        Assert.Equal(2, (await RunAsync("incidents", "mute", id, "--for", "45d", "--database", "sqlite:" + Db)).Code);
        (code, output) = await RunAsync("incidents", "show", "424242", "--database", "sqlite:" + Db);
        Assert.Equal(1, code);
        Assert.Contains("no incident with id 424242", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_AnalysesAndIncidents_ToFiles_WithFilters()
    {
        var analyses = Path.Combine(_dir, "a.jsonl");
        var (code, output) = await RunAsync("export", "analyses", "--format", "jsonl", "--service", "orders", "-o", analyses, "--database", "sqlite:" + Db);
        Assert.True(code == 0, output);
        Assert.Contains("20 row(s) written", output, StringComparison.Ordinal);
        var rows = File.ReadAllLines(analyses).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(20, rows.Count);
        Assert.All(rows, r => Assert.Equal("orders", r.GetProperty("request").GetProperty("service_name").GetString()));

        var incidents = Path.Combine(_dir, "i.csv");
        (code, output) = await RunAsync("export", "incidents", "--format", "csv", "-o", incidents, "--database", "sqlite:" + Db);
        Assert.True(code == 0, output);
        var lines = File.ReadAllLines(incidents);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("incident_id,status,severity,service_name,", lines[0], StringComparison.Ordinal);

        (code, output) = await RunAsync("export", "analyses", "--format", "xml", "--database", "sqlite:" + Db);
        Assert.Equal(2, code);
        Assert.Contains("--format must be csv or jsonl", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotifyTest_PostsASignedSampleToTheChannel_AndSaysWhatItAnswered()
    {
        await using var receiver = await Receiver.StartAsync();
        var config = Path.Combine(_dir, "config.yaml");
        await File.WriteAllTextAsync(config, $"""
            notify:
              channels:
                hook:
                  type: webhook
                  url: {receiver.Url}
                  secret: {NotificationTestHost.Secret}
                dead:
                  type: slack
                  url: http://127.0.0.1:1/services/x
            """);

        var (code, output) = await RunAsync("notify", "test", "hook", "--config", config);
        Assert.True(code == 0, output);
        Assert.Contains("sent a test notification to hook (webhook, 127.0.0.1): HTTP 200", output, StringComparison.Ordinal);
        var sample = Assert.Single(receiver.Requests);
        NotificationPipelineTests.AssertSigned(sample);
        Assert.Equal("incident.test", sample.Json["event"]!.GetValue<string>());

        (code, output) = await RunAsync("notify", "test", "dead", "--config", config);
        Assert.Equal(1, code);
        Assert.Contains("dead (slack, 127.0.0.1) did not take the test notification", output, StringComparison.Ordinal);
        (code, output) = await RunAsync("notify", "test", "nope", "--config", config);
        Assert.Equal(2, code);
        Assert.Contains("no channel 'nope' under notify.channels (configured: dead, hook)", output, StringComparison.Ordinal);

        await File.WriteAllTextAsync(config, "notify:\n  channels:\n    pd:\n      type: pagerduty\n");
        (code, output) = await RunAsync("notify", "test", "pd", "--config", config);
        Assert.Equal(2, code);
        Assert.Contains("invalid configuration: notify.channels.pd.routing_key must not be empty", output, StringComparison.Ordinal);
    }
}
