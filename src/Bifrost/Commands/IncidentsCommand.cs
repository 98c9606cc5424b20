using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Bifrost.Api;
using Bifrost.Api.Keys;
using Bifrost.Configuration;
using Bifrost.Incidents;
using Bifrost.Notifications;

namespace Bifrost.Commands;

/// <summary>
/// <c>bifrost incidents list|show|resolve|mute|reopen</c>: the on-call actions of the dashboard and REST API, straight
/// in the database <c>serve</c> uses (like <c>bifrost keys</c>), so they work from any shell with database access.
/// A resolve is a transition: the running service notifies the channels that can resolve (PagerDuty) as usual.
/// </summary>
internal static class IncidentsCommand
{
    public static Command Create()
    {
        var database = new Option<string?>("--database") { Description = "database URL (default: database.url from --config / $BIFROST_CONFIG / ./config.yaml / $DATABASE_URL, as for serve)" };
        var config = new Option<FileInfo?>("--config") { Description = "config.yaml to read the database and incident settings from" };
        var json = new Option<bool>("--json") { Description = "JSON (one object per incident, as the REST API returns it) instead of a table" };
        var id = new Argument<long>("id") { Description = "incident id (as listed)" };

        var status = new Option<string?>("--status") { Description = "open, regressed, muted, resolved, or active (open + regressed)" };
        var service = new Option<string?>("--service");
        var environment = new Option<string?>("--environment");
        var severity = new Option<string?>("--severity") { Description = "highest severity: LOW, MEDIUM, HIGH, CRITICAL" };
        var limit = new Option<int>("--limit") { DefaultValueFactory = _ => 50 };
        var list = new Command("list", "Incidents, open and regressed first.") { status, service, environment, severity, limit, json, database, config };
        list.SetAction((parse, ct) => KafkaCli.GuardAsync(() => ListAsync(Open(parse.GetValue(database), parse.GetValue(config)),
            new IncidentQuery(parse.GetValue(status)?.ToLowerInvariant(), parse.GetValue(service), parse.GetValue(environment), parse.GetValue(severity)?.ToUpperInvariant(), Limit: parse.GetValue(limit)),
            parse.GetValue(json), Console.Out, ct)));

        var show = new Command("show", "One incident.") { id, json, database, config };
        show.SetAction((parse, ct) => KafkaCli.GuardAsync(() => ChangeAsync(Open(parse.GetValue(database), parse.GetValue(config)), parse.GetValue(id), (s, i, now) => s.GetAsync(i, now, ct), true, Console.Out)));
        var resolve = new Command("resolve", "Resolve an incident (seen again, it regresses).") { id, json, database, config };
        resolve.SetAction((parse, ct) => KafkaCli.GuardAsync(() => ChangeAsync(Open(parse.GetValue(database), parse.GetValue(config)), parse.GetValue(id), (s, i, now) => s.ResolveAsync(i, now, ct), parse.GetValue(json), Console.Out)));
        var reopen = new Command("reopen", "Back to open from resolved or muted.") { id, json, database, config };
        reopen.SetAction((parse, ct) => KafkaCli.GuardAsync(() => ChangeAsync(Open(parse.GetValue(database), parse.GetValue(config)), parse.GetValue(id), (s, i, now) => s.ReopenAsync(i, now, ct), parse.GetValue(json), Console.Out)));

        var forOption = new Option<string?>("--for") { Description = "how long: 30m, 2h, 1d" };
        var untilOption = new Option<DateTimeOffset?>("--until") { Description = "until when (ISO-8601)" };
        var mute = new Command("mute", "Mute an incident for a while (counted, not notified); at most 30 days.") { id, forOption, untilOption, json, database, config };
        mute.SetAction((parse, ct) => KafkaCli.GuardAsync(async () =>
        {
            var now = DateTimeOffset.UtcNow;
            var request = parse.GetValue(forOption) is { } span
                ? (ParseDuration(span) is { } d ? new MuteRequest(Minutes: d.TotalMinutes) : null)
                : new MuteRequest(Until: parse.GetValue(untilOption));
            if (IncidentsApi.MuteEnd(request, now) is not { } until)
            {
                await Console.Error.WriteLineAsync("error: give --for (e.g. 2h, at most 30d) or --until (a time in the next 30 days)").ConfigureAwait(false);
                return 2;
            }

            return await ChangeAsync(Open(parse.GetValue(database), parse.GetValue(config)), parse.GetValue(id), (s, i, n) => s.MuteAsync(i, until, n, ct), parse.GetValue(json), Console.Out).ConfigureAwait(false);
        }));

        return new Command("incidents", "List and act on incidents (analyses grouped by fingerprint and service).") { list, show, resolve, mute, reopen };
    }

    internal sealed record Context(IncidentStore Store, string DashboardUrl);

