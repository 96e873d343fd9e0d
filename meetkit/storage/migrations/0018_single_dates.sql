-- Single dates (issue 12): a schedule of kind 'dates' has no rule (no weekday, start or duration); its
-- meetings are its extra dates only, each with its own start_time and duration_minutes. An extra date of a
-- regular schedule may carry its own time too (NULL: the rule's). No personal data.
--
-- This is the SQLite version. SQLite cannot change a CHECK or NOT NULL constraint, so both tables are
-- rebuilt after SQLite's "making other kinds of table schema changes" procedure: new table, copy, drop,
-- rename. Foreign keys stay on (the runner's transaction cannot switch them off), so the dates are copied
-- into their new table before the old schedules table is dropped (its implicit DELETE cascades), and the
-- new dates table refers to schedules_new, which the rename turns into schedules. Neither table has
-- indexes, triggers or views of its own besides its primary key. PostgreSQL alters the constraints in
-- place: 0018_single_dates.postgresql.sql.

CREATE TABLE schedules_new (
    group_id INTEGER PRIMARY KEY REFERENCES support_groups (id) ON DELETE CASCADE,
    frequency TEXT NOT NULL CHECK (frequency IN ('weekly', 'biweekly', 'monthly', 'dates')),
    weekday INTEGER CHECK (weekday BETWEEN 0 AND 6),
    start_time TEXT,
    duration_minutes INTEGER CHECK (duration_minutes BETWEEN 1 AND 720),
    place TEXT,
    anchor_date TEXT,
    nth INTEGER CHECK (nth IS NULL OR nth = -1 OR nth BETWEEN 1 AND 5),
    updated_at TEXT NOT NULL,
    CONSTRAINT schedules_rule_check CHECK (
        (frequency = 'dates' AND weekday IS NULL AND start_time IS NULL AND duration_minutes IS NULL)
        OR (frequency <> 'dates' AND weekday IS NOT NULL AND start_time IS NOT NULL
            AND duration_minutes IS NOT NULL)
    )
);

INSERT INTO schedules_new
    (group_id, frequency, weekday, start_time, duration_minutes, place, anchor_date, nth, updated_at)
SELECT group_id, frequency, weekday, start_time, duration_minutes, place, anchor_date, nth, updated_at
FROM schedules;

CREATE TABLE schedule_exceptions_new (
    group_id INTEGER NOT NULL REFERENCES schedules_new (group_id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('extra', 'cancelled')),
    start_time TEXT,
    duration_minutes INTEGER CHECK (duration_minutes BETWEEN 1 AND 720),
    PRIMARY KEY (group_id, day),
    CONSTRAINT schedule_exceptions_own_time_check CHECK (
        (start_time IS NULL AND duration_minutes IS NULL)
        OR (kind = 'extra' AND start_time IS NOT NULL AND duration_minutes IS NOT NULL)
    )
);

INSERT INTO schedule_exceptions_new (group_id, day, kind)
SELECT group_id, day, kind FROM schedule_exceptions;

DROP TABLE schedule_exceptions;

DROP TABLE schedules;

ALTER TABLE schedules_new RENAME TO schedules;

ALTER TABLE schedule_exceptions_new RENAME TO schedule_exceptions;
