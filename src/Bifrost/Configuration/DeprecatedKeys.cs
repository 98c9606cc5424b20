namespace Bifrost.Configuration;

/// <summary>
/// Keys that moved, still accepted under their old names: in each configuration layer (config.yaml, environment,
/// command line) an old key stands for its new one unless that layer sets the new one too, so precedence between
/// layers is unchanged. <c>serve</c> logs one warning per old key at start.
/// </summary>
public static class DeprecatedKeys
{
    /// <summary>Old key → new key (configuration paths, ':' separated).</summary>
    public static readonly IReadOnlyDictionary<string, string> Moved = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["heimdall:callback_topic"] = "kafka:topics:result",
        ["heimdall:timeout_seconds"] = "analysis:timeout_seconds",
        ["heimdall:retry_attempts"] = "analysis:retry_attempts",
        ["heimdall:retry_backoff_seconds"] = "analysis:retry_backoff_seconds",
    };

    /// <summary>Adds the new key for every old one in <paramref name="layer"/> that the layer does not set itself.</summary>
    public static void MapInto(IDictionary<string, string?> layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        foreach (var (old, current) in Moved)
        {
            if (layer.TryGetValue(old, out var value) && !layer.ContainsKey(current))
            {
                layer[current] = value;
            }
        }
    }

    /// <summary>The old keys <paramref name="configuration"/> sets, as written in config.yaml (dotted).</summary>
    public static IEnumerable<(string Old, string Current)> FoundIn(IConfiguration configuration) =>
        Moved.Where(kv => configuration[kv.Key] is not null).Select(kv => (Dotted(kv.Key), Dotted(kv.Value)));

    private static string Dotted(string key) => key.Replace(':', '.');
}

/// <summary>Says once at start which deprecated keys are in use and what replaces them.</summary>
internal sealed partial class DeprecatedKeysWarning(IConfiguration configuration, ILogger<DeprecatedKeysWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var (old, current) in DeprecatedKeys.FoundIn(configuration))
        {
            LogDeprecated(old, current);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Configuration key {OldKey} is deprecated: use {NewKey} (the old key is still read when the new one is not set)")]
    private partial void LogDeprecated(string oldKey, string newKey);
}
