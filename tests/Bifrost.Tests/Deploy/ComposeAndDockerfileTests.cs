using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Bifrost.Tests.Deploy;

/// <summary>
/// Docker cannot run here, so the Dockerfile and docker-compose.yml are checked by construction: every
/// path they refer to exists, the image runs the binary scripts/publish.sh produces, the topics match the
/// contract. (Compose schema validation: scripts/check-deploy.sh.)
/// </summary>
public partial class ComposeAndDockerfileTests
{
    private static readonly string[] Dockerfile = File.ReadAllLines(RepoPaths.Of("Dockerfile"));
    private static readonly JsonNode Compose = Yaml.Load(RepoPaths.Of("docker-compose.yml"));

    [Fact]
    public void Dockerfile_CopiesOnlyPathsThatExist()
    {
        var copies = Dockerfile.Where(l => l.StartsWith("COPY ", StringComparison.Ordinal) && !l.Contains("--from=", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(copies);
        foreach (var copy in copies)
        {
            var parts = copy.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1];
            Assert.All(parts, p => Assert.True(File.Exists(RepoPaths.Of(p)) || Directory.Exists(RepoPaths.Of(p)), $"Dockerfile copies missing {p}"));
        }
    }

    [Fact]
    public void Dockerfile_EntrypointIsThePublishedBinary()
    {
        var csproj = File.ReadAllText(RepoPaths.Of("src", "Bifrost", "Bifrost.csproj"));
        var assemblyName = AssemblyName().Match(csproj).Groups[1].Value;
        var publish = File.ReadAllText(RepoPaths.Of("scripts", "publish.sh"));

        Assert.Contains("OUT=\"$ROOT/artifacts/publish/$RID\"", publish);
        Assert.Contains("RID=\"${RID:-linux-x64}\"", publish);
        Assert.Contains("COPY --from=build /src/artifacts/publish/linux-x64/ /app/", Dockerfile);
        Assert.Contains($"ENTRYPOINT [\"/app/{assemblyName}\"]", Dockerfile);
        Assert.Contains(Dockerfile, l => l.Contains($"CMD [\"/app/{assemblyName}\", \"probe\", \"http://127.0.0.1:8080/health/live\"]", StringComparison.Ordinal));
        Assert.Contains("USER $APP_UID", Dockerfile);
        Assert.StartsWith("FROM mcr.microsoft.com/dotnet/runtime-deps:", Dockerfile.Last(l => l.StartsWith("FROM ", StringComparison.Ordinal)));
    }

    [Fact]
    public void Compose_ReferencesOnlyPathsThatExist()
    {
        foreach (var (name, service) in Compose["services"]!.AsObject())
        {
            foreach (var volume in service!["volumes"]?.AsArray() ?? [])
            {
                var source = ((string)volume!).Split(':')[0];
                if (source.StartsWith("./", StringComparison.Ordinal))
                {
                    Assert.True(File.Exists(RepoPaths.Of(source)) || Directory.Exists(RepoPaths.Of(source)), $"{name} mounts missing {source}");
                }
            }

            if (service["build"] is { } build)
            {
                Assert.True(Directory.Exists(RepoPaths.Of((string)build["context"]!)));
                Assert.True(File.Exists(RepoPaths.Of((string)build["context"]!, (string)build["dockerfile"]!)));
            }
        }
    }

    [Fact]
    public void Compose_RunsTheWholeStack()
    {
        var services = Compose["services"]!.AsObject();
        Assert.StartsWith("apache/kafka:", (string?)services["kafka"]!["image"]);
        Assert.Contains("controller", (string?)services["kafka"]!["environment"]!["KAFKA_PROCESS_ROLES"]); // KRaft, no ZooKeeper
        Assert.Contains("mistral", services["ollama-pull"]!["entrypoint"]!.AsArray().Select(e => (string?)e));
        Assert.True((bool)services["bifrost"]!["read_only"]!);
        Assert.Equal("service_completed_successfully", (string?)services["bifrost"]!["depends_on"]!["kafka-topics"]!["condition"]);
        foreach (var name in new[] { "postgres", "prometheus", "grafana" })
        {
            Assert.True(services.ContainsKey(name), name);
        }
    }

    [Theory]
    [InlineData("analysis.request", 3, 604800000L)]
    [InlineData("analysis.result", 3, 604800000L)]
    [InlineData("dlq.failed", 1, 2592000000L)]
    public void ComposeTopics_MatchTheContract(string topic, int partitions, long retentionMs)
    {
        var script = string.Join("\n", Compose["services"]!["kafka-topics"]!["command"]!.AsArray().Select(c => (string?)c));

        Assert.Contains($"--topic {topic} --partitions {partitions} --replication-factor 1 --config retention.ms={retentionMs}", script);
    }

    [GeneratedRegex("<AssemblyName>([^<]+)</AssemblyName>")]
    private static partial Regex AssemblyName();
}
