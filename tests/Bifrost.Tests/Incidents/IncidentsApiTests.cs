using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bifrost.Api.Keys;
using Bifrost.Storage;
using Bifrost.Tests.Api;
using Microsoft.Extensions.DependencyInjection;

namespace Bifrost.Tests.Incidents;

/// <summary>Incidents and export over real HTTP against the running host (SQLite), with API keys required.</summary>
public sealed class IncidentsApiTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UtcNow.AddHours(-1);
    private TestHost _host = null!;
    private string _write = "";
    private string _read = "";

    public async Task InitializeAsync()
    {
        _host = await TestHost.StartApiAsync(new() { ["notify:dashboard_url"] = "https://bifrost.example.com/dashboard/" });
        _write = await _host.CreateKeyAsync();
        _read = await _host.CreateKeyAsync(ApiKeyScopes.Read);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static FinishedAnalysis Finished(int i, string service, string fingerprint, string environment = "prod", string severity = "HIGH", string? summary = null)
    {
        var at = T0.AddMilliseconds(i);
        at = DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds());
        var request = new NewAnalysis($"exp-{Guid.NewGuid():N}", "corr", i, service, environment, "HIGH", "error", "analysis.result", "{}", "ERROR x", AnalysisSources.Rest, at, at);
        return new FinishedAnalysis(request, at, at, new AnalysisResultData(summary ?? $"Failure {i} in {service}.", "cause", "1. Do the thing.", severity, 0.8,
            "database.pool_exhausted", fingerprint, "[]", "builtin", "builtin", 0.001, 0, false, false, at));
    }

    private Task SeedAsync(IEnumerable<FinishedAnalysis> analyses) =>
        _host.Services.GetRequiredService<IAnalysisStore>().SaveCompletedManyAsync([.. analyses], default);

    private async Task<JsonElement> IncidentAsync(HttpClient client, string service)
    {
        var list = await client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents?service={service}");
        return Assert.Single(list.GetProperty("items").EnumerateArray().ToList());
    }

    [Fact]
    public async Task Incidents_ListResolveMuteReopen_WithScopesAndErrors()
    {
        await SeedAsync([Finished(1, "api-a", "fp-a"), Finished(2, "api-a", "fp-a", "staging", "CRITICAL"), Finished(3, "api-b", "fp-a")]);
        using var read = _host.Client(_read);
        using var write = _host.Client(_write);
        using var anonymous = _host.Client();

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/incidents")).StatusCode);
        var a = await IncidentAsync(read, "api-a");
        var id = a.GetProperty("incident_id").GetInt64();
        Assert.Equal(("open", "CRITICAL", 2), (a.GetProperty("status").GetString(), a.GetProperty("severity").GetString(), a.GetProperty("count").GetInt32()));
        Assert.Equal(["prod", "staging"], a.GetProperty("environments").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["api-a", "api-b"], a.GetProperty("services").EnumerateArray().Select(e => e.GetString()));
        Assert.True(a.GetProperty("multi_service").GetBoolean());
        Assert.Equal($"https://bifrost.example.com/dashboard/#/incidents?id={id}", a.GetProperty("url").GetString());
        Assert.Equal(id, (await read.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}")).GetProperty("incident_id").GetInt64());

        Assert.Equal(HttpStatusCode.Forbidden, (await read.PostAsync($"/api/v1/incidents/{id}/resolve", null)).StatusCode);
        var resolved = await (await write.PostAsync($"/api/v1/incidents/{id}/resolve", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("resolved", "resolved"), (resolved.GetProperty("status").GetString(), resolved.GetProperty("last_transition").GetString()));
        Assert.Equal("resolved", (await read.GetFromJsonAsync<JsonElement>("/api/v1/incidents?status=resolved")).GetProperty("items")[0].GetProperty("status").GetString());

        var until = DateTimeOffset.UtcNow.AddHours(2);
        var muted = await (await write.PostAsJsonAsync($"/api/v1/incidents/{id}/mute", new { minutes = 120 })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("muted", muted.GetProperty("status").GetString());
        Assert.InRange(muted.GetProperty("muted_until").GetDateTimeOffset(), until.AddMinutes(-1), until.AddMinutes(1));
        var reopened = await (await write.PostAsync($"/api/v1/incidents/{id}/reopen", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("open", reopened.GetProperty("status").GetString());
        Assert.False(reopened.TryGetProperty("muted_until", out _));

        Assert.Equal(HttpStatusCode.NotFound, (await write.PostAsync("/api/v1/incidents/99999999/resolve", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await read.GetAsync("/api/v1/incidents/99999999")).StatusCode);
        foreach (var body in new object[] { new { }, new { minutes = -5 }, new { minutes = 60 * 24 * 31 }, new { until = DateTimeOffset.UtcNow.AddMinutes(-1) }, new { until = DateTimeOffset.UtcNow.AddHours(1), minutes = 5 } })
        {
            var bad = await write.PostAsJsonAsync($"/api/v1/incidents/{id}/mute", body);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await read.GetAsync("/api/v1/incidents?status=burning")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await read.GetAsync("/api/v1/incidents?severity=SEVERE")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await read.GetAsync("/api/v1/incidents?cursor=bm9wZQ==")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await read.GetAsync("/api/v1/incidents?limit=0")).StatusCode);
    }

    [Fact]
    public async Task AnalysesExport_StreamsEveryMatchingRow_CsvAndJsonl_WithTheHistoryFilters()
    {
        var service = "export-" + Guid.NewGuid().ToString("N")[..6];
        await SeedAsync(Enumerable.Range(0, 1100).Select(i => Finished(i, service, "fp-x", i % 4 == 0 ? "staging" : "prod")));
        await SeedAsync([
            Finished(2000, service, "fp-y", summary: "=HYPERLINK(\"http://evil\",\"click\"), with a comma"),
            Finished(2001, "someone-else", "fp-x"),
        ]);
        using var read = _host.Client(_read);

        using var csv = await read.GetAsync($"/api/v1/analyses/export?format=csv&service={service}", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Null(csv.Content.Headers.ContentLength); // streamed, not buffered
        Assert.Equal("analyses.csv", csv.Content.Headers.ContentDisposition?.FileNameStar ?? csv.Content.Headers.ContentDisposition?.FileName);
        var lines = (await csv.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("analysis_id,request_id,correlation_id,log_id,status,received_at,", lines[0], StringComparison.Ordinal);
        Assert.Equal(1 + 1101, lines.Length);
        // Formula injection neutralised, RFC 4180 quoting kept: the cell reads back as text.
        Assert.Contains(lines, l => l.Contains(",\"'=HYPERLINK(\"\"http://evil\"\",\"\"click\"\"), with a comma\",", StringComparison.Ordinal));

        var jsonl = await read.GetStringAsync($"/api/v1/analyses/export?format=jsonl&service={service}&environment=staging&fingerprint=fp-x");
        var rows = jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(275, rows.Count);
        Assert.All(rows, r => Assert.Equal(("staging", service), (r.GetProperty("request").GetProperty("environment").GetString(), r.GetProperty("request").GetProperty("service_name").GetString())));
        var ids = rows.Select(r => r.GetProperty("analysis_id").GetInt64()).ToList();
        Assert.Equal(ids.OrderDescending(), ids);
        Assert.Equal(275, ids.Distinct().Count());
        Assert.All(rows, r => Assert.False(r.GetProperty("request").TryGetProperty("log_content", out _)));

        Assert.Equal(10, (await read.GetStringAsync($"/api/v1/analyses/export?format=jsonl&service={service}&limit=10")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(HttpStatusCode.BadRequest, (await read.GetAsync("/api/v1/analyses/export?format=xml")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await read.GetAsync("/api/v1/analyses/export?format=csv&severity=SEVERE")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _host.Client().GetAsync("/api/v1/analyses/export?format=csv")).StatusCode);
    }

    [Fact]
    public async Task IncidentsExport_CsvAndJsonl()
    {
        var prefix = "inc-export-" + Guid.NewGuid().ToString("N")[..6];
        await SeedAsync(Enumerable.Range(0, 30).Select(i => Finished(i, $"{prefix}-{i % 6}", $"fp-{i % 2}")));
        using var read = _host.Client(_read);
        var jsonl = (await read.GetStringAsync("/api/v1/incidents/export?format=jsonl&fingerprint=fp-1")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement).Where(r => r.GetProperty("service_name").GetString()!.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        Assert.Equal(3, jsonl.Count); // services 1, 3, 5 saw fp-1
        Assert.All(jsonl, r => Assert.Equal(5, r.GetProperty("count").GetInt32()));
        var csv = (await read.GetStringAsync("/api/v1/incidents/export?format=csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("incident_id,status,severity,service_name,services,multi_service,environments,category,count,first_seen,last_seen,muted_until,resolved_at,fingerprint,summary,recommendation,latest_analysis_id,url", csv[0]);
        var ours = csv.Where(l => l.Contains($",{prefix}-", StringComparison.Ordinal)).ToList();
        Assert.Equal(6, ours.Count); // 6 services × the one fingerprint each saw
        Assert.All(ours, l => Assert.Contains(",true,prod,database.pool_exhausted,5,", l, StringComparison.Ordinal));
    }
}
