using Bifrost.Configuration;
using Microsoft.Extensions.Options;

namespace Bifrost.Storage;

/// <summary>database.url must name a store Bifrost can open; checked when the host is built.</summary>
internal sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions o)
    {
        var f = new List<string>();
        Check.AtLeast(f, "database.pool_size", o.PoolSize, 1);
        try
        {
            DatabaseUrl.Parse(o.Url, Math.Max(1, o.PoolSize));
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or UriFormatException or KeyNotFoundException)
        {
            f.Add($"database.url is not usable: {ex.Message}");
        }

        return Check.Result(f);
    }
}
