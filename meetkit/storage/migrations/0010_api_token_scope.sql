-- Staff API tokens carry a scope like staff accounts: an admin token sees every contact point, a staff
-- token only those listed in api_token_contact_points. Tokens made before this migration keep working as
-- admin tokens (the default below), as the README says.

ALTER TABLE api_tokens ADD COLUMN role TEXT NOT NULL DEFAULT 'admin' CHECK (role IN ('admin', 'staff'));

CREATE TABLE api_token_contact_points (
    token_id INTEGER NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
    contact_point_id INTEGER NOT NULL REFERENCES contact_points (id) ON DELETE CASCADE,
    PRIMARY KEY (token_id, contact_point_id)
);
