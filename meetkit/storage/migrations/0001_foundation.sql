-- Contact points, groups, retired links and staff API tokens.
-- Privacy: no column holds personal data about members. Secrets that only need to be recognised
-- (leader tokens, API tokens, retired codes) are stored as SHA-256 hashes.

CREATE TABLE contact_points (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    phone TEXT,
    show_group_names BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TEXT NOT NULL
);

CREATE TABLE support_groups (
    id INTEGER PRIMARY KEY,
    contact_point_id INTEGER REFERENCES contact_points (id) ON DELETE RESTRICT,
    name TEXT NOT NULL,
    room TEXT NOT NULL UNIQUE,
    member_code TEXT NOT NULL UNIQUE,
    leader_token_hash TEXT NOT NULL UNIQUE,
    pin TEXT UNIQUE,
    created_at TEXT NOT NULL,
    renewed_at TEXT
);

CREATE INDEX support_groups_contact_point ON support_groups (contact_point_id);

-- Old member codes and leader tokens, so that a renewed link gets a friendly explanation.
CREATE TABLE retired_links (
    kind TEXT NOT NULL CHECK (kind IN ('member', 'leader')),
    secret_hash TEXT NOT NULL,
    group_id INTEGER NOT NULL REFERENCES support_groups (id) ON DELETE CASCADE,
    retired_at TEXT NOT NULL,
    PRIMARY KEY (kind, secret_hash)
);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
