-- Room names replaced by a rotation are never issued again: whoever kept an old member link (which holds
-- the Jitsi room URL) must not land in any later meeting, of this group or another. A retired room still
-- counts for its group for a few hours after the renewal (the meeting that was running goes on; rules in
-- meetkit/domain/attendance.py); the conference mapper and the PIN look-up never lead to it.
-- group_id is kept only for that attribution; deleting the group keeps the name retired.
CREATE TABLE retired_rooms (
    room TEXT PRIMARY KEY,
    group_id INTEGER REFERENCES support_groups (id) ON DELETE SET NULL,
    retired_at TEXT NOT NULL
);
