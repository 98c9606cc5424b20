using Bifrost.Configuration;
using Bifrost.Messaging.Worker;
using Confluent.Kafka;

namespace Bifrost.Messaging;

internal static class KafkaRegistration
{
    /// <summary>
    /// The Kafka worker (consumer, handler, and the one producer it shares with the API's result publishing), only
    /// when kafka.bootstrap_servers is configured and heimdall.enabled is true.
    /// </summary>
    public static WebApplicationBuilder AddKafkaWorker(this WebApplicationBuilder builder)
    {
        var kafka = builder.Services.BoundSection<KafkaOptions>();
        var heimdall = builder.Services.BoundSection<HeimdallOptions>();
        if (string.IsNullOrWhiteSpace(kafka.BootstrapServers) || !heimdall.Enabled)
        {
            return builder;
        }

        builder.Services.AddSingleton<KafkaPublisher>();
        builder.Services.AddSingleton<MessageHandler>();
        builder.Services.AddHostedService<KafkaWorker>();
        // librdkafka rejects unknown or invalid client properties: building both clients says so before start.
        builder.Services.AddSingleton(new StartupCheck(services =>
        {
            _ = services.GetRequiredService<KafkaPublisher>();
            try
            {
                using var consumer = new ConsumerBuilder<byte[], byte[]>(KafkaClientConfig.Consumer(kafka)).SetLogHandler((_, _) => { }).Build();
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or KafkaException)
            {
                throw new ConfigurationException("kafka.consumer", $"kafka.consumer: {ex.Message}");
            }
        }));
        // Give the worker its drain time plus a margin to commit and close before the host gives up.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(Math.Max(0, kafka.ShutdownTimeoutSeconds) + 15));
        return builder;
    }
}
