-- Group schedules (one rule per group), single extra and cancelled dates, and kiosk tablets.
-- Privacy: no personal data. Device tokens and pairing tokens are stored only as SHA-256 hashes.
-- Times are local wall times in Europe/Berlin ("19:00"); dates are "YYYY-MM-DD".

CREATE TABLE schedules (
    group_id INTEGER PRIMARY KEY REFERENCES support_groups (id) ON DELETE CASCADE,
    frequency TEXT NOT NULL CHECK (frequency IN ('weekly', 'biweekly', 'monthly')),
    weekday INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    start_time TEXT NOT NULL,
    duration_minutes INTEGER NOT NULL CHECK (duration_minutes BETWEEN 1 AND 720),
    place TEXT,
    anchor_date TEXT,
    nth INTEGER CHECK (nth IS NULL OR nth = -1 OR nth BETWEEN 1 AND 5),
    updated_at TEXT NOT NULL
);

-- At most one exception per group and day: an extra meeting, or a cancelled regular one.
CREATE TABLE schedule_exceptions (
    group_id INTEGER NOT NULL REFERENCES schedules (group_id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('extra', 'cancelled')),
    PRIMARY KEY (group_id, day)
);

-- A tablet lent by a contact point. It holds a device token (kept as a hash) once paired through a
-- one-time pairing link (also a hash, short expiry); revoking ends both for good.
CREATE TABLE devices (
    id INTEGER PRIMARY KEY,
    contact_point_id INTEGER NOT NULL REFERENCES contact_points (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT UNIQUE,
    pairing_hash TEXT UNIQUE,
    pairing_expires_at TEXT,
    paired_at TEXT,
    revoked BOOLEAN NOT NULL DEFAULT FALSE,
    revoked_at TEXT,
    created_at TEXT NOT NULL
);

CREATE INDEX devices_contact_point ON devices (contact_point_id);
