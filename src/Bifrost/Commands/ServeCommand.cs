using System.CommandLine;

namespace Bifrost.Commands;

/// <summary><c>bifrost serve</c>: the long-running service (Kafka worker when configured, HTTP API).</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config") { Description = "config.yaml to read (default: $BIFROST_CONFIG, then ./config.yaml if present)" };
        var command = new Command("serve", "Run the service: Kafka worker (when kafka.bootstrap_servers is set) and the HTTP API.")
        {
            config,
        };
        // ASP.NET Core's own switches (--urls, --environment, ...) pass through to the host builder.
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, ct) =>
        {
            var app = BifrostHost.Build(parse.GetValue(config)?.FullName, [.. parse.UnmatchedTokens]);
            await app.RunAsync(ct).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
