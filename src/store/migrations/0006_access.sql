-- 0006_access.sql: need-to-know (知悉范围) access lists and the requests
-- that widen them (auth/ntk.c).
--
-- A protected record is visible only to the users and offices on its
-- access list: auth/ntk.h's NTK_VISIBLE() predicate, which every list,
-- count, search and export of such records includes, reads this table.
-- Rows are never deleted: a revocation or an expiry ends a grant, and the
-- row stays as the record of who could see what, and when.  No foreign
-- keys on the "who" columns: 0 means "nobody" (office grants, grants made
-- at creation without approval), and the list outlives accounts.

-- One entry of a record's access list: a user or an office.
CREATE TABLE record_access (
  id            @ID@,
  object_type   TEXT NOT NULL,             -- e.g. 'clue'; a literal in NTK_VISIBLE()
  object_id     BIGINT NOT NULL,           -- the record's id in its own table
  user_id       BIGINT NOT NULL DEFAULT 0, -- the user listed (0: an office grant)
  office_code   TEXT NOT NULL DEFAULT '',  -- the office listed ('': a user grant)
  reason        TEXT NOT NULL,             -- why they may know (知悉理由)
  granted_by    BIGINT NOT NULL,           -- who put them on the list (creator, requester)
  approved_by   BIGINT NOT NULL DEFAULT 0, -- who approved it (0: initial, no approval)
  request_id    BIGINT NOT NULL DEFAULT 0, -- access_request it came from (0: none)
  granted_at    BIGINT NOT NULL,           -- when it began
  expires_at    BIGINT NOT NULL DEFAULT 0, -- when it ends by itself (0: never)
  revoked_at    BIGINT NOT NULL DEFAULT 0, -- when it was revoked (0: live)
  revoked_by    BIGINT NOT NULL DEFAULT 0, -- who revoked it
  revoke_reason TEXT NOT NULL DEFAULT '',  -- why
  CHECK ((user_id > 0 AND office_code = '') OR (user_id = 0 AND office_code <> ''))
);
-- The two halves of NTK_VISIBLE()'s OR: by user, by office.
CREATE INDEX record_access_user ON record_access(object_type, object_id, user_id);
CREATE INDEX record_access_office ON record_access(object_type, object_id, office_code);

-- A request to put someone on a record's access list.  Accepted whether
-- or not the record exists or the requester may see it (the answer must
-- not tell them); an approver decides.  status: pending | approved |
-- rejected.
CREATE TABLE access_request (
  id              @ID@,
  object_type     TEXT NOT NULL,             -- as in record_access
  object_id       BIGINT NOT NULL,
  requester_id    BIGINT NOT NULL REFERENCES app_user(id), -- who asks
  for_user_id     BIGINT NOT NULL DEFAULT 0, -- for whom (0: an office)
  for_office_code TEXT NOT NULL DEFAULT '',  -- or for which office ('': a user)
  reason          TEXT NOT NULL,             -- why they need to know
  status          TEXT NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'approved', 'rejected')),
  decided_by      BIGINT NOT NULL DEFAULT 0, -- the approver (0: undecided)
  decided_at      BIGINT NOT NULL DEFAULT 0,
  decision_note   TEXT NOT NULL DEFAULT '',  -- the approver's note
  grant_id        BIGINT NOT NULL DEFAULT 0, -- record_access row made on approval
  created_at      BIGINT NOT NULL,
  CHECK ((for_user_id > 0 AND for_office_code = '') OR
         (for_user_id = 0 AND for_office_code <> ''))
);
CREATE INDEX access_request_status ON access_request(status, id);
CREATE INDEX access_request_requester ON access_request(requester_id, id);
