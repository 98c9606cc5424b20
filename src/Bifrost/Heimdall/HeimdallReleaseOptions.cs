using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Bifrost.Heimdall;

/// <summary>
/// The <c>heimdall</c> keys about the real releases (same section as <see cref="Configuration.HeimdallOptions"/>, kept
/// apart so the dialect work does not grow the pipeline's options).
/// </summary>
public sealed class HeimdallReleaseOptions
{
    public const string Section = "heimdall";

    /// <summary>auto | guide | v1 | v2: answer each request in the dialect it was written in, or always in one.</summary>
    [ConfigurationKeyName("dialect")] public string Dialect { get; set; } = "auto";

    /// <summary>
    /// Heimdall's own PostgreSQL (release 2 sends no log text; it is read from <c>log_entries</c>), read-only:
    /// <c>postgresql://user:pass@host:5432/heimdall</c> or an Npgsql key=value string. Env: HEIMDALL_DATABASE_URL.
    /// </summary>
    [ConfigurationKeyName("database_url")] public string DatabaseUrl { get; set; } = "";

    /// <summary>Connections Bifrost may hold open to Heimdall's database (its own small pool).</summary>
    [ConfigurationKeyName("database_pool_size")] public int DatabasePoolSize { get; set; } = 4;

    /// <summary>
    /// How long a <c>log_entries</c> row that is not there yet is looked for (Heimdall sends the request inside the
    /// transaction that inserts it) before the job fails with LOG_NOT_FOUND.
    /// </summary>
    [ConfigurationKeyName("log_lookup_timeout_seconds")] public double LogLookupTimeoutSeconds { get; set; } = 30;

    /// <summary>The forced dialect, or null for auto (validated at start-up).</summary>
    public Dialect? ForcedDialect => Dialects.TryParseSetting(Dialect, out var forced) ? forced : null;
}

internal sealed class HeimdallReleaseOptionsValidator : IValidateOptions<HeimdallReleaseOptions>
{
    public ValidateOptionsResult Validate(string? name, HeimdallReleaseOptions o)
    {
        var f = new List<string>();
        if (!Dialects.TryParseSetting(o.Dialect, out _))
        {
            f.Add($"heimdall.dialect must be auto, guide, v1 or v2 (got \"{o.Dialect}\")");
        }

        Configuration.Check.AtLeast(f, "heimdall.database_pool_size", o.DatabasePoolSize, 1);
        Configuration.Check.Positive(f, "heimdall.log_lookup_timeout_seconds", o.LogLookupTimeoutSeconds);
        if (!string.IsNullOrWhiteSpace(o.DatabaseUrl))
        {
            try
            {
                _ = HeimdallLogSource.ConnectionString(o.DatabaseUrl, o.DatabasePoolSize);
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException)
            {
                f.Add($"heimdall.database_url is not a PostgreSQL URL or connection string: {ex.Message}");
            }
        }

        return Configuration.Check.Result(f);
    }
}
