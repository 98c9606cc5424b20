namespace Bifrost.Api.Keys;

/// <summary>One stored API key (never the key itself: its prefix for humans, its hash for checks).</summary>
/// <param name="Scope">write (analyse + read) or read (history, results, live events only).</param>
public sealed record ApiKeyRecord(long Id, string Name, string Prefix, string Scope, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public bool IsRevoked => RevokedAt is not null;
}

public static class ApiKeyScopes
{
    public const string Write = "write";
    public const string Read = "read";

    public static bool IsValid(string scope) => scope is Write or Read;
}