    public static async Task<int> ListAsync(Context context, IncidentQuery query, bool json, TextWriter output, CancellationToken ct)
    {
        var page = await context.Store.ListAsync(query, DateTimeOffset.UtcNow, ct).ConfigureAwait(false);
        if (json)
        {
            foreach (var incident in page.Items)
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(IncidentView.From(incident, context.DashboardUrl), ApiJson.Options)).ConfigureAwait(false);
            }

            return 0;
        }

        await output.WriteLineAsync($"{"ID",-7} {"STATUS",-9} {"SEVERITY",-8} {"COUNT",8} {"LAST SEEN (UTC)",-19} {"SERVICE",-20} SUMMARY").ConfigureAwait(false);
        foreach (var i in page.Items)
        {
            var service = i.MultiService ? $"{i.ServiceName} +{i.RelatedServices.Count}" : i.ServiceName;
            await output.WriteLineAsync($"{i.Id,-7} {i.Status,-9} {i.Severity,-8} {i.Count,8} {i.LastSeen.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),-19} {service,-20} {OneLine(i.Summary)}").ConfigureAwait(false);
        }

        await output.WriteLineAsync($"{page.Items.Count} incident(s){(page.NextCursor is null ? "" : " (more: raise --limit or filter)")}").ConfigureAwait(false);
        return 0;
    }

    public static async Task<int> ChangeAsync(Context context, long id, Func<IncidentStore, long, DateTimeOffset, Task<StoredIncident?>> change, bool json, TextWriter output)
    {
        var incident = await change(context.Store, id, DateTimeOffset.UtcNow).ConfigureAwait(false);
        if (incident is null)
        {
            await Console.Error.WriteLineAsync($"error: no incident with id {id}").ConfigureAwait(false);
            return 1;
        }

        var view = IncidentView.From(incident, context.DashboardUrl);
        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(view, ApiJson.Options)).ConfigureAwait(false);
            return 0;
        }

        await output.WriteLineAsync($"incident {view.IncidentId}: {view.Status}{(view.MutedUntil is { } m ? " until " + m.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "")}").ConfigureAwait(false);
        await output.WriteLineAsync($"  {view.Severity} · {string.Join(", ", view.Services)} · {string.Join(", ", view.Environments)} · {view.Category} · seen {view.Count} time(s), {view.FirstSeen:u} – {view.LastSeen:u}").ConfigureAwait(false);
        await output.WriteLineAsync($"  {OneLine(view.Summary)}").ConfigureAwait(false);
        if (view.Url is { } url)
        {
            await output.WriteLineAsync($"  {url}").ConfigureAwait(false);
        }

        return 0;
    }

    /// <summary>30m, 2h, 1d, 90s, or a plain number of minutes.</summary>
    internal static TimeSpan? ParseDuration(string text)
    {
        text = text.Trim();
        var unit = text.Length > 0 && char.IsLetter(text[^1]) ? char.ToLowerInvariant(text[^1]) : 'm';
        var number = char.IsLetter(text.LastOrDefault()) ? text[..^1] : text;
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value <= 0)
        {
            return null;
        }

        return unit switch
        {
            's' => TimeSpan.FromSeconds(value),
            'm' => TimeSpan.FromMinutes(value),
            'h' => TimeSpan.FromHours(value),
            'd' => TimeSpan.FromDays(value),
            _ => null,
        };
    }

    private static string OneLine(string? text)
    {
        var line = (text ?? "-").ReplaceLineEndings(" ");
        return line.Length <= 100 ? line : line[..99] + "…";
    }

    /// <summary>The incident store and dashboard link of the configuration serve would read (--database overrides the URL).</summary>
    internal static Context Open(string? database, FileInfo? configFile)
    {
        var configuration = CliConfiguration.Load(configFile);
        var incidents = configuration.GetSection(IncidentOptions.Section).Get<IncidentOptions>() ?? new IncidentOptions();
        var notify = configuration.GetSection(NotifyOptions.Section).Get<NotifyOptions>() ?? new NotifyOptions();
        return new Context(new IncidentStore(KeyDatabase.FromUrl(database ?? configuration["database:url"]), incidents), notify.DashboardUrl);
    }
}

/// <summary>The configuration <c>serve</c> would read (config file, .env-loaded environment, overrides), for commands that work without a host.</summary>
internal static class CliConfiguration
{
    public static IConfiguration Load(FileInfo? configFile)
    {
        var environment = BifrostConfiguration.ProcessEnvironment();
        var file = BifrostConfiguration.ResolveConfigFile(configFile?.FullName, n => environment.TryGetValue(n, out var v) ? v : null, Directory.GetCurrentDirectory());
        return BifrostConfiguration.Build(file, environment);
    }
}
