-- 0010_import_progress.sql: progress of checking a large import file.
--
-- A file of more rows than the setting org.import_chunk_rows is kept as
-- soon as it is uploaded and checked one chunk of rows per request
-- (docs/IMPORT.md), so the preview can show how far checking has got.
-- error_count (0007) now counts the bad rows found so far.

-- Data rows checked so far; equal to row_count once checking is complete.
ALTER TABLE org_import ADD COLUMN rows_checked BIGINT NOT NULL DEFAULT 0;
-- The problems found so far, a JSON array of [row, "column", "reason"]
-- (at most 10,000; error_count stays exact).
ALTER TABLE org_import ADD COLUMN check_errors TEXT NOT NULL DEFAULT '[]';
