-- The staff desk (issue 11): batches of sheets rendered in the background.
-- A batch belongs to a contact point; its finished PDF (base64, so that both backends store it as text) is
-- kept only for a short time and deleted with the row. Sheets carry no personal data.

CREATE TABLE sheet_batches (
    id INTEGER PRIMARY KEY,
    contact_point_id INTEGER NOT NULL REFERENCES contact_points (id) ON DELETE CASCADE,
    actor TEXT,
    lang TEXT NOT NULL,
    layout TEXT NOT NULL,
    total INTEGER NOT NULL,
    done INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed')),
    pdf TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE INDEX sheet_batches_created ON sheet_batches (created_at);
