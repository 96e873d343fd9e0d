-- The failure budget (issue 13): failed look-ups by secret, shared by every meetkit process and kept
-- across restarts. `client` is a keyed hash (key derived from MEETKIT_SECRET) of the visitor's IPv4
-- address or IPv6 /64, never the address. Times are UTC ISO 8601 with microseconds, compared as text.
-- Rows are deleted once they leave the longest window (an hour).
CREATE TABLE lookup_failures (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    client TEXT NOT NULL,
    failed_at TEXT NOT NULL
);
CREATE INDEX lookup_failures_by_client ON lookup_failures (kind, client, failed_at);
CREATE INDEX lookup_failures_by_time ON lookup_failures (failed_at);

-- Clients that used up a budget, and until when: every look-up checks them through the read cache.
CREATE TABLE lookup_blocks (
    kind TEXT NOT NULL,
    client TEXT NOT NULL,
    blocked_until TEXT NOT NULL,
    PRIMARY KEY (kind, client)
);
CREATE INDEX lookup_blocks_by_time ON lookup_blocks (blocked_until);
