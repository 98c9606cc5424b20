using Bifrost.Configuration;
using Bifrost.Heimdall;
using Microsoft.Extensions.Configuration;

namespace Bifrost.Tests.Heimdall;

public class HeimdallConfigurationTests
{
    private static IEnumerable<string> Failures(params (string Key, string Value)[] settings)
    {
        var config = BifrostConfiguration.Build(null, settings.ToDictionary(s => s.Key, s => s.Value));
        var releases = config.GetSection("heimdall").Get<HeimdallReleaseOptions>() ?? new HeimdallReleaseOptions();
        var ai = config.GetSection("ai").Get<AiOptions>() ?? new AiOptions();
        return [.. new HeimdallReleaseOptionsValidator().Validate(null, releases).Failures ?? [], .. new AiOptionsValidator().Validate(null, ai).Failures ?? []];
    }

    [Fact]
    public void Defaults_AreValid_AutoDialect_NoDatabase() => Assert.Empty(Failures());

    [Theory]
    [InlineData("heimdall__dialect", "v3", "heimdall.dialect must be auto, guide, v1 or v2 (got \"v3\")")]
    [InlineData("heimdall__log_lookup_timeout_seconds", "0", "heimdall.log_lookup_timeout_seconds must be > 0 (got 0)")]
    [InlineData("HEIMDALL_DATABASE_URL", "sqlite:heimdall.db", "heimdall.database_url is not a PostgreSQL URL or connection string: Heimdall's database is PostgreSQL: expected postgresql://user:pass@host:port/db or Host=...")]
    [InlineData("ai__profiles__local__base_url", "ollama:11434", "ai.profiles.local.base_url must be an http(s) URL (got \"ollama:11434\")")]
    public void Invalid_NamesTheKey(string key, string value, string expected) => Assert.Equal(expected, Assert.Single(Failures((key, value))));

    [Fact]
    public void ForcedDialect_AndTheEnvironmentsDatabaseUrl_AreRead()
    {
        var config = BifrostConfiguration.Build(null, new Dictionary<string, string> { ["heimdall__dialect"] = "V2", ["HEIMDALL_DATABASE_URL"] = "postgresql://ro@db:5432/heimdall" });
        var options = config.GetSection("heimdall").Get<HeimdallReleaseOptions>()!;
        Assert.Equal((Dialect?)Dialect.V2, options.ForcedDialect);
        Assert.Contains("default_transaction_read_only=on", HeimdallLogSource.ConnectionString(options.DatabaseUrl, 4), StringComparison.Ordinal);
    }
}
