using Archiver.Storage.Relational;

namespace Archiver.Storage.Sqlite;

/// <summary>
/// The schema, as the ordered list of steps that build it. Times are unix milliseconds (UTC);
/// enums are lowercase snake-case text (see <see cref="DbText"/>).
/// </summary>
internal static class Migrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "customers", """
            CREATE TABLE customers (
                id                      TEXT    NOT NULL PRIMARY KEY,
                name                    TEXT    NOT NULL,
                state                   TEXT    NOT NULL,
                state_reason            TEXT    NULL,
                access_token_protected  TEXT    NULL,
                refresh_token_protected TEXT    NULL,
                rate_per_second         REAL    NULL,
                burst                   INTEGER NULL,
                parallelism             INTEGER NULL,
                path_template           TEXT    NULL,
                created_at              INTEGER NOT NULL
            ) STRICT;
            """),

        new(2, "items", """
            CREATE TABLE items (
                id              INTEGER PRIMARY KEY AUTOINCREMENT,
                customer_id     TEXT    NOT NULL REFERENCES customers (id),
                external_id     TEXT    NOT NULL,
                kind            TEXT    NOT NULL,
                source          TEXT    NOT NULL,
                size            INTEGER NULL,
                occurred_at     INTEGER NOT NULL,
                from_party      TEXT    NULL,
                to_party        TEXT    NULL,
                status          TEXT    NOT NULL,
                attempts        INTEGER NOT NULL DEFAULT 0,
                next_attempt_at INTEGER NOT NULL,
                fencing_token   INTEGER NOT NULL DEFAULT 0,
                archived_path   TEXT    NULL,
                dropbox_id      TEXT    NULL,
                rev             TEXT    NULL,
                content_hash    TEXT    NULL,
                archived_size   INTEGER NULL,
                last_error      TEXT    NULL,
                enqueued_at     INTEGER NOT NULL,
                updated_at      INTEGER NOT NULL,
                UNIQUE (customer_id, external_id)
            ) STRICT;

            -- Claims, releases, retries and progress: one customer's items in one status, in id order.
            CREATE INDEX ix_items_customer_status_id ON items (customer_id, status, id);

            -- Listing a customer's items of every status in id order (an index ends in the rowid, which is the id).
            CREATE INDEX ix_items_customer_id ON items (customer_id);

            -- NextDueAt: the earliest pending item of a customer.
            CREATE INDEX ix_items_pending_due ON items (customer_id, next_attempt_at) WHERE status = 'pending';
            """),

        new(3, "events", """
            CREATE TABLE events (
                seq         INTEGER PRIMARY KEY AUTOINCREMENT,
                at          INTEGER NOT NULL,
                customer_id TEXT    NULL,
                item_id     INTEGER NULL,
                type        TEXT    NOT NULL,
                details     TEXT    NOT NULL
            ) STRICT;

            CREATE INDEX ix_events_customer_seq ON events (customer_id, seq);
            """),

        new(4, "leases", """
            -- One row per customer that was ever leased. The row outlives its holder (node_id NULL once released)
            -- so the fencing token only ever grows.
            CREATE TABLE leases (
                customer_id   TEXT    NOT NULL PRIMARY KEY REFERENCES customers (id),
                node_id       TEXT    NULL,
                fencing_token INTEGER NOT NULL,
                expires_at    INTEGER NOT NULL
            ) STRICT;
            """),

        new(5, "customer conflict policy", """
            ALTER TABLE customers ADD COLUMN conflict_policy TEXT NULL;
            """),

        new(6, "nodes", """
            -- Cluster membership: one row per registered node, refreshed every heartbeat, removed on a graceful leave.
            CREATE TABLE nodes (
                node_id        TEXT    NOT NULL PRIMARY KEY,
                address        TEXT    NOT NULL,
                started_at     INTEGER NOT NULL,
                last_heartbeat INTEGER NOT NULL,
                items_per_sec  REAL    NOT NULL
            ) STRICT;
            """),

        new(7, "customers version", """
            -- One counter that every change to customers moves, so a node looks at it every refresh and lists the
            -- customers only when it moved. Triggers keep it honest whatever statement changed a customer.
            CREATE TABLE customers_version (
                id      INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
                version INTEGER NOT NULL
            ) STRICT;

            INSERT INTO customers_version (id, version) VALUES (1, 0);

            CREATE TRIGGER customers_inserted AFTER INSERT ON customers
            BEGIN UPDATE customers_version SET version = version + 1; END;

            CREATE TRIGGER customers_updated AFTER UPDATE ON customers
            BEGIN UPDATE customers_version SET version = version + 1; END;

            CREATE TRIGGER customers_deleted AFTER DELETE ON customers
            BEGIN UPDATE customers_version SET version = version + 1; END;
            """),

        new(8, "nodes cluster address", """
            -- Each node's Akka.Cluster address: the nodes find one another's, to join the cluster, through the database
            -- they already share, and map the cluster's members back to node ids by it. Rows written before it, and
            -- nodes that have not joined yet, read as empty.
            ALTER TABLE nodes ADD COLUMN cluster_address TEXT NOT NULL DEFAULT '';
            """),

        new(9, "retention indexes", """
            -- Retention removes archived items by their last update, oldest first; only archived items are ever removed.
            CREATE INDEX ix_items_archived_updated ON items (updated_at) WHERE status = 'archived';

            -- And journal entries by time: the failure types (EventTypes.Failures, kept longer) apart from the rest, so
            -- neither delete reads past the other's entries. The list is written as the retention statements write it.
            CREATE INDEX ix_events_failures_at ON events (at)
                WHERE type IN ('item.failed', 'customer.state_changed', 'pipeline.restarted', 'lease.lost');
            CREATE INDEX ix_events_others_at ON events (at)
                WHERE type NOT IN ('item.failed', 'customer.state_changed', 'pipeline.restarted', 'lease.lost');
            """),

        new(10, "alert cursors", """
            -- How far each alert webhook has delivered the journal (events.seq): moved only after its receiver answered 2xx.
            -- Keyed by the webhook's URL, its credentials masked.
            CREATE TABLE alert_cursors (
                webhook    TEXT    NOT NULL PRIMARY KEY,
                seq        INTEGER NOT NULL,
                updated_at INTEGER NOT NULL
            ) STRICT;
            """),
    ];
}
