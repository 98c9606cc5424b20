using Bifrost.Configuration;
using Confluent.Kafka;
using Microsoft.Extensions.Options;

namespace Bifrost.Messaging.Worker;

/// <summary>
/// The Kafka worker: builds the consumer and runs the <see cref="ConsumeLoop"/> on its own thread, with records going
/// to <see cref="KeyLanes{TOutcome}"/> (per-key order, <see cref="MessageHandler"/> does the work), offsets kept by the
/// <see cref="OffsetCommitter"/> (only acknowledged work is committed), <see cref="BackPressure"/> pausing consumption
/// when too much is in flight, and <see cref="RebalanceHandler"/> handing partitions over cleanly.
/// </summary>
public sealed class KafkaWorker(
    IOptions<KafkaOptions> kafkaOptions,
    MessageHandler handler,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<KafkaWorker> logger) : BackgroundService
{
    /// <summary>A revocation waits for in-flight work at most this long (the group waits for us meanwhile).</summary>
    private static readonly TimeSpan MaxRevokeWait = TimeSpan.FromSeconds(10);

    private readonly KafkaOptions _options = kafkaOptions.Value;
    private IConsumer<byte[]?, byte[]?>? _consumer;
    private RebalanceHandler? _rebalance;

    /// <summary>The consumer is built here so that a bad librdkafka property stops start-up with a clear message.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _consumer = BuildConsumer();
        return base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        var consumer = _consumer ?? BuildConsumer();
        var client = new ConfluentConsumerClient(consumer);
        var offsets = new OffsetCommitter(client, time, logger);
        var shutdown = TimeSpan.FromSeconds(_options.ShutdownTimeoutSeconds);
        _rebalance = new RebalanceHandler(offsets, time, shutdown < MaxRevokeWait ? shutdown : MaxRevokeWait, logger);
        using var hardStop = new CancellationTokenSource();
        var lanes = new KeyLanes<RecordOutcome>(_options.MaxInFlight, handler, logger, hardStop.Token);
        var loop = new ConsumeLoop(client, offsets, lanes, new BackPressure(_options.MaxInFlight, time), _rebalance, time, logger);
        using var inFlightGauge = Telemetry.BifrostMetrics.RegisterInFlight(() => offsets.InFlight);
        try
        {
            consumer.Subscribe(_options.Topics.Request);
            logger.Started(_options.Topics.Request, _options.GroupId, lanes.Count);
            loop.Run(shutdown, stoppingToken);
        }
        catch (ConsumeException ex)
        {
            logger.Fatal(ex.Error.Code, ex.Error.Reason);
            lifetime.StopApplication();
        }
        catch (KafkaException ex)
        {
            logger.Fatal(ex.Error.Code, ex.Error.Reason);
            lifetime.StopApplication();
        }
        finally
        {
            hardStop.Cancel();
            lanes.Complete(TimeSpan.FromSeconds(5));
            try
            {
                consumer.Close();
            }
            catch (KafkaException ex)
            {
                logger.ConsumeError(ex.Error.Code, ex.Error.Reason);
            }

            consumer.Dispose();
            logger.Stopped();
        }
    }

    private IConsumer<byte[]?, byte[]?> BuildConsumer() =>
        new ConsumerBuilder<byte[]?, byte[]?>(KafkaClientConfig.Consumer(_options))
            .SetErrorHandler((_, e) => logger.ClientError(e.Code, e.Reason, e.IsFatal))
            .SetLogHandler((_, m) => logger.Client(m.Facility, m.Message))
            .SetStatisticsHandler((_, json) => Telemetry.BifrostMetrics.ConsumerStatistics(json))
            .SetPartitionsAssignedHandler((_, partitions) => _rebalance?.Assigned(partitions))
            .SetPartitionsRevokedHandler((_, partitions) => _rebalance?.Revoked([.. partitions.Select(p => p.TopicPartition)], commit: true))
            .SetPartitionsLostHandler((_, partitions) => _rebalance?.Revoked([.. partitions.Select(p => p.TopicPartition)], commit: false))
            .Build();
}
