-- When a tablet's kiosk page last asked (UTC, ISO text), written at most once a minute; staff see it.
ALTER TABLE devices ADD COLUMN last_seen_at TEXT;
