-- The staff group list, and archiving and deleting groups from the staff web app.
-- name_key: the name as it is searched and sorted (casefolded, accents removed: domain/names.name_key),
-- filled by meetkit, for older groups at start (services/group_list.fill_name_keys). The indexes hold the
-- active groups only (what the list shows nearly always): a page of an admin's 11,000 groups, its count and
-- a search are read from them alone, in order, without touching the table (docs/performance.md).
-- archived_at / deleted_at: an archived or deleted group's links, PIN and room were retired at that moment
-- (as by `group rotate`); a deleted group stays as a row only so that its attendance still counts in the
-- monthly totals. Neither holds personal data.

ALTER TABLE support_groups ADD COLUMN name_key TEXT;
ALTER TABLE support_groups ADD COLUMN archived_at TEXT;
ALTER TABLE support_groups ADD COLUMN deleted_at TEXT;

CREATE INDEX support_groups_active_name_key ON support_groups (name_key, id)
    WHERE deleted_at IS NULL AND archived_at IS NULL;
CREATE INDEX support_groups_active_contact_point_name_key ON support_groups (contact_point_id, name_key, id)
    WHERE deleted_at IS NULL AND archived_at IS NULL;
