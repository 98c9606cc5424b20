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
    ];
}
