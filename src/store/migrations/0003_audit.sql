-- 0003_audit.sql: the audit trail (audit/audit.c).
--
-- Append-only and chained with HMAC-SM3 (see audit/audit.h).  The
-- triggers that refuse UPDATE, DELETE and TRUNCATE differ between SQLite
-- and PostgreSQL, so audit_install_guards() creates them after migrating.

-- One row per event.  id is assigned by audit_append() as audit_head's
-- last_id + 1, never by the database, so ids are consecutive and a gap
-- means a deleted row.  No foreign keys: the trail outlives what it names.
CREATE TABLE audit_log (
  id          BIGINT PRIMARY KEY,        -- position in the chain, from 1
  at          BIGINT NOT NULL,           -- when recorded, seconds UTC
  user_id     BIGINT NOT NULL DEFAULT 0, -- acting user (0: nobody logged in)
  login       TEXT NOT NULL DEFAULT '',  -- their login, or as typed
  role        TEXT NOT NULL DEFAULT '',  -- role acted under
  source_addr TEXT NOT NULL DEFAULT '',  -- client address, or 'cli'
  action      TEXT NOT NULL,             -- dotted verb, e.g. 'clue.read'
  object_type TEXT NOT NULL DEFAULT '',  -- e.g. 'clue' ('' when none)
  object_id   BIGINT NOT NULL DEFAULT 0, -- that object's id (0 when none)
  outcome     TEXT NOT NULL CHECK (outcome IN ('ok', 'denied', 'failed')),
  summary     TEXT NOT NULL DEFAULT '',  -- for people; never a secret
  prev_mac    @BLOB@ NOT NULL,           -- the previous row's mac
  mac         @BLOB@ NOT NULL            -- HMAC-SM3 over prev_mac and this row
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_user ON audit_log(user_id, id);
CREATE INDEX audit_log_object ON audit_log(object_type, object_id, id);

-- The chain's two ends, under their own tag, so that cutting rows off
-- the end (or, after a purge, the start) is detected.  At most one row;
-- created by the first audit_append().
CREATE TABLE audit_head (
  one        BIGINT PRIMARY KEY CHECK (one = 1),
  first_id   BIGINT NOT NULL,  -- lowest id kept (1 until a purge)
  first_prev @BLOB@,           -- mac of the row before first_id (NULL: none)
  last_id    BIGINT NOT NULL,  -- highest id (0: empty)
  last_mac   @BLOB@,           -- mac of row last_id (NULL: empty)
  head_mac   @BLOB@            -- HMAC-SM3 over the four values above
);
