using Microsoft.Extensions.Options;

namespace Bifrost.Heimdall;

internal static class HeimdallRegistration
{
    /// <summary>The real releases' options (validated on start) and the reader of Heimdall's log_entries (release 2).</summary>
    public static WebApplicationBuilder AddHeimdallReleases(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<HeimdallReleaseOptions>().BindConfiguration(HeimdallReleaseOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<HeimdallReleaseOptions>, HeimdallReleaseOptionsValidator>();
        builder.Services.AddSingleton<HeimdallLogSource>();
        return builder;
    }
}
