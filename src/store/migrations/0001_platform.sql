-- 0001_platform.sql: the platform's own tables.
--
-- Portable SQL for SQLite 3.40 and PostgreSQL 15.  store/migrate.c
-- replaces two macros before running it: @ID@ (an auto-assigned 64-bit
-- primary key) and @BLOB@ (binary data).  Times are BIGINT seconds since
-- the epoch, UTC; the web layer renders them as ISO-8601.

-- Settings that an administrator may change at run time (policies,
-- numbering formats, deadline parameters).  Each key is documented where
-- it is read; the value is text, parsed by its reader.
CREATE TABLE setting (
  key        TEXT PRIMARY KEY,   -- e.g. 'demo.city'
  value      TEXT NOT NULL,      -- the value as text
  updated_at BIGINT NOT NULL     -- when it was last written
);
