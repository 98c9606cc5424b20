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

        // Heimdall's releases (issue 13): the dialect a request came in (its result is written in it again on
        // redelivery), release 2's tenant (filterable: a partial index, most rows have none), and the LLM's token
        // usage split as release 2 reports it.
        new(3, "heimdall dialects", """
            ALTER TABLE analyses ADD COLUMN dialect text NOT NULL DEFAULT 'guide',
                ADD COLUMN tenant_id text, ADD COLUMN prompt_tokens integer, ADD COLUMN completion_tokens integer;
            CREATE INDEX analyses_tenant ON analyses (tenant_id, id) WHERE tenant_id IS NOT NULL
            """),

        // Idempotency per caller (issue 14): API callers' request_ids are stored as caller␟request_id in the same
        // unique column (no index change); request_hash tells a retry from a reused id with different content.
        new(4, "request hash", "ALTER TABLE analyses ADD COLUMN IF NOT EXISTS request_hash text"),

        // Issue 16: team knowledge. Feedback on analyses (votes, corrections, resolution notes; never deleted, withdrawn
        // instead) and the version counters serving instances poll to notice another instance's changes.
        new(5, "feedback", """
            CREATE TABLE analysis_feedback (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                analysis_id bigint NOT NULL,
                fingerprint text NOT NULL,
                service_name text NOT NULL,
                analysis_category text NOT NULL,
                analysis_severity text NOT NULL,
                engine text NOT NULL,
                helpful boolean,
                category text,
                severity text,
                service_specific boolean NOT NULL DEFAULT false,
                note text,
                author text NOT NULL,
                created_at timestamptz NOT NULL,
                updated_at timestamptz NOT NULL,
                updated_by text NOT NULL,
                withdrawn_at timestamptz,
                withdrawn_by text
            );
            CREATE INDEX analysis_feedback_analysis ON analysis_feedback (analysis_id);
            CREATE INDEX analysis_feedback_fingerprint ON analysis_feedback (fingerprint);
            CREATE INDEX analysis_feedback_created ON analysis_feedback (created_at);
            CREATE TABLE knowledge_versions (name text PRIMARY KEY, version bigint NOT NULL);
            INSERT INTO knowledge_versions (name, version) VALUES ('feedback', 0), ('runbooks', 0)
            """),

        // Runbook sections, searched with a GIN-indexed tsvector over title (weight A) and body (weight D); the indexed
        // text is the section's words as Bifrost splits them (KnowledgeText.ForIndex), so dotted and snake_case names
        // match the same way in both stores. The section's category is one more token (category_words), so "this
        // category AND any of these words" is answered from the index alone. fastupdate off: imports are rare, and a
        // pending list of unsorted new entries (scanned whole by every search until vacuum merges it) made each search
        // after an import take 13–40 ms instead of ~0.5 ms. runbook_lookups: what a lookup answered, per lookup key
        // (category, fingerprint, service) and time — written only when a lookup is computed, not per analysis: an
        // analysis's citations are its key's newest row computed at or before its result (cached answers cost nothing).
        new(6, "runbooks", """
            CREATE TABLE runbook_sections (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                source_path text NOT NULL,
                position integer NOT NULL,
                title text NOT NULL,
                anchor text NOT NULL,
                body text NOT NULL,
                category text,
                title_words text NOT NULL,
                body_words text NOT NULL,
                category_words text NOT NULL,
                search tsvector GENERATED ALWAYS AS (setweight(to_tsvector('english', title_words), 'A') || setweight(to_tsvector('english', body_words), 'D') || setweight(to_tsvector('simple', category_words), 'C')) STORED,
                added_at timestamptz NOT NULL,
                added_by text NOT NULL
            );
            CREATE INDEX runbook_sections_search ON runbook_sections USING GIN (search) WITH (fastupdate = off);
            CREATE INDEX runbook_sections_source ON runbook_sections (source_path);
            CREATE INDEX runbook_sections_category ON runbook_sections (category);
            CREATE TABLE runbook_lookups (
                lookup_key text COLLATE "C" NOT NULL,
                computed_at timestamptz NOT NULL,
                citations json NOT NULL,
                PRIMARY KEY (lookup_key, computed_at)
            )
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

        new(3, "heimdall dialects", """
            ALTER TABLE analyses ADD COLUMN dialect TEXT NOT NULL DEFAULT 'guide';
            ALTER TABLE analyses ADD COLUMN tenant_id TEXT;
            ALTER TABLE analyses ADD COLUMN prompt_tokens INTEGER;
            ALTER TABLE analyses ADD COLUMN completion_tokens INTEGER;
            CREATE INDEX analyses_tenant ON analyses (tenant_id, id) WHERE tenant_id IS NOT NULL
            """),

        // Idempotency per caller (issue 14): see the PostgreSQL migration of the same number.
        new(4, "request hash", "ALTER TABLE analyses ADD COLUMN request_hash TEXT"),

        // Issue 16: see the PostgreSQL list. Times are unix milliseconds, as in analyses.
        new(5, "feedback", """
            CREATE TABLE analysis_feedback (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                analysis_id INTEGER NOT NULL,
                fingerprint TEXT NOT NULL,
                service_name TEXT NOT NULL,
                analysis_category TEXT NOT NULL,
                analysis_severity TEXT NOT NULL,
                engine TEXT NOT NULL,
                helpful INTEGER,
                category TEXT,
                severity TEXT,
                service_specific INTEGER NOT NULL DEFAULT 0,
                note TEXT,
                author TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                updated_by TEXT NOT NULL,
                withdrawn_at INTEGER,
                withdrawn_by TEXT
            );
            CREATE INDEX analysis_feedback_analysis ON analysis_feedback (analysis_id);
            CREATE INDEX analysis_feedback_fingerprint ON analysis_feedback (fingerprint);
            CREATE INDEX analysis_feedback_created ON analysis_feedback (created_at);
            CREATE TABLE knowledge_versions (name TEXT PRIMARY KEY, version INTEGER NOT NULL);
            INSERT INTO knowledge_versions (name, version) VALUES ('feedback', 0), ('runbooks', 0)
            """),

        // FTS5 (porter stemming, like PostgreSQL's english configuration) over the same word texts; its rowid is the section id.
        // category_words holds one token for the section's category, so "this category AND any of these words" is an
        // intersection of posting lists inside the index (PostgreSQL filters on the indexed category column instead).
        new(6, "runbooks", """
            CREATE TABLE runbook_sections (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                source_path TEXT NOT NULL,
                position INTEGER NOT NULL,
                title TEXT NOT NULL,
                anchor TEXT NOT NULL,
                body TEXT NOT NULL,
                category TEXT,
                added_at INTEGER NOT NULL,
                added_by TEXT NOT NULL
            );
            CREATE INDEX runbook_sections_source ON runbook_sections (source_path);
            CREATE INDEX runbook_sections_category ON runbook_sections (category);
            CREATE VIRTUAL TABLE runbook_search USING fts5(title_words, body_words, category_words, tokenize = 'porter unicode61');
            CREATE TABLE runbook_lookups (
                lookup_key TEXT NOT NULL,
                computed_at INTEGER NOT NULL,
                citations TEXT NOT NULL,
                PRIMARY KEY (lookup_key, computed_at)
            )
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
