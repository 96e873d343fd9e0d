-- Retention (issue 16): meetings older than MEETKIT_RETENTION_MONTHS are deleted, but first summed up here,
-- so that monthly reports of those months stay exactly as they were. One row per group, calendar month
-- and ISO week (its Monday; only the days of the week inside the month), the figures of the report: meetings
-- that counted, their participants (online + in room + phone) and the sessions that did not count.
-- Counts only, like meeting_sessions: nothing about any person.
CREATE TABLE monthly_totals (
    group_id INTEGER NOT NULL REFERENCES support_groups (id) ON DELETE CASCADE,
    month TEXT NOT NULL,
    week_monday TEXT NOT NULL,
    meetings INTEGER NOT NULL,
    participants INTEGER NOT NULL,
    online INTEGER NOT NULL,
    in_room_count INTEGER NOT NULL,
    phone_count INTEGER NOT NULL,
    not_counted INTEGER NOT NULL,
    PRIMARY KEY (group_id, month, week_monday)
);

CREATE INDEX monthly_totals_month ON monthly_totals (month);
