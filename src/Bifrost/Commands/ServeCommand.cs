using System.CommandLine;
using Bifrost.Configuration;

namespace Bifrost.Commands;

/// <summary><c>bifrost serve</c>: the long-running service (Kafka worker when configured, HTTP API).</summary>
internal static class ServeCommand
{
    /// <summary>Exit code for configuration that cannot work (one line on stderr names the key).</summary>
    public const int InvalidConfiguration = 2;

    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config") { Description = "config.yaml to read (default: $BIFROST_CONFIG, then ./config.yaml if present)" };
        var command = new Command("serve", "Run the service: Kafka worker (when kafka.bootstrap_servers is set) and the HTTP API.")
        {
            config,
        };
        // ASP.NET Core's own switches (--urls, --environment, ...) pass through to the host builder.
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(config)?.FullName, [.. parse.UnmatchedTokens], Console.Error, ct));
        return command;
    }

    public static async Task<int> RunAsync(string? configFile, string[] args, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            await using var app = BifrostHost.Build(configFile, args);
            ConfigurationCheck.Run(app.Services);
            await app.RunAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (Exception ex) when (ConfigurationErrors.Describe(ex) is { } line)
        {
            await error.WriteLineAsync($"invalid configuration: {line}").ConfigureAwait(false);
            return InvalidConfiguration;
        }
    }
}
