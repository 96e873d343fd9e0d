-- Staff accounts, their contact points, one-time setup links, sessions, second factors and the audit log.
-- Staff are employees, not members: their login and display name may be stored. Secrets are stored hashed
-- (argon2id for passwords, SHA-256 for the high-entropy setup tokens, session ids and recovery codes).

CREATE TABLE staff_accounts (
    id INTEGER PRIMARY KEY,
    login TEXT NOT NULL UNIQUE,
    display_name TEXT,
    role TEXT NOT NULL CHECK (role IN ('admin', 'staff')),
    password_hash TEXT,
    totp_secret TEXT,
    totp_pending_secret TEXT,
    totp_last_step INTEGER NOT NULL DEFAULT 0,
    disabled_at TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE staff_memberships (
    account_id INTEGER NOT NULL REFERENCES staff_accounts (id) ON DELETE CASCADE,
    contact_point_id INTEGER NOT NULL REFERENCES contact_points (id) ON DELETE CASCADE,
    PRIMARY KEY (account_id, contact_point_id)
);

CREATE TABLE staff_setup_links (
    token_hash TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES staff_accounts (id) ON DELETE CASCADE,
    expires_at TEXT NOT NULL,
    used_at TEXT
);

CREATE TABLE staff_sessions (
    id_hash TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES staff_accounts (id) ON DELETE CASCADE,
    signed_in BOOLEAN NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);

CREATE INDEX staff_sessions_account ON staff_sessions (account_id);

CREATE TABLE staff_recovery_codes (
    account_id INTEGER NOT NULL REFERENCES staff_accounts (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at TEXT,
    PRIMARY KEY (account_id, code_hash)
);

-- Failed sign-ins per login name as typed (hashed), whether or not such an account exists: the growing
-- delay then looks the same for unknown names and real ones.
CREATE TABLE staff_login_failures (
    login_hash TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_failed_at TEXT NOT NULL
);

CREATE TABLE staff_settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Who did what when; never member data (no codes, tokens, PINs; groups by id and name only).
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT,
    action TEXT NOT NULL,
    target TEXT
);

CREATE INDEX audit_log_at ON audit_log (at);
