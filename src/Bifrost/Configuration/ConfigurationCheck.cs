namespace Bifrost.Configuration;

/// <summary>
/// A check of configuration that needs the built services (e.g. librdkafka rejecting a client property), registered
/// by the capability it belongs to. Sections themselves are validated when the host is built (<see cref="SectionRegistration"/>).
/// </summary>
public sealed record StartupCheck(Action<IServiceProvider> Run);

/// <summary>
/// Runs every <see cref="StartupCheck"/> before the host starts, so invalid configuration ends start-up with exactly
/// one line (the host would otherwise log a stack trace first).
/// </summary>
internal static class ConfigurationCheck
{
    public static void Run(IServiceProvider services)
    {
        foreach (var check in services.GetServices<StartupCheck>())
        {
            check.Run(services);
        }
    }
}
