using System.Data.Common;
using Bifrost.Api.Keys;
using Bifrost.Incidents;
using Npgsql;

namespace Bifrost.Notifications;

/// <summary>A message bound for one channel, as queued.</summary>
public sealed record OutboxEntry(string Channel, string Kind, NotificationMessage Message, DateTimeOffset NextAttemptAt);

/// <summary>A queued message read back for delivery.</summary>
public sealed record OutboxRow(long Id, string Kind, NotificationMessage Message, int Attempts);

/// <summary>Per-channel state of the outbox (health, metrics, the notifications endpoint).</summary>
/// <param name="Pending">Waiting to be delivered (due or not).</param>
/// <param name="Retrying">Pending after at least one failed attempt.</param>
/// <param name="Failed">Given up on (the channel rejected them) in the last 24 hours.</param>
public sealed record ChannelBacklog(string Channel, long Pending, long Retrying, long Failed, DateTimeOffset? OldestPending, string? LastError);

/// <summary>
/// The notification outbox (<c>bifrost_notification_outbox</c>) and the hand-over from incidents to it. Every step
/// is one short transaction, safe with any number of instances on one PostgreSQL:
/// <list type="number">
/// <item><see cref="DispatchAsync"/> claims incidents whose <c>transition_seq</c> is ahead of <c>dispatched_seq</c>
/// (<c>FOR UPDATE SKIP LOCKED</c>: two instances never take the same one), queues one row per wanting channel
/// (unique per incident, transition and channel), and moves <c>dispatched_seq</c> on, all in one commit;</item>
/// <item><see cref="ClaimAsync"/> leases due rows of one channel (one instance per channel at a time through a
/// transaction-scoped advisory lock, which also keeps the rate limit exact across instances; rows with
/// <c>SKIP LOCKED</c>); the HTTP call happens after the commit, under the lease;</item>
/// <item><see cref="CompleteAsync"/> / <see cref="FailAsync"/> record the outcome (a failed row is due again after
/// its backoff; a row whose instance died is due again when its lease runs out).</item>
/// </list>
/// SQLite serves a single instance: its write transactions are exclusive, which does the same job.
/// </summary>
public sealed class NotificationOutbox(KeyDatabase database, IncidentStore incidents)
{
    private const string DueWhere = "channel = @channel AND sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= @now AND (lease_until IS NULL OR lease_until <= @now)";

    /// <summary>Decides, for one incident transition, which channels get which message (empty: none).</summary>
    public delegate IReadOnlyList<OutboxEntry> Route(StoredIncident incident, string kind);

    /// <summary>
    /// Hands up to <paramref name="limit"/> undispatched incident transitions to the outbox. Returns how many incidents
    /// were taken (fewer than <paramref name="limit"/>: nothing else is waiting right now).
    /// </summary>
    public async Task<int> DispatchAsync(Route route, DateTimeOffset now, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        var pending = new List<(StoredIncident Incident, int DispatchedSeq)>();
        await using (var select = connection.CreateCommand())
        {
            select.Transaction = tx;
            select.CommandText = $"SELECT {IncidentStore.Columns}, i.dispatched_seq {IncidentStore.From}" +
                $" WHERE i.transition_seq > i.dispatched_seq ORDER BY i.id LIMIT {limit}" + (database.IsPostgres ? " FOR UPDATE OF i SKIP LOCKED" : "");
            await using var r = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                pending.Add((IncidentStore.ReadRow(database, r, now), r.GetInt32(17)));
            }
        }

        var withRelated = await incidents.WithRelatedServicesAsync(connection, [.. pending.Select(p => p.Incident)], ct, tx).ConfigureAwait(false);
        for (var n = 0; n < pending.Count; n++)
        {
            var (incident, dispatched) = (withRelated[n], pending[n].DispatchedSeq);
            // Transitions that pile up before dispatch collapse into the latest; an incident nobody was told about yet is
            // "new" whatever happened since, and one resolved before anyone heard of it needs no message. A muted
            // incident tells nobody.
            var kind = dispatched == 0 ? (incident.LastTransition == IncidentTransition.Resolved ? null : IncidentTransition.New) : incident.LastTransition;
            var entries = kind is null || incident.Status == IncidentStatus.Muted ? [] : route(incident, kind);
            foreach (var entry in entries)
            {
                await FeatureSql.ExecuteAsync(connection, tx,
                    "INSERT INTO bifrost_notification_outbox (channel, incident_id, transition_seq, kind, severity_rank, message, created_at, next_attempt_at) " +
                    $"VALUES (@channel, @incident, @seq, @kind, @severity, {(database.IsPostgres ? "@message::json" : "@message")}, @now, @next) " +
                    "ON CONFLICT (incident_id, transition_seq, channel) DO NOTHING", c =>
                    {
                        FeatureSql.Add(c, "@channel", entry.Channel);
                        FeatureSql.Add(c, "@incident", incident.Id);
                        FeatureSql.Add(c, "@seq", incident.TransitionSeq);
                        FeatureSql.Add(c, "@kind", entry.Kind);
                        FeatureSql.Add(c, "@severity", SeverityRank.Of(entry.Message.Severity));
                        FeatureSql.Add(c, "@message", entry.Message.ToJson());
                        FeatureSql.Add(c, "@now", FeatureSql.Time(database, now));
                        FeatureSql.Add(c, "@next", FeatureSql.Time(database, entry.NextAttemptAt));
                    }, ct).ConfigureAwait(false);
            }

            await FeatureSql.ExecuteAsync(connection, tx, "UPDATE bifrost_incidents SET dispatched_seq = @seq WHERE id = @id", c =>
            {
                FeatureSql.Add(c, "@seq", incident.TransitionSeq);
                FeatureSql.Add(c, "@id", incident.Id);
            }, ct).ConfigureAwait(false);
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
        return pending.Count;
    }

