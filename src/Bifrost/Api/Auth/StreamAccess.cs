using System.Globalization;
using System.Security.Claims;
using Bifrost.Api.Keys;
using Microsoft.Extensions.Options;

namespace Bifrost.Api.Auth;

/// <summary>
/// Keeps long-lived calls (WebSocket <c>/ws</c>, gRPC <c>Watch</c> and <c>AnalyzeStream</c>) under the same authority
/// as requests: a key is checked when a call opens, so a key revoked later (<c>bifrost keys revoke</c>, from any
/// process) must also end the calls it opened. Each stream re-reads its key every <c>api.key_cache_seconds</c>
/// (1–60 s), the same delay after which REST starts answering 401.
/// </summary>
public sealed partial class StreamAccess(ApiKeyStore keys, IOptions<ApiOptions> options, TimeProvider time, ILogger<StreamAccess> logger)
{
    public TimeSpan CheckInterval => TimeSpan.FromSeconds(Math.Clamp(options.Value.KeyCacheSeconds, 1, 60));

    /// <summary>
    /// A token for the stream's work: cancelled when <paramref name="streamEnded"/> is, or when the caller's key is
    /// revoked (then <see cref="Lease.Revoked"/> is true). Keyless callers have nothing to revoke.
    /// </summary>
    public Lease Open(ClaimsPrincipal user, CancellationToken streamEnded)
    {
        ArgumentNullException.ThrowIfNull(user);
        var lease = new Lease(streamEnded);
        if (user.FindFirst(ApiKeyAuthenticationHandler.KeyIdClaim)?.Value is { } claim
            && long.TryParse(claim, NumberStyles.None, CultureInfo.InvariantCulture, out var keyId))
        {
            lease.Watch(WaitUntilRevokedAsync(keyId, lease.Token));
        }

        return lease;
    }

    private async Task<bool> WaitUntilRevokedAsync(long keyId, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(CheckInterval, time);
        while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
        {
            try
            {
                if (await keys.FindByIdAsync(keyId, ct).ConfigureAwait(false) is not { IsRevoked: false })
                {
                    LogRevoked(logger, keyId);
                    return true;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database being briefly unreachable is no reason to cut every stream; the next tick asks again.
                LogCheckFailed(logger, keyId, ex.Message);
            }
        }

        return false;
    }

    /// <summary>One stream's authority; dispose it when the stream ends.</summary>
    public sealed class Lease : IDisposable
    {
        private readonly CancellationTokenSource _stop;

        internal Lease(CancellationToken streamEnded) => _stop = CancellationTokenSource.CreateLinkedTokenSource(streamEnded);

        public CancellationToken Token => _stop.Token;

        /// <summary>The caller's key was revoked while the stream was open.</summary>
        public bool Revoked { get; private set; }

        internal void Watch(Task<bool> revoked)
        {
            // Set before the token is cancelled, so a callback registered on Token sees it.
            _ = revoked.ContinueWith(
                t =>
                {
                    if (!t.IsCompletedSuccessfully || !t.Result) return;
                    Revoked = true;
                    try
                    {
                        _stop.Cancel();
                    }
                    catch (ObjectDisposedException)
                    {
                        // The stream ended at the same moment.
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        public void Dispose()
        {
            try
            {
                _stop.Cancel();
            }
            finally
            {
                _stop.Dispose();
            }
        }
    }

    [LoggerMessage(EventId = 5010, Level = LogLevel.Information, Message = "API key {KeyId} was revoked: closing the stream it opened")]
    private static partial void LogRevoked(ILogger logger, long keyId);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Warning, Message = "Could not re-check API key {KeyId} for an open stream (kept open, checked again later): {Error}")]
    private static partial void LogCheckFailed(ILogger logger, long keyId, string error);
}
