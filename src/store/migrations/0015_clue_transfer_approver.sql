-- 0015_clue_transfer_approver.sql: the one user who may decide the
-- current step of a transfer's approval chain.  The flow picks the next
-- approver and puts them on the clue's access list; others holding the
-- step's role may also be on that list (granted for other reasons) and
-- must not decide in the chosen approver's place.  0 when no step is
-- open, or when the open step is the team leader's (any leader of the
-- clue's team decides it).
ALTER TABLE clue ADD COLUMN transfer_approver_id BIGINT NOT NULL DEFAULT 0;