    /// <summary>Rows <see cref="ClaimAsync"/> leased as one delivery; <paramref name="Attempts"/> counts this one.</summary>
    public sealed record ClaimedDelivery(Delivery Delivery, IReadOnlyList<long> RowIds, int Attempts);

    /// <summary>
    /// Leases the due rows of <paramref name="channel"/> within its rate limit: while the budget lasts each row is its
    /// own message; the rest (all but what the budget still allows) travel as one digest. With the budget spent,
    /// rows wait for the window to move on. A channel another instance is claiming right now yields nothing.
    /// </summary>
    public async Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(NotificationChannel channel, TimeSpan lease, DateTimeOffset now, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        if (database.IsPostgres && !await TryLockChannelAsync(connection, tx, channel.Name, ct).ConfigureAwait(false))
        {
            return [];
        }

        var budget = channel.RateLimit == 0 ? int.MaxValue : channel.RateLimit - await MessagesInWindowAsync(connection, tx, channel, now, ct).ConfigureAwait(false);
        var due = new List<OutboxRow>();
        await using (var select = connection.CreateCommand())
        {
            select.Transaction = tx;
            select.CommandText = $"SELECT id, kind, message, attempts FROM bifrost_notification_outbox WHERE {DueWhere} ORDER BY id LIMIT {limit}" +
                (database.IsPostgres ? " FOR UPDATE SKIP LOCKED" : "");
            FeatureSql.Add(select, "@channel", channel.Name);
            FeatureSql.Add(select, "@now", FeatureSql.Time(database, now));
            await using var r = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                due.Add(new OutboxRow(r.GetInt64(0), r.GetString(1), NotificationMessage.FromJson(r.GetString(2)), r.GetInt32(3)));
            }
        }

        var deliveries = Group(channel, due, budget);
        foreach (var (delivery, rowIds, _) in deliveries)
        {
            await using var leaseCommand = connection.CreateCommand();
            leaseCommand.Transaction = tx;
            leaseCommand.CommandText = "UPDATE bifrost_notification_outbox SET lease_until = @until, attempts = attempts + 1, " +
                $"digest_of = CASE WHEN id = @leader THEN NULL ELSE @leader END WHERE {FeatureSql.In(leaseCommand, "id", [.. rowIds.Cast<object>()], "r")}";
            FeatureSql.Add(leaseCommand, "@until", FeatureSql.Time(database, now + lease));
            FeatureSql.Add(leaseCommand, "@leader", delivery.DeliveryId);
            await leaseCommand.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
        return deliveries;
    }

    /// <summary>The rate limit: rows go one by one while the budget lasts; the rest travel as one digest, or wait for the window on a channel that does not digest (PagerDuty).</summary>
    internal static List<ClaimedDelivery> Group(NotificationChannel channel, List<OutboxRow> due, int budget)
    {
        var deliveries = new List<ClaimedDelivery>();
        void Add(List<OutboxRow> rows) =>
            deliveries.Add(new ClaimedDelivery(new Delivery(rows[0].Id, [.. rows.Select(r => r.Message)]), [.. rows.Select(r => r.Id)], rows.Max(r => r.Attempts) + 1));

        var singles = due.Count <= budget || !channel.Digests ? Math.Min(due.Count, budget) : Math.Max(0, budget - 1);
        foreach (var row in due.Take(singles))
        {
            Add([row]);
        }

        var rest = channel.Digests ? due.Skip(singles).ToList() : [];
        if (rest.Count > 0 && budget > 0)
        {
            Add(rest);
        }

        return deliveries;
    }

