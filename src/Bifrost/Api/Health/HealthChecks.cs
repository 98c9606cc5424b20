using Bifrost.Api.Keys;
using Bifrost.Configuration;
using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Bifrost.Api.Health;

/// <summary>
/// <c>/health/live</c>: the process answers. <c>/health/ready</c>: the database answers, plus Kafka when
/// <c>kafka.bootstrap_servers</c> is set and the LLM server when <c>ai.base_url</c> is set.
/// </summary>
public static class HealthChecks
{
    public const string Ready = "ready";

    public static IServiceCollection AddBifrostHealthChecks(this IServiceCollection services)
    {
        services.AddHttpClient(nameof(LlmHealthCheck), c => c.Timeout = TimeSpan.FromSeconds(3));
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [Ready])
            .AddCheck<KafkaHealthCheck>("kafka", tags: [Ready])
            .AddCheck<LlmHealthCheck>("llm", tags: [Ready]);
        return services;
    }
}

internal sealed class DatabaseHealthCheck(KeyDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            await using var connection = await database.OpenAsync(timeout.Token).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(timeout.Token).ConfigureAwait(false);
            return HealthCheckResult.Healthy(database.IsPostgres ? "postgresql" : "sqlite");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy($"database unreachable: {ex.GetType().Name}: {ex.Message}");
        }
    }
}

internal sealed class KafkaHealthCheck(IOptions<KafkaOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var kafka = options.Value;
        if (string.IsNullOrWhiteSpace(kafka.BootstrapServers)) return Task.FromResult(HealthCheckResult.Healthy("disabled"));

        // The admin client blocks; keep it off the request thread pool's hot path.
        return Task.Run(() =>
        {
            try
            {
                var config = new AdminClientConfig(new Dictionary<string, string>(kafka.Producer, StringComparer.Ordinal)) { BootstrapServers = kafka.BootstrapServers };
                using var admin = new AdminClientBuilder(config).Build();
                var metadata = admin.GetMetadata(TimeSpan.FromSeconds(3));
                return metadata.Brokers.Count > 0
                    ? HealthCheckResult.Healthy($"{metadata.Brokers.Count} broker(s)")
                    : HealthCheckResult.Unhealthy("no broker answered");
            }
            catch (Exception ex)
            {
                return HealthCheckResult.Unhealthy($"kafka unreachable: {ex.Message}");
            }
        }, cancellationToken);
    }
}

internal sealed class LlmHealthCheck(IOptions<AiOptions> options, IHttpClientFactory http) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var ai = options.Value;
        if (string.IsNullOrWhiteSpace(ai.BaseUrl)) return HealthCheckResult.Healthy("not configured (built-in engine)");
        try
        {
            // Any HTTP answer means the server is up; a 5xx means it is not serving.
            using var response = await http.CreateClient(nameof(LlmHealthCheck)).GetAsync(ai.BaseUrl, cancellationToken).ConfigureAwait(false);
            return (int)response.StatusCode < 500
                ? HealthCheckResult.Healthy($"{ai.Provider} answered {(int)response.StatusCode}")
                : HealthCheckResult.Degraded($"{ai.Provider} answered {(int)response.StatusCode}: the built-in engine is used as fallback");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return HealthCheckResult.Degraded($"{ai.Provider} unreachable ({ex.Message}): the built-in engine is used as fallback");
        }
    }
}
