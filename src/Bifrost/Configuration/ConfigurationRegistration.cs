
namespace Bifrost.Configuration;

internal static class ConfigurationRegistration
{
    /// <summary>config.yaml + .env + environment + command line (old key names mapped to new ones), and the shared sections bound and validated.</summary>
    public static WebApplicationBuilder AddBifrostConfiguration(this WebApplicationBuilder builder, string? configFile, IReadOnlyDictionary<string, string>? environment, string[] args)
    {
        if (environment is null)
        {
            DotEnv.LoadIntoProcess(Path.Combine(Directory.GetCurrentDirectory(), ".env"));
            environment = BifrostConfiguration.ProcessEnvironment();
        }

        var env = environment;
        var file = BifrostConfiguration.ResolveConfigFile(configFile, name => env.TryGetValue(name, out var v) ? v : null, Directory.GetCurrentDirectory());
        builder.Configuration.AddBifrostSources(file, environment);
        builder.Configuration.AddCommandLine(args);
        var commandLine = new ConfigurationBuilder().AddCommandLine(args).Build().AsEnumerable().ToDictionary(StringComparer.OrdinalIgnoreCase);
        var moved = new Dictionary<string, string?>(commandLine, StringComparer.OrdinalIgnoreCase);
        DeprecatedKeys.MapInto(moved);
        builder.Configuration.AddInMemoryCollection(moved.Where(kv => !commandLine.ContainsKey(kv.Key)));

        // The sections several capabilities read; each other section is registered by the capability that owns it.
        builder.AddBifrostSection<KafkaOptions, KafkaOptionsValidator>(KafkaOptions.Section);
        builder.AddBifrostSection<HeimdallOptions, HeimdallOptionsValidator>(HeimdallOptions.Section);
        builder.AddBifrostSection<AnalysisOptions, AnalysisOptionsValidator>(AnalysisOptions.Section);
        builder.AddBifrostSection<AiOptions, AiOptionsValidator>(AiOptions.Section);
        builder.AddBifrostSection<LoggingOptions, LoggingOptionsValidator>(LoggingOptions.Section);
        builder.Services.AddHostedService<DeprecatedKeysWarning>();
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }

    /// <summary>Console logs as text or JSON (<c>logging.format</c> / LOG_FORMAT), scopes included, level from <c>logging.level</c> / LOG_LEVEL.</summary>
    public static WebApplicationBuilder AddBifrostLogging(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        if (LoggingOptions.ParseLevel(config["logging:level"]) is { } level && string.IsNullOrEmpty(config["Logging:LogLevel:Default"]))
        {
            config["Logging:LogLevel:Default"] = level.ToString();
        }

        config["Logging:LogLevel:Microsoft.AspNetCore"] ??= "Warning";
        config["Logging:LogLevel:Microsoft.Hosting.Lifetime"] ??= "Information";
        builder.Logging.ClearProviders();
        if (string.Equals(config["logging:format"], "json", StringComparison.OrdinalIgnoreCase))
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.IncludeScopes = true;
                o.SingleLine = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            });
        }

        return builder;
    }
}
