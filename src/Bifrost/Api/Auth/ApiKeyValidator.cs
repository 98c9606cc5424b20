using System.Collections.Concurrent;
using Bifrost.Api.Keys;
using Microsoft.Extensions.Options;

namespace Bifrost.Api.Auth;

/// <summary>
/// Checks a presented key against the store, remembering answers for <c>api.key_cache_seconds</c> so a busy
/// client costs one hash per request, not one database round trip. Revocation therefore takes effect within
/// that many seconds.
/// </summary>
public sealed class ApiKeyValidator(ApiKeyStore store, IOptions<ApiOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (ApiKeyRecord? Record, DateTimeOffset Expires)> _cache = new(StringComparer.Ordinal);

    /// <summary>The active key record, or null when the key is unknown or revoked.</summary>
    public async ValueTask<ApiKeyRecord?> ValidateAsync(string key, CancellationToken ct)
    {
        if (!key.StartsWith(ApiKeySecret.Tag, StringComparison.Ordinal) || key.Length > 200) return null;
        var hash = ApiKeySecret.Hash(key);
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(hash, out var cached) && cached.Expires > now) return cached.Record;

        var record = await store.FindByHashAsync(hash, ct).ConfigureAwait(false);
        var active = record is { IsRevoked: false } ? record : null;
        var ttl = TimeSpan.FromSeconds(Math.Max(0, options.Value.KeyCacheSeconds));
        if (ttl > TimeSpan.Zero)
        {
            if (_cache.Count > 10_000) _cache.Clear(); // unknown keys from a scanner must not grow memory without bound
            _cache[hash] = (active, now + ttl);
        }

        return active;
    }
}
