-- The language a group's printed sheet uses when nobody asks for another: de, en or ls (Leichte Sprache).

ALTER TABLE support_groups ADD COLUMN sheet_lang TEXT NOT NULL DEFAULT 'de' CHECK (sheet_lang IN ('de', 'en', 'ls'));
