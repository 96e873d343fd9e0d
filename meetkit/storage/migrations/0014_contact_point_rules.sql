-- A contact point's group rules, shown on member pages and sheets; NULL: meetkit's default rules.

ALTER TABLE contact_points ADD COLUMN rules_text TEXT;
