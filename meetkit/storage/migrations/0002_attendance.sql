-- Attendance: counts and meeting times only, never names, JIDs, addresses or per-person times.
-- One row per group and meeting day (local date, Europe/Berlin): several Jitsi sessions on one day (a
-- reconnect, a restarted room) are one meeting. Rules: meetkit/domain/attendance.py, docs/attendance.md.

CREATE TABLE meeting_sessions (
    id INTEGER PRIMARY KEY,
    group_id INTEGER NOT NULL REFERENCES support_groups (id) ON DELETE CASCADE,
    meeting_date TEXT NOT NULL,
    -- UTC, rounded to 5 minutes; NULL when only a hand count is known.
    started_at TEXT,
    ended_at TEXT,
    -- most Jitsi occupants at once (focus excluded; phone callers and recorders included, as Jitsi counts)
    peak_online INTEGER NOT NULL DEFAULT 0,
    -- hand counts from the leader page or the kiosk; NULL when nobody counted
    in_room_count INTEGER,
    phone_count INTEGER,
    -- bit set of where the figures came from: 1 census, 2 event webhooks, 4 leader, 8 kiosk, 16 staff
    sources INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    UNIQUE (group_id, meeting_date)
);

CREATE INDEX meeting_sessions_date ON meeting_sessions (meeting_date);

-- Ingestion state per room, so that a restart in the middle of a meeting continues it: the room's clock
-- (latest observation time applied, unix seconds), its current occupant count, its current or last session
-- with the start and the clock before it opened (floor). Late and repeated observations are recognised by
-- the clock and go to the session whose floor they follow.
CREATE TABLE room_states (
    group_id INTEGER PRIMARY KEY REFERENCES support_groups (id) ON DELETE CASCADE,
    clock INTEGER NOT NULL,
    occupants INTEGER NOT NULL,
    is_open BOOLEAN NOT NULL,
    opened_at INTEGER,
    session_floor INTEGER,
    session_id INTEGER REFERENCES meeting_sessions (id) ON DELETE SET NULL
);
