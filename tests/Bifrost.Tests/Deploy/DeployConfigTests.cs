using Bifrost.Commands;
using Bifrost.Configuration;
using Microsoft.Extensions.Configuration;

namespace Bifrost.Tests.Deploy;

/// <summary>
/// The config.yaml files shipped for docker-compose and Kubernetes load through Bifrost's own configuration
/// (with <c>${VAR:default}</c> substitution), name only keys Bifrost knows, and pass its start-up check.
/// </summary>
public sealed class DeployConfigTests : IDisposable
{
    private readonly string _k8sConfig = Path.Combine(Path.GetTempPath(), $"bifrost-k8s-config-{Guid.NewGuid():N}.yaml");

    public DeployConfigTests()
    {
        var configMap = Yaml.Load(RepoPaths.Of("deploy", "k8s", "configmap.yaml"));
        File.WriteAllText(_k8sConfig, (string)configMap["data"]!["config.yaml"]!);
    }

    public void Dispose() => File.Delete(_k8sConfig);

    private string PathOf(string which) => which == "compose" ? RepoPaths.Of("deploy", "compose", "config.yaml") : _k8sConfig;

    [Theory]
    [InlineData("compose")]
    [InlineData("k8s")]
    public void ConfigFile_UsesOnlyKnownKeys(string which)
    {
        var known = ((IEnumerable<object[]>)OperationsDocTests.ConfigurationKeys()).Select(row => ((string)row[0]).Replace('.', ':')).ToHashSet();
        var configuration = BifrostConfiguration.Build(PathOf(which), new Dictionary<string, string>());

        var leaves = configuration.AsEnumerable().Where(kv => kv.Value is not null).Select(kv => kv.Key).ToList();

        Assert.NotEmpty(leaves);
        Assert.All(leaves, key => Assert.True(
            known.Contains(key) || key.StartsWith("kafka:consumer:", StringComparison.Ordinal) || key.StartsWith("kafka:producer:", StringComparison.Ordinal),
            $"{which} config.yaml sets unknown key {key}"));
    }

    [Fact]
    public void ComposeConfig_TakesItsValuesFromTheEnvironmentComposeSets()
    {
        var configuration = BifrostConfiguration.Build(PathOf("compose"), new Dictionary<string, string>
        {
            ["KAFKA_BOOTSTRAP_SERVERS"] = "kafka:9092",
            ["DATABASE_URL"] = "postgresql://bifrost:secret@postgres:5432/bifrost",
        });

        Assert.Equal("kafka:9092", configuration["kafka:bootstrap_servers"]);
        Assert.Equal("postgresql://bifrost:secret@postgres:5432/bifrost", configuration["database:url"]);
        Assert.Equal("http://ollama:11434", configuration["ai:base_url"]);
        Assert.Equal("5000", configuration["kafka:consumer:statistics.interval.ms"]);
    }

    [Theory]
    [InlineData("compose")]
    [InlineData("k8s")]
    public async Task ConfigFile_PassesTheStartupCheck(string which)
    {
        // The database is only reached on start; building the host binds and validates every section and
        // builds the Kafka client configuration (librdkafka rejects unknown or invalid properties).
        await using var app = TestHost.Build(configFile: PathOf(which), environment: new Dictionary<string, string>
        {
            ["DATABASE_URL"] = "sqlite:" + Path.Combine(Path.GetTempPath(), $"bifrost-deploy-{Guid.NewGuid():N}.db"),
            // Loopback instead of the file's broker host name: the clients built by the check would otherwise try to
            // resolve `kafka` / `*.svc` through this machine's DNS. Every other kafka.* property still comes from the file.
            ["KAFKA_BOOTSTRAP_SERVERS"] = "127.0.0.1:9",
        });

        ConfigurationCheck.Run(app.Services);
    }
}
