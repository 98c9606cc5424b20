using System.Text.Json;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Microsoft.Playwright;

namespace Bifrost.Tests.Dashboard;

[Collection(DashboardCollection.Name)]
public class DlqViewTests(BrowserFixture browser)
{
    [Fact]
    public async Task DlqView_ListsPoisonRecordRedacted_AndRedriveSendsOriginalBytesBackToRequestTopic()
    {
        await using var host = await DashboardHost.StartAsync();
        var requestId = "dlq-" + Guid.NewGuid().ToString("N");
        // A poison request as the pipeline dead-letters it: no log_content, and a secret in another field.
        var payload = new JsonObject
        {
            ["request_id"] = requestId,
            ["log_id"] = 9001,
            ["service_name"] = "payments",
            ["environment"] = "prod",
            ["correlation_id"] = "corr-" + requestId,
            ["metadata"] = new JsonObject { ["note"] = "owner alice.kim@example.com, retry later" },
        };
        var envelope = new JsonObject
        {
            ["error_code"] = "SCHEMA_VIOLATION",
            ["error_message"] = "log_content: required field is missing",
            ["failed_at"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ"),
            ["attempts"] = 1,
            ["original_topic"] = host.RequestTopic,
            ["original_partition"] = 1,
            ["original_offset"] = 17,
            ["original_timestamp"] = null,
            ["original_key"] = "payments-key",
            ["consumer_group"] = "bifrost-consumer-group",
            ["request_id"] = requestId,
            ["correlation_id"] = "corr-" + requestId,
            ["log_id"] = 9001,
            ["payload"] = payload,
            ["payload_raw"] = null,
        };
        using (var producer = KafkaTestClients.Producer())
        {
            await producer.ProduceAsync(host.DlqTopic, new Message<string?, string> { Key = "payments-key", Value = envelope.ToJsonString() });
        }

        var page = await browser.NewPageAsync();
        await page.GotoAsync(host.DashboardUrl + "#/dlq");

        var row = page.Locator("#dlq-rows tr.row[data-code='SCHEMA_VIOLATION']");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToContainTextAsync("log_content: required field is missing");
        await Assertions.Expect(row).ToContainTextAsync(requestId);
        await row.ClickAsync();
        var preview = page.Locator("#dlq-rows tr.payload-row pre").First;
        await Assertions.Expect(preview).ToContainTextAsync(requestId);
        Assert.DoesNotContain("alice.kim@example.com", await preview.InnerTextAsync());

        var redrive = row.Locator("button.redrive");
        await redrive.ClickAsync();
        await Assertions.Expect(redrive).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("armed"));
        await redrive.ClickAsync();
        await Assertions.Expect(page.Locator(".toast")).ToContainTextAsync(host.RequestTopic);

        var redriven = KafkaTestClients.ConsumeUntil(host.RequestTopic, r => r.Message.Value.Contains(requestId, StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        Assert.NotNull(redriven);
        Assert.Equal("payments-key", redriven.Message.Key);
        // The exact original object, secret included: re-drive must not alter the message it sends back.
        Assert.True(JsonNode.DeepEquals(payload, JsonNode.Parse(redriven.Message.Value)));
    }

    [Fact]
    public async Task DlqApi_UnknownOffset_Answers404ProblemDetails()
    {
        await using var host = await DashboardHost.StartAsync();
        using var http = new HttpClient { BaseAddress = host.BaseUrl };

        var response = await http.PostAsync("/api/v1/dlq/0/123456/redrive", null);

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(404, problem.RootElement.GetProperty("status").GetInt32());
    }
}
