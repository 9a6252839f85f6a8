-- 0003_audit.sql: the audit trail (audit/audit.c).
--
-- Append-only and chained with HMAC-SM3 (see audit/audit.h).  The
-- triggers at the end refuse UPDATE, DELETE and TRUNCATE for every
-- connection, the application's included; the chain makes what a
-- superuser could still do anyway detectable.

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

-- Guards.  The one DELETE allowed is of rows below audit_head.first_id:
-- audit_purge_before() first moves first_id forward under the key (the
-- new head tag needs it), then deletes.  audit_head may only move forward.
-- @if sqlite
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN OLD.id >= COALESCE((SELECT first_id FROM audit_head WHERE one = 1), 0)
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
BEGIN
  SELECT RAISE(ABORT, 'audit_head cannot be deleted');
END;
CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_head
WHEN NEW.one <> OLD.one OR NEW.first_id < OLD.first_id
  OR NEW.last_id < OLD.last_id
BEGIN
  SELECT RAISE(ABORT, 'audit_head only moves forward');
END;
-- @endif
-- @if postgresql
-- insufficient_privilege (42501) reaches callers as DB_EDENIED.
CREATE FUNCTION audit_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_LEVEL = 'ROW' AND TG_OP = 'DELETE'
     AND TG_TABLE_NAME = 'audit_log' THEN
    IF OLD.id < COALESCE((SELECT first_id FROM audit_head WHERE one = 1),
                         0) THEN
      RETURN OLD;
    END IF;
  ELSIF TG_LEVEL = 'ROW' AND TG_OP = 'UPDATE'
        AND TG_TABLE_NAME = 'audit_head' THEN
    IF NEW.one = OLD.one AND NEW.first_id >= OLD.first_id
       AND NEW.last_id >= OLD.last_id THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_log_guard BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_guard();
CREATE TRIGGER audit_log_guard_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_guard();
CREATE TRIGGER audit_head_guard BEFORE UPDATE OR DELETE ON audit_head
  FOR EACH ROW EXECUTE FUNCTION audit_guard();
CREATE TRIGGER audit_head_guard_truncate BEFORE TRUNCATE ON audit_head
  FOR EACH STATEMENT EXECUTE FUNCTION audit_guard();
-- @endif
