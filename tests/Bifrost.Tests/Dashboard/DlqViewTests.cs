using System.Text.Json;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Microsoft.Playwright;

namespace Bifrost.Tests.Dashboard;

[Collection(DashboardCollection.Name)]
public class DlqViewTests(BrowserFixture browser)
{
    [Fact]
    public async Task DlqView_ListsPoisonMessageRedacted_AndRedriveSendsItBackForReprocessing()
    {
        var topics = TestTopics.New();
        var requestId = "dlq-" + topics.Suffix;
        // A poison request: no log_content. It carries an e-mail address that must not reach the browser.
        var poison = new JsonObject
        {
            ["request_id"] = requestId,
            ["log_id"] = 9001,
            ["service_name"] = "payments",
            ["environment"] = "prod",
            ["correlation_id"] = "corr-" + requestId,
            ["metadata"] = new JsonObject { ["note"] = "owner alice.kim@example.com, retry later" },
        }.ToJsonString();
        using var producer = KafkaTestClient.Producer();
        await producer.ProduceAsync(topics.Request, new Message<string?, string> { Key = "payments-key", Value = poison });
        await using var host = await TestHost.StartPipelineAsync(topics: topics);

        var page = await browser.NewPageAsync();
        await using var context = page.Context;
        var errors = PageErrors.Track(page);
        await page.GotoAsync(host.DashboardUrl + "#/dlq");

        // The pipeline dead-letters it; the view shows it (refresh until it is there).
        var rows = page.Locator("#dlq-rows tr.row[data-code='SCHEMA_VIOLATION']");
        await RefreshUntilAsync(page, async () => await rows.CountAsync() >= 1);

        await Assertions.Expect(rows).ToHaveCountAsync(1);
        var row = rows.First;
        await Assertions.Expect(row).ToContainTextAsync("log_content");
        await Assertions.Expect(row).ToContainTextAsync(requestId);
        await row.ClickAsync();
        var preview = page.Locator("#dlq-rows tr.payload-row pre").First;
        await Assertions.Expect(preview).ToContainTextAsync(requestId);
        Assert.DoesNotContain("alice.kim@example.com", await preview.InnerTextAsync(), StringComparison.Ordinal);

        var redrive = row.Locator("button.redrive");
        await redrive.ClickAsync();
        await Assertions.Expect(redrive).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("armed"));
        await redrive.ClickAsync();
        await Assertions.Expect(page.Locator(".toast")).ToContainTextAsync(host.RequestTopic);

        // Back on the request topic: the original key and the exact original object, secret included.
        var copies = new List<ConsumeResult<string?, string>>();
        KafkaTestClient.ConsumeUntil(host.RequestTopic, r =>
        {
            if (r.Message.Value.Contains(requestId, StringComparison.Ordinal)) copies.Add(r);
            return copies.Count == 2;
        }, TimeSpan.FromSeconds(20));
        Assert.Equal(2, copies.Count);
        Assert.All(copies, c => Assert.Equal("payments-key", c.Message.Key));
        Assert.Equal(poison, copies[1].Message.Value);

        // ...and the pipeline processed it again: still poison, so a second dead letter, read from the re-driven offset.
        var again = page.Locator($"#dlq-rows tr.row[data-code='SCHEMA_VIOLATION']");
        await RefreshUntilAsync(page, async () => await again.CountAsync() >= 2);

        await Assertions.Expect(again).ToHaveCountAsync(2);
        await Assertions.Expect(again.First).ToContainTextAsync($"{host.RequestTopic}/{copies[1].Partition.Value}@{copies[1].Offset.Value}");
        errors.AssertNone();
    }

    /// <summary>Clicks the view's refresh until <paramref name="done"/>, each time waiting for the list to settle.</summary>
    private static async Task RefreshUntilAsync(IPage page, Func<Task<bool>> done)
    {
        var settled = page.Locator("#dlq-body[data-state='ready']");
        for (var i = 0; i < 60; i++)
        {
            await Assertions.Expect(settled).ToHaveCountAsync(1);
            if (await done())
            {
                return;
            }

            await page.WaitForTimeoutAsync(500);
            await page.Locator("#dlq-refresh").ClickAsync();
        }
    }

    [Fact]
    public async Task DlqApi_UnknownOffset_Answers404ProblemDetails()
    {
        await using var host = await TestHost.StartPipelineAsync();
        using var http = new HttpClient { BaseAddress = host.Http };

        var response = await http.PostAsync("/api/v1/dlq/0/123456/redrive", null);

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(404, problem.RootElement.GetProperty("status").GetInt32());
    }
}
