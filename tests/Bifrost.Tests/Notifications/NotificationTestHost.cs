using Bifrost.Incidents;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Bifrost.Tests.Notifications;

/// <summary>Configuration for channels pointing at test receivers, and small reads on a running host.</summary>
internal static class NotificationTestHost
{
    public const string RoutingKey = "R0UT1NGKEY0123456789abcdefABCDEF";
    public const string Secret = "test-webhook-secret";
    public const string Dashboard = "https://bifrost.example.com/dashboard/";

    /// <summary>Adds <c>notify.*</c> keys: fast polls and retries, every severity, one channel per given receiver.</summary>
    public static Dictionary<string, string> WithChannels(this Dictionary<string, string> env, params (string Name, string Type, Receiver Receiver)[] channels)
    {
        env["notify__dashboard_url"] = Dashboard;
        env["notify__poll_interval_seconds"] = "0.1";
        env["notify__timeout_seconds"] = "5";
        env["notify__retry__initial_seconds"] = "0.2";
        env["notify__retry__max_seconds"] = "0.5";
        foreach (var (name, type, receiver) in channels)
        {
            env[$"notify__channels__{name}__type"] = type;
            env[$"notify__channels__{name}__url"] = receiver.Url.ToString();
            env[$"notify__channels__{name}__min_severity"] = "LOW";
            env[$"notify__channels__{name}__routing_key"] = RoutingKey;
            env[$"notify__channels__{name}__secret"] = Secret;
        }

        return env;
    }

    public static Uri BaseUrl(IServiceProvider services) =>
        new(services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public static async Task<IReadOnlyList<StoredIncident>> IncidentsAsync(IServiceProvider services, string? service = null) =>
        (await services.GetRequiredService<IncidentStore>().ListAsync(new IncidentQuery(ServiceName: service, Limit: 500), DateTimeOffset.UtcNow, default)).Items;
}
