using Bifrost.Configuration;
using Bifrost.Messaging;
using Bifrost.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Bifrost.Tests.Configuration;

public sealed class ConfigurationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bifrost-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static T Bind<T>(IConfiguration config, string section) where T : new()
    {
        var options = new T();
        config.GetSection(section).Bind(options);
        return options;
    }

    [Theory]
    [InlineData("${HOST}:9092", "kafka1:9092")]
    [InlineData("${MISSING:localhost}:9092", "localhost:9092")]
    [InlineData("${MISSING:-fallback}", "fallback")]
    [InlineData("${MISSING}", "")]
    [InlineData("${HOST:ignored}", "kafka1")]
    [InlineData("plain", "plain")]
    public void Substitution_UsesEnvironmentThenDefault(string value, string expected) =>
        Assert.Equal(expected, YamlConfigurationProvider.Substitute(value, name => name == "HOST" ? "kafka1" : null));

    [Fact]
    public void DottedLibrdkafkaKeys_ReachConsumerConfigAsIs()
    {
        var file = Write("config.yaml", """
            kafka:
              bootstrap_servers: ${KAFKA_HOST:127.0.0.1}:9092
              consumer:
                api.version.request: false
                broker.version.fallback: 0.9.0.1
              producer:
                enable.idempotence: false
                linger.ms: 20
            heimdall:
              allowed_callback_topics: [team-a.results, team-b.results]
            """);
        var config = BifrostConfiguration.Build(file, new Dictionary<string, string>());
        var kafka = Bind<KafkaOptions>(config, "kafka");
        Assert.Equal("127.0.0.1:9092", kafka.BootstrapServers);
        var consumer = KafkaClientConfig.Consumer(kafka);
        Assert.Equal("false", consumer.Get("api.version.request"));
        Assert.Equal("0.9.0.1", consumer.Get("broker.version.fallback"));
        Assert.Equal("false", consumer.Get("enable.auto.offset.store"), ignoreCase: true); // never left to the user: correctness depends on it
        var producer = KafkaClientConfig.Producer(kafka);
        Assert.Equal("false", producer.Get("enable.idempotence"));
        Assert.Equal("20", producer.Get("linger.ms"));
        Assert.Equal(Confluent.Kafka.Acks.All, producer.Acks);
        Assert.Equal(Confluent.Kafka.CompressionType.Lz4, producer.CompressionType); // default, not set in the file
        Assert.Equal(["team-a.results", "team-b.results"], Bind<HeimdallOptions>(config, "heimdall").AllowedCallbackTopics);
    }

    [Fact]
    public void ProducerCompression_CanBeTurnedOff()
    {
        var file = Write("config.yaml", "kafka:\n  producer:\n    compression.type: none\n");
        var kafka = Bind<KafkaOptions>(BifrostConfiguration.Build(file, new Dictionary<string, string>()), "kafka");
        Assert.Equal(Confluent.Kafka.CompressionType.None, KafkaClientConfig.Producer(kafka).CompressionType);
    }

    [Fact]
    public void EnvironmentOverrides_FollowPrecedence()
    {
        var file = Write("config.yaml", "kafka:\n  bootstrap_servers: yaml:1\n  max_in_flight: 10\n");
        Assert.Equal("yaml:1", Bind<KafkaOptions>(BifrostConfiguration.Build(file, new Dictionary<string, string>()), "kafka").BootstrapServers);

        var env = new Dictionary<string, string> { ["KAFKA_BOOTSTRAP_SERVERS"] = "wellknown:1" };
        Assert.Equal("wellknown:1", Bind<KafkaOptions>(BifrostConfiguration.Build(file, env), "kafka").BootstrapServers);

        env["kafka__bootstrap_servers"] = "dotnet:1";
        env["kafka__max_in_flight"] = "7";
        var kafka = Bind<KafkaOptions>(BifrostConfiguration.Build(file, env), "kafka");
        Assert.Equal(("dotnet:1", 7), (kafka.BootstrapServers, kafka.MaxInFlight));

        env["BIFROST_kafka__bootstrap_servers"] = "prefixed:1";
        Assert.Equal("prefixed:1", Bind<KafkaOptions>(BifrostConfiguration.Build(file, env), "kafka").BootstrapServers);
    }

    [Fact]
    public void WellKnownVariables_MapToTheirKeys()
    {
        var env = new Dictionary<string, string>
        {
            ["DATABASE_URL"] = "postgresql://u:p%40ss@db:5433/bifrost?sslmode=disable",
            ["AI_MODEL"] = "llama3",
            ["AI_API_KEY"] = "sk-test",
            ["LOG_LEVEL"] = "DEBUG",
            ["LOG_FORMAT"] = "json",
        };
        var config = BifrostConfiguration.Build(null, env);
        Assert.Equal("postgresql://u:p%40ss@db:5433/bifrost?sslmode=disable", Bind<DatabaseOptions>(config, "database").Url);
        var ai = Bind<AiOptions>(config, "ai");
        Assert.Equal(("llama3", "sk-test"), (ai.Model, ai.ApiKey));
        Assert.Equal(("json", "DEBUG"), (Bind<LoggingOptions>(config, "logging").Format, Bind<LoggingOptions>(config, "logging").Level));
        Assert.Equal("Debug", config["Logging:LogLevel:Default"]);
    }

    [Fact]
    public void DatabaseUrl_PostgresUrl_BecomesNpgsqlConnectionString()
    {
        var (provider, cs) = DatabaseUrl.Parse("postgresql://u:p%40ss@db:5433/bifrost?sslmode=disable&search_path=s1", 7);
        Assert.Equal("postgresql", provider);
        var b = new Npgsql.NpgsqlConnectionStringBuilder(cs);
        Assert.Equal(("db", 5433, "bifrost", "u", "p@ss", "s1", 7), (b.Host, b.Port, b.Database, b.Username, b.Password, b.SearchPath, b.MaxPoolSize));
        Assert.Equal(Npgsql.SslMode.Disable, b.SslMode);
        Assert.Equal(("sqlite", "bifrost.db"), DatabaseUrl.Parse(""));
        Assert.Equal(("sqlite", "/tmp/x.db"), DatabaseUrl.Parse("sqlite:/tmp/x.db"));
        Assert.Equal("postgresql", DatabaseUrl.Parse("Host=h;Database=d").Provider);
        Assert.Throws<FormatException>(() => DatabaseUrl.Parse("mysql-thing"));
    }

    [Fact]
    public void DotEnv_ParsesAndNeverOverridesTheEnvironment()
    {
        var entries = DotEnv.Parse("# comment\nexport A=1\nB=\"two words\"\nC='x=y'\nD=val # trailing\n\nbroken line\n");
        Assert.Equal([new("A", "1"), new("B", "two words"), new("C", "x=y"), new("D", "val")], entries);

        var path = Write(".env", "KAFKA_BOOTSTRAP_SERVERS=fromfile:9092\nDATABASE_URL=sqlite:x.db\n");
        var env = new Dictionary<string, string> { ["DATABASE_URL"] = "sqlite:real.db" };
        DotEnv.Load(path, k => env.TryGetValue(k, out var v) ? v : null, (k, v) => env[k] = v);
        Assert.Equal("fromfile:9092", env["KAFKA_BOOTSTRAP_SERVERS"]);
        Assert.Equal("sqlite:real.db", env["DATABASE_URL"]);
    }

    [Fact]
    public void ConfigFile_Resolution()
    {
        var explicitFile = Write("mine.yaml", "kafka: {}\n");
        Assert.Equal(explicitFile, BifrostConfiguration.ResolveConfigFile(explicitFile, _ => null, _dir));
        Assert.Equal(explicitFile, BifrostConfiguration.ResolveConfigFile(null, n => n == "BIFROST_CONFIG" ? explicitFile : null, _dir));
        Assert.Null(BifrostConfiguration.ResolveConfigFile(null, _ => null, _dir));
        var local = Write("config.yaml", "kafka: {}\n");
        Assert.Equal(local, BifrostConfiguration.ResolveConfigFile(null, _ => null, _dir));
        var missing = Assert.Throws<ConfigurationException>(() => BifrostConfiguration.ResolveConfigFile("nope.yaml", _ => null, _dir));
        Assert.StartsWith("config file not found:", missing.Message);
    }

    [Fact]
    public void YamlSyntaxError_NamesTheLine()
    {
        var file = Write("bad.yaml", "kafka:\n  bootstrap_servers: [\n");
        var error = Assert.Throws<ConfigurationException>(() => BifrostConfiguration.Build(file, new Dictionary<string, string>()));
        Assert.StartsWith("bad.yaml line 3:", error.Message);
    }

    [Theory]
    [InlineData("analysis", "retry_attempts", "-1", "analysis.retry_attempts must be >= 0 (got -1)")]
    [InlineData("analysis", "timeout_seconds", "0", "analysis.timeout_seconds must be > 0 (got 0)")]
    [InlineData("heimdall", "retry_attempts", "-1", "analysis.retry_attempts must be >= 0 (got -1)")] // the deprecated key still counts
    [InlineData("api", "auth", "sometimes", "api.auth must be required, disabled or auto, not 'sometimes'")]
    [InlineData("telemetry", "trace_sample_ratio", "2", "telemetry.trace_sample_ratio must be between 0 and 1 (got 2)")]
    [InlineData("kafka", "max_in_flight", "0", "kafka.max_in_flight must be >= 1 (got 0)")]
    [InlineData("kafka", "bootstrap_servers", "nohost", "kafka.bootstrap_servers must be a comma-separated list of host:port (got \"nohost\")")]
    [InlineData("database", "url", "mysql-thing", "database.url is not usable: expected postgresql://user:pass@host:port/db, an Npgsql connection string (Host=...), or sqlite:PATH")]
    [InlineData("logging", "format", "xml", "logging.format must be text or json (got \"xml\")")]
    [InlineData("ai", "temperature", "3", "ai.temperature must be between 0 and 2 (got 3)")]
    public void Validation_NamesTheKey(string section, string key, string value, string expected)
    {
        var config = BifrostConfiguration.Build(null, new Dictionary<string, string> { [$"{section}__{key}"] = value });
        var failures = section switch
        {
            "analysis" or "heimdall" => new AnalysisOptionsValidator().Validate(null, Bind<AnalysisOptions>(config, "analysis")).Failures,
            "api" => new Bifrost.Api.ApiOptionsValidator().Validate(null, Bind<Bifrost.Api.ApiOptions>(config, section)).Failures,
            "telemetry" => new Bifrost.Telemetry.TelemetryOptionsValidator().Validate(null, Bind<Bifrost.Telemetry.TelemetryOptions>(config, section)).Failures,
            "kafka" => new KafkaOptionsValidator().Validate(null, Bind<KafkaOptions>(config, section)).Failures,
            "database" => new DatabaseOptionsValidator().Validate(null, Bind<DatabaseOptions>(config, section)).Failures,
            "logging" => new LoggingOptionsValidator().Validate(null, Bind<LoggingOptions>(config, section)).Failures,
            _ => new AiOptionsValidator().Validate(null, Bind<AiOptions>(config, section)).Failures,
        };
        Assert.Equal(expected, Assert.Single(failures!));
    }

    [Fact]
    public void Defaults_AreValid()
    {
        Assert.True(new KafkaOptionsValidator().Validate(null, new KafkaOptions()).Succeeded);
        Assert.True(new HeimdallOptionsValidator().Validate(null, new HeimdallOptions()).Succeeded);
        Assert.True(new AnalysisOptionsValidator().Validate(null, new AnalysisOptions()).Succeeded);
        Assert.True(new Bifrost.Api.ApiOptionsValidator().Validate(null, new Bifrost.Api.ApiOptions()).Succeeded);
        Assert.True(new Bifrost.Telemetry.TelemetryOptionsValidator().Validate(null, new Bifrost.Telemetry.TelemetryOptions()).Succeeded);
        Assert.True(new DatabaseOptionsValidator().Validate(null, new DatabaseOptions()).Succeeded);
        Assert.True(new LoggingOptionsValidator().Validate(null, new LoggingOptions()).Succeeded);
        Assert.True(new AiOptionsValidator().Validate(null, new AiOptions()).Succeeded);
    }

    [Fact]
    public void BinderConversionError_IsDescribedByKey()
    {
        var config = BifrostConfiguration.Build(null, new Dictionary<string, string> { ["analysis__retry_attempts"] = "abc" });
        var error = Assert.Throws<InvalidOperationException>(() => Bind<AnalysisOptions>(config, "analysis"));
        Assert.Equal("analysis.retry_attempts has an invalid value \"abc\" (expected Int32)", ConfigurationErrors.Describe(error));
        Assert.Equal("x.y must be >= 0 (got -1)", ConfigurationErrors.Describe(new OptionsValidationException("x", typeof(object), ["x.y must be >= 0 (got -1)"])));
    }

    [Fact]
    public void DeprecatedKeys_StandForTheirNewKeys_WithoutChangingPrecedence()
    {
        var file = Path.Combine(_dir, "old.yaml");
        File.WriteAllText(file, "heimdall:\n  callback_topic: team.results\n  timeout_seconds: 12\nanalysis:\n  retry_attempts: 5\n");

        var fromFile = BifrostConfiguration.Build(file, new Dictionary<string, string>());
        Assert.Equal("team.results", Bind<KafkaOptions>(fromFile, "kafka").Topics.Result);
        Assert.Equal(12, Bind<AnalysisOptions>(fromFile, "analysis").TimeoutSeconds);
        Assert.Equal(["heimdall.callback_topic", "heimdall.timeout_seconds"], DeprecatedKeys.FoundIn(fromFile).Select(k => k.Old).Order());

        // An old key in a higher layer (the environment) still beats the new key in a lower one (the file).
        var overridden = BifrostConfiguration.Build(file, new Dictionary<string, string> { ["heimdall__retry_attempts"] = "1" });
        Assert.Equal(1, Bind<AnalysisOptions>(overridden, "analysis").RetryAttempts);

        // Within one layer the new key wins.
        var both = BifrostConfiguration.Build(null, new Dictionary<string, string> { ["heimdall__timeout_seconds"] = "3", ["analysis__timeout_seconds"] = "4" });
        Assert.Equal(4, Bind<AnalysisOptions>(both, "analysis").TimeoutSeconds);
    }

    [Fact]
    public void ExampleConfigFiles_LoadAndValidate()
    {
        var root = RepoRoot();
        foreach (var name in new[] { "config.example.yaml", "config.test-broker.yaml" })
        {
            var config = BifrostConfiguration.Build(Path.Combine(root, name), new Dictionary<string, string>());
            Assert.True(new KafkaOptionsValidator().Validate(null, Bind<KafkaOptions>(config, "kafka")).Succeeded, name);
            Assert.True(new HeimdallOptionsValidator().Validate(null, Bind<HeimdallOptions>(config, "heimdall")).Succeeded, name);
            Assert.True(new AnalysisOptionsValidator().Validate(null, Bind<AnalysisOptions>(config, "analysis")).Succeeded, name);
            Assert.Empty(DeprecatedKeys.FoundIn(config)); // the examples use the current keys
            Assert.True(new DatabaseOptionsValidator().Validate(null, Bind<DatabaseOptions>(config, "database")).Succeeded, name);
            Assert.True(new LoggingOptionsValidator().Validate(null, Bind<LoggingOptions>(config, "logging")).Succeeded, name);
            Assert.True(new Bifrost.Incidents.IncidentOptionsValidator().Validate(null, Bind<Bifrost.Incidents.IncidentOptions>(config, "incidents")).Succeeded, name);
            Assert.True(new Bifrost.Notifications.NotifyOptionsValidator().Validate(null, Bind<Bifrost.Notifications.NotifyOptions>(config, "notify")).Succeeded, name);
        }
    }

    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Bifrost.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root (Bifrost.slnx) not found above " + AppContext.BaseDirectory);
    }
}
