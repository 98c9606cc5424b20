using Bifrost.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Bifrost.Incidents;

/// <summary>The <c>incidents:</c> section of config.yaml.</summary>
public sealed class IncidentOptions
{
    public const string Section = "incidents";

    /// <summary>
    /// Group every stored analysis into incidents (by fingerprint and service): the analysis's own database write
    /// records its share (a delta), folded into the incident off the hot path. Off: no incidents, hence no notifications.
    /// </summary>
    [ConfigurationKeyName("enabled")] public bool Enabled { get; set; } = true;

    /// <summary>Other services seeing the same fingerprint within this many seconds of an incident's last sighting flag it multi-service.</summary>
    [ConfigurationKeyName("multi_service_window_seconds")] public double MultiServiceWindowSeconds { get; set; } = 600;
}

internal sealed class IncidentOptionsValidator : IValidateOptions<IncidentOptions>
{
    public ValidateOptionsResult Validate(string? name, IncidentOptions o)
    {
        var f = new List<string>();
        Check.Positive(f, "incidents.multi_service_window_seconds", o.MultiServiceWindowSeconds);
        return Check.Result(f);
    }
}
