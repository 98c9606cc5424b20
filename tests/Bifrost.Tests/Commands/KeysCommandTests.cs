using System.Net;
using Bifrost.Api.Keys;
using Bifrost.Commands;

namespace Bifrost.Tests.Api;

/// <summary>`bifrost keys create|list|revoke` against the real PostgreSQL, and the API honouring the result.</summary>
public sealed class KeysCommandTests
{
    [Fact]
    public async Task CreateListRevoke_OnPostgres_AndTheApiFollows()
    {
        var store = new ApiKeyStore(KeyDatabase.FromUrl(TestServices.Postgres));
        var name = "ci-" + Guid.NewGuid().ToString("N")[..8];

        var created = new StringWriter();
        Assert.Equal(0, await KeysCommand.CreateAsync(store, name, ApiKeyScopes.Write, created, CancellationToken.None));
        var key = created.ToString().Split('\n').Single(l => l.StartsWith("key:", StringComparison.Ordinal))["key:".Length..].Trim();
        Assert.StartsWith(ApiKeySecret.Tag, key);
        Assert.True(key.Length >= 40);

        var listed = new StringWriter();
        Assert.Equal(0, await KeysCommand.ListAsync(store, listed, CancellationToken.None));
        var row = listed.ToString().Split('\n').Single(l => l.Contains(name, StringComparison.Ordinal));
        Assert.Contains(ApiKeySecret.PrefixOf(key), row);
        Assert.DoesNotContain(key, listed.ToString()); // never the key itself
        Assert.Contains(" - ", row); // not revoked

        // The database holds only the hash.
        var record = await store.FindByHashAsync(ApiKeySecret.Hash(key), CancellationToken.None);
        Assert.NotNull(record);
        Assert.Equal(name, record.Name);

        await using var host = await TestHost.StartApiAsync(databaseUrl: TestServices.Postgres);
        using var client = host.Client(key);
        using (var before = await client.GetAsync("/api/v1/analyses?limit=1")) Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        var revoked = new StringWriter();
        Assert.Equal(0, await KeysCommand.RevokeAsync(store, ApiKeySecret.PrefixOf(key), revoked, CancellationToken.None));
        Assert.Contains("revoked 1", revoked.ToString());
        Assert.True((await store.FindByHashAsync(ApiKeySecret.Hash(key), CancellationToken.None))!.IsRevoked);

        using (var after = await client.GetAsync("/api/v1/analyses?limit=1")) await RestApiTests.AssertProblem(after, HttpStatusCode.Unauthorized);

        var again = new StringWriter();
        Assert.Equal(1, await KeysCommand.RevokeAsync(store, ApiKeySecret.PrefixOf(key), again, CancellationToken.None));
        Assert.Contains("no active key", again.ToString());
    }

    [Fact]
    public async Task Create_RejectsBadScopeAndEmptyName()
    {
        var store = new ApiKeyStore(KeyDatabase.FromUrl(TestServices.Postgres));
        var output = new StringWriter();
        Assert.Equal(2, await KeysCommand.CreateAsync(store, "x", "admin", output, CancellationToken.None));
        Assert.Equal(2, await KeysCommand.CreateAsync(store, "  ", ApiKeyScopes.Read, output, CancellationToken.None));
        Assert.Contains("--scope", output.ToString());
    }
}
