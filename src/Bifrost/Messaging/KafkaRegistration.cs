using Bifrost.Configuration;
using Bifrost.Messaging.Worker;

namespace Bifrost.Messaging;

internal static class KafkaRegistration
{
    /// <summary>
    /// The Kafka worker (consumer, handler, and the one producer it shares with the API's result publishing), only
    /// when kafka.bootstrap_servers is configured and heimdall.enabled is true.
    /// </summary>
    public static WebApplicationBuilder AddKafkaWorker(this WebApplicationBuilder builder)
    {
        var bootstrap = builder.Configuration["kafka:bootstrap_servers"];
        var enabled = !string.Equals(builder.Configuration["heimdall:enabled"], "false", StringComparison.OrdinalIgnoreCase);
        if (string.IsNullOrWhiteSpace(bootstrap) || !enabled)
        {
            return builder;
        }

        builder.Services.AddSingleton<KafkaPublisher>();
        builder.Services.AddSingleton<MessageHandler>();
        builder.Services.AddHostedService<KafkaWorker>();
        // Give the worker its drain time plus a margin to commit and close before the host gives up.
        var drain = double.TryParse(builder.Configuration["kafka:shutdown_timeout_seconds"], System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : new KafkaOptions().ShutdownTimeoutSeconds;
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(Math.Max(0, drain) + 15));
        return builder;
    }
}
