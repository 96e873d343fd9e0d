-- The inventory and its loans (issue 17): a contact point's devices (kiosk tablets among them) get a kind, a
-- serial number and notes; a loan lends one device to one group for a period of days. A loan refers to a
-- group, never to a person: the borrower signs the paper form, which stays at the contact point.
-- Privacy: only `devices.notes`, `loans.notes` and `loans.return_note` are free text that staff write (their
-- help text warns not to put names there). Days are "YYYY-MM-DD" (local, Europe/Berlin), the last one included.
-- The group's tablet: a loan may carry a device token (its own, kept as a SHA-256 hash, like the kiosk's)
-- that works only while the loan runs; its one-time pairing link is a hash with a short expiry too.

ALTER TABLE devices ADD COLUMN kind TEXT NOT NULL DEFAULT 'tablet';
ALTER TABLE devices ADD COLUMN serial_number TEXT;
ALTER TABLE devices ADD COLUMN notes TEXT;

CREATE TABLE loans (
    id INTEGER PRIMARY KEY,
    device_id INTEGER NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    group_id INTEGER NOT NULL REFERENCES support_groups (id) ON DELETE CASCADE,
    contact_point_id INTEGER NOT NULL REFERENCES contact_points (id) ON DELETE CASCADE,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    notes TEXT,
    returned_on TEXT,
    return_note TEXT,
    tablet_token_hash TEXT UNIQUE,
    tablet_pairing_hash TEXT UNIQUE,
    tablet_pairing_expires_at TEXT,
    tablet_paired_at TEXT,
    created_at TEXT NOT NULL,
    CHECK (starts_on <= ends_on),
    CHECK (returned_on IS NULL OR returned_on >= starts_on)
);

CREATE INDEX loans_device ON loans (device_id, starts_on);
CREATE INDEX loans_contact_point ON loans (contact_point_id, starts_on);
