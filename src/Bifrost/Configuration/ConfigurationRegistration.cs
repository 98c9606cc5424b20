using Microsoft.Extensions.Options;

namespace Bifrost.Configuration;

internal static class ConfigurationRegistration
{
    /// <summary>config.yaml + .env + environment overrides, and every options section bound, validated on start.</summary>
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

        var services = builder.Services;
        services.AddOptions<KafkaOptions>().BindConfiguration(KafkaOptions.Section).ValidateOnStart();
        services.AddOptions<HeimdallOptions>().BindConfiguration(HeimdallOptions.Section).ValidateOnStart();
        services.AddOptions<AiOptions>().BindConfiguration(AiOptions.Section).ValidateOnStart();
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateOnStart();
        services.AddOptions<LoggingOptions>().BindConfiguration(LoggingOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<KafkaOptions>, KafkaOptionsValidator>();
        services.AddSingleton<IValidateOptions<HeimdallOptions>, HeimdallOptionsValidator>();
        services.AddSingleton<IValidateOptions<AiOptions>, AiOptionsValidator>();
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();
        services.AddSingleton<IValidateOptions<LoggingOptions>, LoggingOptionsValidator>();
        services.AddSingleton(TimeProvider.System);
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
