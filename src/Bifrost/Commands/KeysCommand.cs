using System.CommandLine;
using System.Globalization;
using Bifrost.Api.Keys;
using Bifrost.Configuration;

namespace Bifrost.Commands;

/// <summary>
/// <c>bifrost keys create|list|revoke</c>: manage API keys straight in the database — deliberately not over
/// HTTP, so creating a key never depends on an endpoint that would itself need a key.
/// </summary>
internal static class KeysCommand
{
    public static Command Create()
    {
        var database = new Option<string?>("--database") { Description = "database URL (default: database.url from --config / $BIFROST_CONFIG / ./config.yaml / $DATABASE_URL, as for serve)" };
        var config = new Option<FileInfo?>("--config") { Description = "config.yaml to read the database from" };
        var name = new Argument<string>("name") { Description = "who or what the key is for" };
        var scope = new Option<string>("--scope") { Description = "write (analyse + read) or read", DefaultValueFactory = _ => ApiKeyScopes.Write };
        var id = new Argument<string>("key") { Description = "key id or prefix as shown by `keys list`" };

        var create = new Command("create", "Create a key and print it once.") { name, scope, database, config };
        create.SetAction((parse, ct) => CreateAsync(Store(parse.GetValue(database), parse.GetValue(config)), parse.GetValue(name)!, parse.GetValue(scope)!, Console.Out, ct));
        var list = new Command("list", "List keys (prefix, scope, created, revoked).") { database, config };
        list.SetAction((parse, ct) => ListAsync(Store(parse.GetValue(database), parse.GetValue(config)), Console.Out, ct));
        var revoke = new Command("revoke", "Revoke a key by id or prefix.") { id, database, config };
        revoke.SetAction((parse, ct) => RevokeAsync(Store(parse.GetValue(database), parse.GetValue(config)), parse.GetValue(id)!, Console.Out, ct));

        return new Command("keys", "Manage API keys for the HTTP, WebSocket and gRPC API.") { create, list, revoke };
    }

    public static async Task<int> CreateAsync(ApiKeyStore store, string name, string scope, TextWriter output, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            await output.WriteLineAsync("error: name must not be empty").ConfigureAwait(false);
            return 2;
        }

        if (!ApiKeyScopes.IsValid(scope))
        {
            await output.WriteLineAsync($"error: --scope must be {ApiKeyScopes.Write} or {ApiKeyScopes.Read}, not '{scope}'").ConfigureAwait(false);
            return 2;
        }

        var (record, key) = await store.CreateAsync(name.Trim(), scope, DateTimeOffset.UtcNow, ct).ConfigureAwait(false);
        await output.WriteLineAsync($"id:     {record.Id}").ConfigureAwait(false);
        await output.WriteLineAsync($"name:   {record.Name}").ConfigureAwait(false);
        await output.WriteLineAsync($"scope:  {record.Scope}").ConfigureAwait(false);
        await output.WriteLineAsync($"key:    {key}").ConfigureAwait(false);
        await output.WriteLineAsync("Store the key now: only its hash is kept, it cannot be shown again.").ConfigureAwait(false);
        return 0;
    }

    public static async Task<int> ListAsync(ApiKeyStore store, TextWriter output, CancellationToken ct)
    {
        var keys = await store.ListAsync(ct).ConfigureAwait(false);
        await output.WriteLineAsync($"{"ID",-6} {"PREFIX",-14} {"SCOPE",-6} {"CREATED",-20} {"REVOKED",-20} NAME").ConfigureAwait(false);
        foreach (var k in keys)
        {
            var revoked = k.RevokedAt?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "-";
            await output.WriteLineAsync($"{k.Id,-6} {k.Prefix,-14} {k.Scope,-6} {k.CreatedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),-20} {revoked,-20} {k.Name}").ConfigureAwait(false);
        }

        return 0;
    }

    public static async Task<int> RevokeAsync(ApiKeyStore store, string idOrPrefix, TextWriter output, CancellationToken ct)
    {
        var count = await store.RevokeAsync(idOrPrefix.Trim(), DateTimeOffset.UtcNow, ct).ConfigureAwait(false);
        if (count == 0)
        {
            await output.WriteLineAsync($"error: no active key matches '{idOrPrefix}'").ConfigureAwait(false);
            return 1;
        }

        await output.WriteLineAsync($"revoked {count} key(s) matching '{idOrPrefix}'").ConfigureAwait(false);
        return 0;
    }

    /// <summary>The key store in the database `serve` would use: --database, else the same configuration sources as serve.</summary>
    private static ApiKeyStore Store(string? database, FileInfo? configFile)
    {
        if (database is null)
        {
            var environment = BifrostConfiguration.ProcessEnvironment();
            var file = BifrostConfiguration.ResolveConfigFile(configFile?.FullName, n => environment.TryGetValue(n, out var v) ? v : null, Directory.GetCurrentDirectory());
            database = BifrostConfiguration.Build(file, environment)["database:url"];
        }

        return new ApiKeyStore(KeyDatabase.FromUrl(database));
    }
}
