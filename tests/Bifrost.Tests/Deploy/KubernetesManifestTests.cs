using System.Text.Json.Nodes;

namespace Bifrost.Tests.Deploy;

/// <summary>Structural checks of deploy/k8s (no cluster here): what kubectl would reject, and what the issue requires.</summary>
public class KubernetesManifestTests
{
    private static readonly string Dir = RepoPaths.Of("deploy", "k8s");

    private static readonly IReadOnlyList<JsonNode> Resources =
        Yaml.Load(Path.Combine(Dir, "kustomization.yaml"))["resources"]!.AsArray()
            .SelectMany(r => Yaml.LoadAll(Path.Combine(Dir, (string)r!)))
            .ToList();

    private static JsonNode Kind(string kind) => Resources.Single(r => (string?)r["kind"] == kind);

    private static JsonNode Container => Kind("Deployment")["spec"]!["template"]!["spec"]!["containers"]![0]!;

    [Fact]
    public void EveryResource_HasApiVersionKindAndName()
    {
        Assert.All(Resources, r =>
        {
            Assert.False(string.IsNullOrEmpty((string?)r["apiVersion"]));
            Assert.False(string.IsNullOrEmpty((string?)r["kind"]));
            Assert.False(string.IsNullOrEmpty((string?)r["metadata"]!["name"]));
        });
        Assert.Equal(
            ["ConfigMap", "Deployment", "HorizontalPodAutoscaler", "Namespace", "PodDisruptionBudget", "Secret", "Service"],
            Resources.Select(r => (string)r["kind"]!).Order());
    }

    [Fact]
    public void Deployment_ProbesTheHealthEndpoints()
    {
        Assert.Equal("/health/live", (string?)Container["livenessProbe"]!["httpGet"]!["path"]);
        Assert.Equal("/health/ready", (string?)Container["readinessProbe"]!["httpGet"]!["path"]);
        Assert.Equal(8080, (int)Container["ports"]![0]!["containerPort"]!);
    }

    [Fact]
    public void Deployment_SetsResourcesAndRunsNonRootReadOnly()
    {
        foreach (var kind in new[] { "requests", "limits" })
        {
            Assert.NotNull(Container["resources"]![kind]!["cpu"]);
            Assert.NotNull(Container["resources"]![kind]!["memory"]);
        }

        var pod = Kind("Deployment")["spec"]!["template"]!["spec"]!;
        Assert.True((bool)pod["securityContext"]!["runAsNonRoot"]!);
        Assert.True((bool)Container["securityContext"]!["readOnlyRootFilesystem"]!);
        Assert.False((bool)Container["securityContext"]!["allowPrivilegeEscalation"]!);
        Assert.Contains(Container["volumeMounts"]!.AsArray(), m => (string?)m!["mountPath"] == "/tmp");
    }

    [Fact]
    public void ConfigAndSecrets_ReachThePod()
    {
        var configMap = Kind("ConfigMap");
        var config = Yaml.Parse((string)configMap["data"]!["config.yaml"]!);
        Assert.Equal("bifrost-consumer-group", (string?)config["kafka"]!["group_id"]);
        Assert.NotNull(config["kafka"]!["consumer"]!["statistics.interval.ms"]); // feeds the lag gauge

        var secretKeys = Kind("Secret")["stringData"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Equal(["AI_API_KEY", "DATABASE_URL"], secretKeys.Order());
        var env = Container["env"]!.AsArray();
        foreach (var key in secretKeys)
        {
            Assert.Contains(env, e => (string?)e!["valueFrom"]?["secretKeyRef"]?["key"] == key);
        }

        var volumes = Kind("Deployment")["spec"]!["template"]!["spec"]!["volumes"]!.AsArray();
        Assert.Contains(volumes, v => (string?)v!["configMap"]?["name"] == (string?)configMap["metadata"]!["name"]);
    }

    [Fact]
    public void Selectors_MatchThePodLabels()
    {
        var labels = Kind("Deployment")["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
        bool Matches(JsonNode? selector) => selector!.AsObject().All(kv => (string?)labels[kv.Key] == (string?)kv.Value);

        Assert.True(Matches(Kind("Deployment")["spec"]!["selector"]!["matchLabels"]));
        Assert.True(Matches(Kind("Service")["spec"]!["selector"]));
        Assert.True(Matches(Kind("PodDisruptionBudget")["spec"]!["selector"]!["matchLabels"]));
        Assert.Equal("bifrost", (string?)Kind("HorizontalPodAutoscaler")["spec"]!["scaleTargetRef"]!["name"]);
    }

    [Fact]
    public void Scaling_NeverExceedsTheRequestTopicsPartitions()
    {
        const int RequestPartitions = 3; // shared/contract: analysis.request has 3 partitions
        Assert.True((int)Kind("HorizontalPodAutoscaler")["spec"]!["maxReplicas"]! <= RequestPartitions);
        Assert.True((int)Kind("Deployment")["spec"]!["replicas"]! <= RequestPartitions);
        Assert.True((int)Kind("Deployment")["spec"]!["template"]!["spec"]!["terminationGracePeriodSeconds"]! > 20); // > kafka.shutdown_timeout_seconds
    }
}
