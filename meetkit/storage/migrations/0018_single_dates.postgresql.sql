-- Single dates (issue 12), the PostgreSQL version of 0018_single_dates.sql (read that one for the why):
-- PostgreSQL changes the constraints in place, where SQLite must rebuild both tables.

ALTER TABLE schedules DROP CONSTRAINT schedules_frequency_check;

ALTER TABLE schedules ADD CONSTRAINT schedules_frequency_check
    CHECK (frequency IN ('weekly', 'biweekly', 'monthly', 'dates'));

ALTER TABLE schedules ALTER COLUMN weekday DROP NOT NULL;

ALTER TABLE schedules ALTER COLUMN start_time DROP NOT NULL;

ALTER TABLE schedules ALTER COLUMN duration_minutes DROP NOT NULL;

ALTER TABLE schedules ADD CONSTRAINT schedules_rule_check CHECK (
    (frequency = 'dates' AND weekday IS NULL AND start_time IS NULL AND duration_minutes IS NULL)
    OR (frequency <> 'dates' AND weekday IS NOT NULL AND start_time IS NOT NULL
        AND duration_minutes IS NOT NULL)
);

ALTER TABLE schedule_exceptions ADD COLUMN start_time TEXT;

ALTER TABLE schedule_exceptions ADD COLUMN duration_minutes INTEGER
    CHECK (duration_minutes BETWEEN 1 AND 720);

ALTER TABLE schedule_exceptions ADD CONSTRAINT schedule_exceptions_own_time_check CHECK (
    (start_time IS NULL AND duration_minutes IS NULL)
    OR (kind = 'extra' AND start_time IS NOT NULL AND duration_minutes IS NOT NULL)
);
