using Microsoft.Extensions.Configuration;

namespace Bifrost.Configuration;

/// <summary>
/// Where configuration comes from, lowest precedence first: option defaults → config.yaml (with
/// <c>${VAR:default}</c>) → the well-known variables (KAFKA_BOOTSTRAP_SERVERS, DATABASE_URL, AI_MODEL,
/// AI_API_KEY, LOG_LEVEL, LOG_FORMAT) → any key in .NET form (<c>kafka__bootstrap_servers</c>) → the same with a
/// <c>BIFROST_</c> prefix → command-line switches. A <c>.env</c> file in the working directory is loaded into
/// the environment first (without overriding variables that are set).
/// </summary>
public static class BifrostConfiguration
{
    public const string ConfigFileVariable = "BIFROST_CONFIG";

    private static readonly Dictionary<string, string> WellKnown = new(StringComparer.Ordinal)
    {
        ["KAFKA_BOOTSTRAP_SERVERS"] = "kafka:bootstrap_servers",
        ["DATABASE_URL"] = "database:url",
        ["AI_MODEL"] = "ai:model",
        ["AI_API_KEY"] = "ai:api_key",
        ["LOG_LEVEL"] = "logging:level",
        ["LOG_FORMAT"] = "logging:format",
    };

    /// <summary><c>--config</c>, else $BIFROST_CONFIG, else ./config.yaml when it exists, else none (embedded defaults).</summary>
    public static string? ResolveConfigFile(string? explicitPath, Func<string, string?> environment, string currentDirectory)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var path = !string.IsNullOrEmpty(explicitPath) ? explicitPath : environment(ConfigFileVariable);
        if (!string.IsNullOrEmpty(path))
        {
            var full = Path.GetFullPath(path, currentDirectory);
            return File.Exists(full) ? full : throw new ConfigurationException("config", $"config file not found: {full}");
        }

        var local = Path.Combine(currentDirectory, "config.yaml");
        return File.Exists(local) ? local : null;
    }

    /// <summary>Adds config.yaml and the environment overrides to <paramref name="builder"/>.</summary>
    public static IConfigurationBuilder AddBifrostSources(this IConfigurationBuilder builder, string? configFile, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(environment);
        string? Lookup(string name) => environment.TryGetValue(name, out var v) ? v : null;
        if (configFile is not null)
        {
            // Parse now so a syntax error stops start-up with its line number, not at first use.
            var data = YamlConfigurationProvider.Flatten(File.ReadAllText(configFile), Lookup, Path.GetFileName(configFile));
            DeprecatedKeys.MapInto(data);
            builder.AddInMemoryCollection(data);
        }

        var wellKnown = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var dotnetStyle = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var prefixed = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in environment)
        {
            if (WellKnown.TryGetValue(name, out var key) && value.Length > 0)
            {
                wellKnown[key] = value;
                if (key == "logging:level" && LoggingOptions.ParseLevel(value) is { } level)
                {
                    wellKnown["Logging:LogLevel:Default"] = level.ToString();
                }
            }

            if (name.Contains("__", StringComparison.Ordinal))
            {
                var configKey = name.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal);
                if (name.StartsWith("BIFROST_", StringComparison.OrdinalIgnoreCase))
                {
                    prefixed[configKey["BIFROST_".Length..]] = value;
                }
                else
                {
                    dotnetStyle[configKey] = value;
                }
            }
        }

        DeprecatedKeys.MapInto(dotnetStyle);
        DeprecatedKeys.MapInto(prefixed);
        return builder.AddInMemoryCollection(wellKnown).AddInMemoryCollection(dotnetStyle).AddInMemoryCollection(prefixed);
    }

    public static IReadOnlyDictionary<string, string> ProcessEnvironment()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            result[(string)entry.Key] = entry.Value as string ?? "";
        }

        return result;
    }

    /// <summary>Everything the Bifrost sections need, for tests and tools that do not build a host.</summary>
    public static IConfiguration Build(string? configFile, IReadOnlyDictionary<string, string> environment) =>
        new ConfigurationBuilder().AddBifrostSources(configFile, environment).Build();
}
