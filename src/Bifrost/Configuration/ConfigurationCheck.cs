using Bifrost.Messaging;
using Confluent.Kafka;
using Microsoft.Extensions.Options;

namespace Bifrost.Configuration;

/// <summary>
/// Resolves every options section and the Kafka clients' configuration before the host starts, so invalid
/// configuration ends start-up with exactly one line (the host would otherwise log a stack trace first).
/// ValidateOnStart stays registered as the backstop.
/// </summary>
internal static class ConfigurationCheck
{
    public static void Run(IServiceProvider services)
    {
        _ = services.GetRequiredService<IOptions<HeimdallOptions>>().Value;
        _ = services.GetRequiredService<IOptions<AiOptions>>().Value;
        _ = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        _ = services.GetRequiredService<IOptions<LoggingOptions>>().Value;
        _ = services.GetService<IOptions<Incidents.IncidentOptions>>()?.Value;
        _ = services.GetService<IOptions<Notifications.NotifyOptions>>()?.Value;
        var kafka = services.GetRequiredService<IOptions<KafkaOptions>>().Value;
        if (services.GetService<KafkaPublisher>() is null)
        {
            return; // Kafka worker not configured
        }

        try
        {
            using var consumer = new ConsumerBuilder<byte[], byte[]>(KafkaClientConfig.Consumer(kafka)).SetLogHandler((_, _) => { }).Build();
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or KafkaException)
        {
            throw new ConfigurationException("kafka.consumer", $"kafka.consumer: {ex.Message}");
        }
    }
}