    /// <summary>Messages sent in the channel's window, plus those leased and on their way (a digest counts once).</summary>
    private async Task<int> MessagesInWindowAsync(DbConnection connection, DbTransaction tx, NotificationChannel channel, DateTimeOffset now, CancellationToken ct)
    {
        await using var count = connection.CreateCommand();
        count.Transaction = tx;
        count.CommandText = "SELECT count(*) FROM bifrost_notification_outbox WHERE channel = @channel AND digest_of IS NULL AND " +
            "((sent_at IS NOT NULL AND sent_at >= @since) OR (sent_at IS NULL AND failed_at IS NULL AND lease_until > @now))";
        FeatureSql.Add(count, "@channel", channel.Name);
        FeatureSql.Add(count, "@since", FeatureSql.Time(database, now - channel.RateWindow));
        FeatureSql.Add(count, "@now", FeatureSql.Time(database, now));
        return Convert.ToInt32(await count.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<bool> TryLockChannelAsync(DbConnection connection, DbTransaction tx, string channel, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_xact_lock(72630017, hashtext(@channel))", (NpgsqlConnection)connection, (NpgsqlTransaction)tx);
        command.Parameters.AddWithValue("channel", channel);
        return (bool)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    public Task CompleteAsync(IReadOnlyList<long> rowIds, DateTimeOffset sentAt, CancellationToken ct) => UpdateAsync(rowIds,
        "sent_at = @now, lease_until = NULL, last_error = NULL", sentAt, _ => { }, ct);

    /// <summary>
    /// Puts the rows back for another attempt at <paramref name="nextAttemptAt"/> (a digest falls apart: its rows are
    /// regrouped at the next claim), or gives up on them when <paramref name="permanent"/>.
    /// </summary>
    public Task FailAsync(IReadOnlyList<long> rowIds, string error, DateTimeOffset nextAttemptAt, bool permanent, DateTimeOffset now, CancellationToken ct) => UpdateAsync(rowIds,
        "lease_until = NULL, digest_of = NULL, last_error = @error, next_attempt_at = @next, failed_at = " + (permanent ? "@now" : "NULL"), now, c =>
        {
            FeatureSql.Add(c, "@error", NotificationMessage.Clip(error, 500));
            FeatureSql.Add(c, "@next", FeatureSql.Time(database, nextAttemptAt));
        }, ct);

    private async Task UpdateAsync(IReadOnlyList<long> rowIds, string set, DateTimeOffset now, Action<DbCommand> parameters, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"UPDATE bifrost_notification_outbox SET {set} WHERE {FeatureSql.In(command, "id", [.. rowIds.Cast<object>()], "r")}";
        FeatureSql.Add(command, "@now", FeatureSql.Time(database, now));
        parameters(command);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Backlog per channel: what waits, what keeps failing, what was given up on in the last day.</summary>
    public async Task<IReadOnlyList<ChannelBacklog>> BacklogAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        var rows = new Dictionary<string, ChannelBacklog>(StringComparer.Ordinal);
        ChannelBacklog Of(string channel) => rows.TryGetValue(channel, out var b) ? b : rows[channel] = new ChannelBacklog(channel, 0, 0, 0, null, null);
        await using (var pending = connection.CreateCommand())
        {
            pending.CommandText = "SELECT channel, count(*), SUM(CASE WHEN attempts > 0 THEN 1 ELSE 0 END), MIN(created_at) FROM bifrost_notification_outbox " +
                "WHERE sent_at IS NULL AND failed_at IS NULL GROUP BY channel";
            await using var r = await pending.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                rows[r.GetString(0)] = Of(r.GetString(0)) with { Pending = r.GetInt64(1), Retrying = r.GetInt64(2), OldestPending = FeatureSql.ReadTime(database, r, 3) };
            }
        }

        await using (var failed = connection.CreateCommand())
        {
            failed.CommandText = "SELECT channel, count(*) FROM bifrost_notification_outbox WHERE failed_at IS NOT NULL AND failed_at >= @since GROUP BY channel";
            FeatureSql.Add(failed, "@since", FeatureSql.Time(database, now.AddDays(-1)));
            await using var r = await failed.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                rows[r.GetString(0)] = Of(r.GetString(0)) with { Failed = r.GetInt64(1) };
            }
        }

        await using (var errors = connection.CreateCommand())
        {
            errors.CommandText = "SELECT channel, last_error FROM bifrost_notification_outbox WHERE last_error IS NOT NULL AND " +
                "((sent_at IS NULL AND failed_at IS NULL) OR failed_at >= @since) ORDER BY id DESC LIMIT 100";
            FeatureSql.Add(errors, "@since", FeatureSql.Time(database, now.AddDays(-1)));
            await using var r = await errors.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                var b = Of(r.GetString(0));
                if (b.LastError is null)
                {
                    rows[b.Channel] = b with { LastError = r.GetString(1) };
                }
            }
        }

        return [.. rows.Values.OrderBy(b => b.Channel, StringComparer.Ordinal)];
    }

    /// <summary>Forgets delivered and given-up rows older than <paramref name="before"/> (the outbox is a queue, not an archive).</summary>
    public async Task<int> PruneAsync(DateTimeOffset before, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        return await FeatureSql.ExecuteAsync(connection, null,
            "DELETE FROM bifrost_notification_outbox WHERE (sent_at IS NOT NULL AND sent_at < @before) OR (failed_at IS NOT NULL AND failed_at < @before)",
            c => FeatureSql.Add(c, "@before", FeatureSql.Time(database, before)), ct).ConfigureAwait(false);
    }
}
