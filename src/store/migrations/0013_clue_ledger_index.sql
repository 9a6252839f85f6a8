-- 0013_clue_ledger_index.sql: the ledger and figures start from the
-- viewer's grants (CLUE_SEEN in stmts.def: user_id or office_code, the
-- two clue object types, live); these covering indexes answer that
-- subquery from the index alone, without visiting record_access rows.
-- The ledger's "recently updated" orders get an index of their own.
CREATE INDEX record_access_seen_user ON record_access(user_id, object_type,
  revoked_at, expires_at, object_id);
CREATE INDEX record_access_seen_office ON record_access(office_code,
  object_type, revoked_at, expires_at, object_id);
CREATE INDEX clue_updated ON clue(updated_at, id);
