namespace Bifrost.Storage;

/// <summary>
/// Versioned schema changes, recorded in <c>bifrost_schema_migrations</c>. Never edit an applied one: add the next.
/// The runner applies every version not recorded yet in ascending version order, wherever it stands in the list:
/// numbers may have gaps (features take their own ranges), so a database that has 1, 2, 7 gets 3 before 8.
/// </summary>
internal static class Migrations
{
    internal sealed record Migration(int Version, string Name, string Sql);

    public static readonly Migration[] Postgres =
    [
        new(1, "analyses", """
            CREATE TABLE analyses (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                request_id text NOT NULL UNIQUE,
                correlation_id text NOT NULL,
                log_id bigint NOT NULL,
                service_name text NOT NULL,
                environment text NOT NULL,
                priority text NOT NULL,
                analysis_type text NOT NULL,
                callback_topic text NOT NULL,
                metadata json NOT NULL,
                log_content text NOT NULL,
                source text NOT NULL,
                request_timestamp timestamptz NOT NULL,
                status text NOT NULL,
                received_at timestamptz NOT NULL,
                started_at timestamptz,
                completed_at timestamptz,
                attempts integer NOT NULL DEFAULT 0,
                error text,
                summary text, root_cause text, recommendation text, severity text, confidence double precision,
                category text, fingerprint text, evidence json, model text, engine text, duration_seconds double precision,
                tokens_used integer, cache_hit boolean, fallback boolean, result_at timestamptz
            );
            CREATE INDEX analyses_received_at ON analyses (received_at);
            CREATE INDEX analyses_service_received ON analyses (service_name, received_at);
            CREATE INDEX analyses_fingerprint ON analyses (fingerprint, received_at);
            CREATE INDEX analyses_status ON analyses (status)
            """),

        // Every Kafka request is inserted already COMPLETED, so an index over all statuses was maintained on every
        // insert for queries that look for the few rows not completed; a partial index serves those and costs
        // nothing for the rest. request_id is an opaque id: byte order ("C") spares the unique index a locale-aware
        // comparison (strcoll) at every step of every insert and lookup.
        new(2, "cheaper inserts", """
            DROP INDEX IF EXISTS analyses_status;
            CREATE INDEX analyses_unfinished ON analyses (status, received_at) WHERE status <> 'COMPLETED';
            ALTER TABLE analyses ALTER COLUMN request_id TYPE text COLLATE "C"
            """),

        // Incidents (one row per fingerprint + service; the analyses' write appends deltas, folded in off the hot path —
        // an incident row updated by every batch would make concurrent batches wait for each other) and the notification
        // outbox (one row per incident transition and channel; the unique key makes a second instance's insert a no-op).
        // Analyses stored before the upgrade become incidents too, marked as already notified (no flood of "new").
        new(7, "incidents", """
            CREATE TABLE bifrost_incidents (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                fingerprint text COLLATE "C" NOT NULL,
                service_name text COLLATE "C" NOT NULL,
                status text NOT NULL,
                muted_until timestamptz,
                first_seen timestamptz NOT NULL,
                last_seen timestamptz NOT NULL,
                occurrences bigint NOT NULL,
                severity_rank smallint NOT NULL,
                category text NOT NULL,
                environments text[] NOT NULL,
                latest_analysis_id bigint NOT NULL,
                resolved_at timestamptz,
                transition text NOT NULL,
                transition_seq integer NOT NULL,
                dispatched_seq integer NOT NULL DEFAULT 0,
                UNIQUE (fingerprint, service_name)
            );
            CREATE INDEX bifrost_incidents_undispatched ON bifrost_incidents (id) WHERE transition_seq > dispatched_seq;
            CREATE INDEX bifrost_incidents_last_seen ON bifrost_incidents (last_seen);
            CREATE TABLE bifrost_incident_deltas (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                fingerprint text NOT NULL,
                service_name text NOT NULL,
                environment text NOT NULL,
                occurrences bigint NOT NULL,
                first_seen timestamptz NOT NULL,
                last_seen timestamptz NOT NULL,
                severity_rank smallint NOT NULL,
                category text NOT NULL,
                latest_analysis_id bigint NOT NULL
            );
            INSERT INTO bifrost_incidents (fingerprint, service_name, status, first_seen, last_seen, occurrences, severity_rank, category,
                environments, latest_analysis_id, transition, transition_seq, dispatched_seq)
            SELECT g.fingerprint, g.service_name, 'open', g.first_at, g.last_at, g.n, g.sev, a.category, g.envs, g.last_id, 'new', 1, 1
            FROM (SELECT fingerprint, service_name, min(received_at) AS first_at, max(received_at) AS last_at, count(*) AS n,
                         max(CASE severity WHEN 'CRITICAL' THEN 3 WHEN 'HIGH' THEN 2 WHEN 'MEDIUM' THEN 1 ELSE 0 END) AS sev,
                         array_agg(DISTINCT environment) AS envs, max(id) AS last_id
                  FROM analyses WHERE status = 'COMPLETED' AND fingerprint IS NOT NULL GROUP BY fingerprint, service_name) g
            JOIN analyses a ON a.id = g.last_id
            """),

        new(8, "notification outbox", """
            CREATE TABLE bifrost_notification_outbox (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                channel text NOT NULL,
                incident_id bigint NOT NULL,
                transition_seq integer NOT NULL,
                kind text NOT NULL,
                severity_rank smallint NOT NULL,
                message json NOT NULL,
                created_at timestamptz NOT NULL,
                next_attempt_at timestamptz NOT NULL,
                attempts integer NOT NULL DEFAULT 0,
                lease_until timestamptz,
                digest_of bigint,
                sent_at timestamptz,
                failed_at timestamptz,
                last_error text,
                UNIQUE (incident_id, transition_seq, channel)
            );
            CREATE INDEX bifrost_notification_outbox_due ON bifrost_notification_outbox (channel, next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
            CREATE INDEX bifrost_notification_outbox_sent ON bifrost_notification_outbox (channel, sent_at) WHERE sent_at IS NOT NULL
            """),
    ];

