using System.CommandLine;
using System.Runtime.InteropServices;
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
            // The host listens for SIGTERM/SIGINT only once it starts; one arriving while it is built is a stop too.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, RequestStop);
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, RequestStop);
            await using var app = BifrostHost.Build(configFile, args);
            ConfigurationCheck.Run(app.Services);
            await RunUntilStoppedAsync(app, stop.Token).ConfigureAwait(false);
            return 0;

            void RequestStop(PosixSignalContext signal)
            {
                signal.Cancel = true;
                stop.Cancel();
            }
        }
        catch (Exception ex) when (ConfigurationErrors.Describe(ex) is { } line)
        {
            await error.WriteLineAsync($"invalid configuration: {line}").ConfigureAwait(false);
            return InvalidConfiguration;
        }
    }

    /// <summary>
    /// Starts the host and waits for it to stop. A stop asked for during start-up (SIGTERM while the database is
    /// awaited or the server binds; the host's console lifetime turns it into StopApplication) ends the start and
    /// then stops what had started, the Kafka worker's drain included, like any other stop: exit 0, not a failed
    /// start. <paramref name="cancellationToken"/> is a stop request too.
    /// </summary>
    internal static async Task RunUntilStoppedAsync(WebApplication app, CancellationToken cancellationToken)
    {
        var lifetime = app.Lifetime;
        using var stopOnCancel = cancellationToken.Register(lifetime.StopApplication);
        try
        {
            await app.StartAsync(lifetime.ApplicationStopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // Stopped while starting: fall through to the stop below.
        }

        // Returns once StopApplication was called and the host has stopped (at once if it was called already).
        await app.WaitForShutdownAsync(CancellationToken.None).ConfigureAwait(false);
    }
}
