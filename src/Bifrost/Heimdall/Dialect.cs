namespace Bifrost.Heimdall;

/// <summary>
/// Which contract a request was written in, and so which one its result and dead letter are written in
/// (shared/contract/heimdall/README.md): the integration guide's snake_case, Heimdall release 1 (camelCase, the
/// guide's fields) or release 2 (jobs: no log text on the wire). Stored with the analysis as <see cref="Dialects.Name"/>.
/// </summary>
public enum Dialect
{
    Guide = 0,
    V1 = 1,
    V2 = 2,
}

public static class Dialects
{
    /// <summary>The stored and configured spelling: guide | v1 | v2.</summary>
    public static string Name(this Dialect dialect) => dialect switch
    {
        Dialect.V1 => "v1",
        Dialect.V2 => "v2",
        _ => "guide",
    };

    /// <summary>A stored name back to the dialect; anything unknown (rows written before dialects existed) is the guide's.</summary>
    public static Dialect FromName(string? name) => name switch
    {
        "v1" => Dialect.V1,
        "v2" => Dialect.V2,
        _ => Dialect.Guide,
    };

    /// <summary><c>heimdall.dialect</c>: auto → null (detect per message), else the forced dialect; false when not a known value.</summary>
    public static bool TryParseSetting(string? setting, out Dialect? forced)
    {
        forced = null;
        switch (setting?.Trim().ToLowerInvariant())
        {
            case null or "" or "auto":
                return true;
            case "guide":
                forced = Dialect.Guide;
                return true;
            case "v1":
                forced = Dialect.V1;
                return true;
            case "v2":
                forced = Dialect.V2;
                return true;
            default:
                return false;
        }
    }
}
