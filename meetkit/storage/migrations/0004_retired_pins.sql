-- PINs replaced by a rotation are never issued again: a member dialling the PIN from an old printed
-- sheet must never land in another group's room. A retired PIN leads nowhere ("conference": false).
CREATE TABLE retired_pins (
    pin TEXT PRIMARY KEY,
    retired_at TEXT NOT NULL
);
