using System.CommandLine;
using Bifrost.Incidents;
using Bifrost.Notifications;

namespace Bifrost.Commands;

/// <summary><c>bifrost notify test CHANNEL</c>: posts a sample message to a configured channel, as the service would, and says what it answered.</summary>
internal static class NotifyCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config") { Description = "config.yaml with the notify.channels section (default: as for serve)" };
        var channel = new Argument<string>("channel") { Description = "a name under notify.channels" };
        var test = new Command("test", "Send a sample notification to a channel.") { channel, config };
        test.SetAction((parse, ct) => KafkaCli.GuardAsync(() => TestAsync(Options(parse.GetValue(config)), parse.GetValue(channel)!, Console.Out, Console.Error, ct)));
        return new Command("notify", "Notification channels.") { test };
    }

    private static NotifyOptions Options(FileInfo? configFile)
    {
        var options = CliConfiguration.Load(configFile).GetSection(NotifyOptions.Section).Get<NotifyOptions>() ?? new NotifyOptions();
        var result = new NotifyOptionsValidator().Validate(null, options);
        if (result.Failed)
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException(NotifyOptions.Section, typeof(NotifyOptions), result.Failures);
        }

        return options;
    }

    public static async Task<int> TestAsync(NotifyOptions options, string name, TextWriter output, TextWriter error, CancellationToken ct)
    {
        if (!options.Channels.TryGetValue(name, out var channelOptions))
        {
            await error.WriteLineAsync($"error: no channel '{name}' under notify.channels (configured: {(options.Channels.Count == 0 ? "none" : string.Join(", ", options.Channels.Keys.Order(StringComparer.Ordinal)))})").ConfigureAwait(false);
            return 2;
        }

        var channel = new NotificationChannel(name, channelOptions, options.DashboardUrl);
        var now = DateTimeOffset.UtcNow;
        var sample = new NotificationMessage(0, "test", IncidentStatus.Open, "Bifrost test notification: if you can read this, the channel works.", "LOW", "bifrost",
            ["test"], "unknown", 1, now, now, "Nothing to do.", [], "test", NotificationMessage.LinkTo(options.DashboardUrl, 0));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds) };
        var outcome = await channel.SendAsync(http, new Delivery(0, [sample]), now, ct).ConfigureAwait(false);
        if (outcome.Delivered)
        {
            await output.WriteLineAsync($"sent a test notification to {name} ({channel.Type}, {channel.Url.Host}): HTTP {outcome.StatusCode}").ConfigureAwait(false);
            return 0;
        }

        await error.WriteLineAsync($"error: {name} ({channel.Type}, {channel.Url.Host}) did not take the test notification: {outcome.Error}{(outcome.Permanent ? " (check the URL, key or secret)" : "")}").ConfigureAwait(false);
        return 1;
    }
}
