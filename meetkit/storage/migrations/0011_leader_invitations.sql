-- Leader invitations (issue 12): a contact point invites a leader, who creates the group's link; guest links
-- for one meeting date; one-time hand-over links to a new leader. Every token is stored only as its SHA-256
-- hash. No personal data: no names of people, no e-mail addresses (an invitation e-mailed is not stored).

CREATE TABLE leader_invitations (
    id INTEGER PRIMARY KEY,
    contact_point_id INTEGER NOT NULL REFERENCES contact_points (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_by TEXT,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    withdrawn_at TEXT,
    used_at TEXT,
    -- the hash of the form submission that used it: the same submission sent twice finds its group again
    submission_hash TEXT,
    group_id INTEGER REFERENCES support_groups (id) ON DELETE SET NULL
);

CREATE INDEX leader_invitations_contact_point ON leader_invitations (contact_point_id);

CREATE TABLE guest_links (
    id INTEGER PRIMARY KEY,
    group_id INTEGER NOT NULL REFERENCES support_groups (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    meeting_date TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE INDEX guest_links_group ON guest_links (group_id);

CREATE TABLE leader_handovers (
    id INTEGER PRIMARY KEY,
    group_id INTEGER NOT NULL REFERENCES support_groups (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    submission_hash TEXT
);

CREATE INDEX leader_handovers_group ON leader_handovers (group_id);