    public static readonly Migration[] Sqlite =
    [
        new(1, "analyses", """
            CREATE TABLE analyses (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                request_id TEXT NOT NULL UNIQUE,
                correlation_id TEXT NOT NULL,
                log_id INTEGER NOT NULL,
                service_name TEXT NOT NULL,
                environment TEXT NOT NULL,
                priority TEXT NOT NULL,
                analysis_type TEXT NOT NULL,
                callback_topic TEXT NOT NULL,
                metadata TEXT NOT NULL,
                log_content TEXT NOT NULL,
                source TEXT NOT NULL,
                request_timestamp INTEGER NOT NULL,
                status TEXT NOT NULL,
                received_at INTEGER NOT NULL,
                started_at INTEGER,
                completed_at INTEGER,
                attempts INTEGER NOT NULL DEFAULT 0,
                error TEXT,
                summary TEXT, root_cause TEXT, recommendation TEXT, severity TEXT, confidence REAL,
                category TEXT, fingerprint TEXT, evidence TEXT, model TEXT, engine TEXT, duration_seconds REAL,
                tokens_used INTEGER, cache_hit INTEGER, fallback INTEGER, result_at INTEGER
            );
            CREATE INDEX analyses_received_at ON analyses (received_at);
            CREATE INDEX analyses_service_received ON analyses (service_name, received_at);
            CREATE INDEX analyses_fingerprint ON analyses (fingerprint, received_at);
            CREATE INDEX analyses_status ON analyses (status)
            """),

        new(7, "incidents", """
            CREATE TABLE bifrost_incidents (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                fingerprint TEXT NOT NULL,
                service_name TEXT NOT NULL,
                status TEXT NOT NULL,
                muted_until INTEGER,
                first_seen INTEGER NOT NULL,
                last_seen INTEGER NOT NULL,
                occurrences INTEGER NOT NULL,
                severity_rank INTEGER NOT NULL,
                category TEXT NOT NULL,
                environments TEXT NOT NULL,
                latest_analysis_id INTEGER NOT NULL,
                resolved_at INTEGER,
                transition TEXT NOT NULL,
                transition_seq INTEGER NOT NULL,
                dispatched_seq INTEGER NOT NULL DEFAULT 0,
                UNIQUE (fingerprint, service_name)
            );
            CREATE INDEX bifrost_incidents_undispatched ON bifrost_incidents (id) WHERE transition_seq > dispatched_seq;
            CREATE INDEX bifrost_incidents_last_seen ON bifrost_incidents (last_seen);
            CREATE TABLE bifrost_incident_deltas (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                fingerprint TEXT NOT NULL,
                service_name TEXT NOT NULL,
                environment TEXT NOT NULL,
                occurrences INTEGER NOT NULL,
                first_seen INTEGER NOT NULL,
                last_seen INTEGER NOT NULL,
                severity_rank INTEGER NOT NULL,
                category TEXT NOT NULL,
                latest_analysis_id INTEGER NOT NULL
            );
            INSERT INTO bifrost_incidents (fingerprint, service_name, status, first_seen, last_seen, occurrences, severity_rank, category,
                environments, latest_analysis_id, transition, transition_seq, dispatched_seq)
            SELECT g.fingerprint, g.service_name, 'open', g.first_at, g.last_at, g.n, g.sev, a.category, g.envs, g.last_id, 'new', 1, 1
            FROM (SELECT fingerprint, service_name, min(received_at) AS first_at, max(received_at) AS last_at, count(*) AS n,
                         max(CASE severity WHEN 'CRITICAL' THEN 3 WHEN 'HIGH' THEN 2 WHEN 'MEDIUM' THEN 1 ELSE 0 END) AS sev,
                         json_group_array(DISTINCT environment) AS envs, max(id) AS last_id
                  FROM analyses WHERE status = 'COMPLETED' AND fingerprint IS NOT NULL GROUP BY fingerprint, service_name) g
            JOIN analyses a ON a.id = g.last_id
            """),

        // SQLite serves one instance (one writer): the outbox needs no row locks, only the same unique key.
        new(8, "notification outbox", """
            CREATE TABLE bifrost_notification_outbox (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                channel TEXT NOT NULL,
                incident_id INTEGER NOT NULL,
                transition_seq INTEGER NOT NULL,
                kind TEXT NOT NULL,
                severity_rank INTEGER NOT NULL,
                message TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                next_attempt_at INTEGER NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                lease_until INTEGER,
                digest_of INTEGER,
                sent_at INTEGER,
                failed_at INTEGER,
                last_error TEXT,
                UNIQUE (incident_id, transition_seq, channel)
            );
            CREATE INDEX bifrost_notification_outbox_due ON bifrost_notification_outbox (channel, next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
            CREATE INDEX bifrost_notification_outbox_sent ON bifrost_notification_outbox (channel, sent_at) WHERE sent_at IS NOT NULL
            """),
    ];
}
