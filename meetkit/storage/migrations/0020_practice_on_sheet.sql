-- Whether the contact point's sheets print the address of its practice room ("Technik ausprobieren").

ALTER TABLE contact_points ADD COLUMN practice_on_sheet BOOLEAN NOT NULL DEFAULT FALSE;
