using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Bifrost.Api.V1;
using Bifrost.Pipeline;
using Bifrost.Storage;
using Bifrost.Tests.Api;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using static Bifrost.Tests.Security.HostileInputs;

namespace Bifrost.Tests.Security;

/// <summary>
/// Issue 14 #2/#4: secrets in service_name, environment, metadata and the excerpt never reach the answer, the stored
/// row, the history, the WebSocket feed, the result topic or the CLI's output, whatever channel brought them.
/// </summary>
[Trait("Suite", "Hostile")]
public sealed class RequestFieldRedactionTests
{
    private static object RestBody(string? requestId = null) => new
    {
        log_content = Secrets.Log,
        service_name = Secrets.Service,
        environment = Secrets.Environment,
        priority = "high",
        request_id = requestId,
        metadata = Secrets.Metadata,
    };

    [Fact]
    public async Task Rest_EveryFieldRedacted_InAnswerStoreHistoryAndFeed()
    {
        await using var host = await TestHost.StartApiAsync(new() { ["api:rate_limit_per_window"] = "0" });
        var key = await host.CreateKeyAsync();
        await using var ws = await LiveClient.ConnectAsync(host, key);
        await ws.SendAsync(new { type = "subscribe", all = true });
        Assert.Equal("subscribed", (await ws.ReceiveAsync()).GetProperty("type").GetString());
        using var client = host.Client(key);

        using var answer = await client.PostAsJsonAsync("/api/v1/analysis", RestBody());
        var body = await answer.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Empty(Secrets.In(body));
        var id = JsonDocument.Parse(body).RootElement.GetProperty("analysis_id").GetInt64();

        var feed = await ws.ReceiveUntilAsync(m => LiveClient.IsAnalysis(m, id, "COMPLETED"));
        Assert.Empty(Secrets.In(string.Join('\n', feed.Select(m => m.GetRawText()))));
        Assert.Empty(Secrets.In(await client.GetStringAsync($"/api/v1/analysis/result/{id}")));
        Assert.Empty(Secrets.In(await client.GetStringAsync("/api/v1/analyses")));
        Assert.Empty(Secrets.In(await client.GetStringAsync("/api/v1/patterns")));
        await AssertStoredCleanAsync(host.Services.GetRequiredService<IAnalysisStore>(), id);

        // What is kept is still evidence: key names, the version, the service's own name.
        var metadata = (await RestApiTests.Json(await client.GetAsync($"/api/v1/analysis/result/{id}"))).GetProperty("request").GetProperty("metadata");
        Assert.Equal("1.4.2", metadata.GetProperty("build").GetString());
        Assert.True(metadata.TryGetProperty("password", out _));
        Assert.StartsWith("payments-", JsonDocument.Parse(body).RootElement.GetProperty("request").GetProperty("service_name").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rest_AcceptedRequest_IsRedactedBeforeItWaitsInTheQueue()
    {
        await using var host = await TestHost.StartApiAsync(new() { ["api:rate_limit_per_window"] = "0" });
        using var client = host.Client(await host.CreateKeyAsync());
        using var accepted = await client.PostAsJsonAsync("/api/v1/analysis/request", RestBody());
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var id = (await RestApiTests.Json(accepted)).GetProperty("analysis_id").GetInt64();
        await AssertStoredCleanAsync(host.Services.GetRequiredService<IAnalysisStore>(), id);
    }

    [Fact]
    public async Task Grpc_EveryFieldRedacted()
    {
        await using var host = await TestHost.StartApiAsync(new() { ["api:rate_limit_per_window"] = "0" }, grpc: true);
        using var channel = GrpcChannel.ForAddress(host.Grpc!);
        var client = new Bifrost.Api.V1.Analysis.AnalysisClient(channel);
        var request = new AnalyzeRequest { LogContent = Secrets.Log, ServiceName = Secrets.Service, Environment = Secrets.Environment };
        request.Metadata.Add("password", Secrets.Password);
        request.Metadata.Add("owner", Secrets.Email);
        request.Metadata.Add("hook", Secrets.SlackWebhook);
        var record = await client.AnalyzeAsync(request, new Metadata { { "x-api-key", await host.CreateKeyAsync() } });
        Assert.Empty(Secrets.In(record.ToString()));
        await AssertStoredCleanAsync(host.Services.GetRequiredService<IAnalysisStore>(), record.AnalysisId);
    }

    [Fact]
    public async Task Kafka_EveryFieldRedacted_InTheResultAndTheStore_DeepMetadataToTheDlqWithTheReason()
    {
        await using var db = await TestDatabase.CreateAsync();
        var (requestTopic, resultTopic, dlqTopic) = (KafkaTestClient.UniqueTopic("request"), KafkaTestClient.UniqueTopic("result"), KafkaTestClient.UniqueTopic("dlq"));
        using var results = new TopicCollector(TestServices.Kafka, resultTopic);
        using var dead = new TopicCollector(TestServices.Kafka, dlqTopic);
        await using var bifrost = await TestHost.StartAsync(KafkaTestClient.ServiceEnvironment(TestServices.Kafka, db.Url, requestTopic, resultTopic, dlqTopic));

        var secretRequest = JsonSerializer.SerializeToUtf8Bytes(new
        {
            request_id = "kafka-secrets-1",
            correlation_id = "corr-secrets-1",
            log_id = 41,
            log_content = Secrets.Log,
            service_name = Secrets.Service,
            environment = Secrets.Environment,
            metadata = Secrets.Metadata,
        });
        var deep = Encoding.UTF8.GetBytes($$"""{"request_id":"kafka-deep-1","correlation_id":"c","log_id":42,"log_content":"ERROR x","service_name":"s","environment":"prod","metadata":{{NestedObject(62)}}}""");
        await KafkaTestClient.ProduceAsync(TestServices.Kafka, requestTopic, [(null, secretRequest), (null, deep)]);

        var result = Assert.Single(await results.WaitForAsync(1, TimeSpan.FromSeconds(60)));
        Assert.Empty(Secrets.In(Encoding.UTF8.GetString(result.Message.Value!)));
        var store = bifrost.Services.GetRequiredService<IAnalysisStore>();
        var stored = await store.GetByRequestIdAsync("kafka-secrets-1", default);
        Assert.NotNull(stored);
        await AssertStoredCleanAsync(store, stored.Id);

        var letter = JsonDocument.Parse(Assert.Single(await dead.WaitForAsync(1, TimeSpan.FromSeconds(60))).Message.Value!).RootElement;
        Assert.Equal("kafka-deep-1", letter.GetProperty("request_id").GetString());
        Assert.Contains("metadata", letter.GetProperty("error_message").GetString(), StringComparison.Ordinal);
        Assert.Contains("nested", letter.GetProperty("error_message").GetString(), StringComparison.Ordinal);
        Assert.Null(await store.GetByRequestIdAsync("kafka-deep-1", default));
    }

    [Fact]
    public void Cli_Analyze_RedactsTheExcerptAndTheServiceName()
    {
        using var output = new StringWriter();
        Bifrost.Commands.AnalyzeCommand.Run(Secrets.Log, output, format: "json", service: Secrets.Service, environment: Secrets.Environment);
        Assert.NotEmpty(output.ToString());
        Assert.Empty(Secrets.In(output.ToString()));
    }

    [Fact]
    public void Boundary_RedactsEveryTextField_AndIsIdempotent()
    {
        var raw = new AnalysisSubmission("r-1", "c-1", 1, Secrets.Log, Secrets.Service, Secrets.Environment,
            AnalysisType: "error " + Secrets.StripeKey, MetadataJson: JsonSerializer.Serialize(Secrets.Metadata), Source: AnalysisSources.Kafka);
        var admitted = SubmissionBoundary.Admit(raw);
        Assert.Empty(Secrets.In(string.Join('\n', admitted.LogContent, admitted.ServiceName, admitted.Environment, admitted.AnalysisType, admitted.MetadataJson)));
        Assert.Same(admitted, SubmissionBoundary.Admit(admitted));
        Assert.Equal(admitted.RequestHash, SubmissionBoundary.Admit(raw).RequestHash);
        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(admitted.MetadataJson).RootElement.ValueKind);
    }

    private static async Task AssertStoredCleanAsync(IAnalysisStore store, long id)
    {
        var stored = await store.GetAsync(id, default);
        Assert.NotNull(stored);
        var r = stored.Request;
        var row = string.Join('\n', r.ServiceName, r.Environment, r.MetadataJson, r.LogContent, r.AnalysisType,
            stored.Result?.Summary, stored.Result?.RootCause, stored.Result?.Recommendation, stored.Result?.EvidenceJson, stored.Error);
        Assert.Empty(Secrets.In(row));
    }
}
