using System.Net;
using Microsoft.Data.Sqlite;

namespace Bifrost.Tests.Api;

/// <summary>A database error while serving is a 503 problem with Retry-After, not a bare 500.</summary>
public sealed class DatabaseFailureTests
{
    [Fact]
    public async Task StoreError_Is503ProblemWithRetryAfter()
    {
        await using var host = await TestHost.StartApiAsync();
        using var client = host.Client(await host.CreateKeyAsync());
        using (var ok = await client.GetAsync("/api/v1/analyses")) Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        // Break the analyses table underneath the running server (the key table stays).
        await using (var connection = new SqliteConnection($"Data Source={host.SqliteFile}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "ALTER TABLE analyses RENAME TO analyses_gone";
            await command.ExecuteNonQueryAsync();
        }

        using var failed = await client.GetAsync("/api/v1/analyses");
        var problem = await RestApiTests.AssertProblem(failed, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("Database unavailable", problem.GetProperty("title").GetString());
        Assert.NotNull(failed.Headers.RetryAfter);
    }
}
