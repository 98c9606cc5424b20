using Bifrost.Configuration;

namespace Bifrost.Heimdall;

internal static class HeimdallRegistration
{
    /// <summary>
    /// The real releases' keys of the <c>heimdall</c> section (bound and validated once, here: they are this capability's;
    /// <see cref="HeimdallOptions"/> holds the section's other keys) and the reader of Heimdall's log_entries (release 2).
    /// </summary>
    public static WebApplicationBuilder AddHeimdallReleases(this WebApplicationBuilder builder)
    {
        builder.AddBifrostSection<HeimdallReleaseOptions, HeimdallReleaseOptionsValidator>(HeimdallReleaseOptions.Section);
        builder.Services.AddSingleton<HeimdallLogSource>();
        return builder;
    }
}
