-- 0008_rounds.sql: what staffing requests and 回避 exceptions need beyond
-- 0007 (domain/staffing.c).

-- The position the people selected for a request take on the team
-- (leader 组长 | deputy 副组长 | member 成员): "组长人选 1 名" is a
-- request for a leader.
ALTER TABLE staffing_request ADD COLUMN position TEXT NOT NULL
  DEFAULT 'member' CHECK (position IN ('leader', 'deputy', 'member'));
-- The period the people are needed for, 'YYYY-MM-DD'; '' = the round's
-- start / end date.  Candidates are ranked against it (availability,
-- other teams in the same period).
ALTER TABLE staffing_request ADD COLUMN from_date TEXT NOT NULL DEFAULT '';
ALTER TABLE staffing_request ADD COLUMN to_date TEXT NOT NULL DEFAULT '';

-- The position the staff member takes when the exception is approved.
ALTER TABLE avoidance_override ADD COLUMN position TEXT NOT NULL
  DEFAULT 'member' CHECK (position IN ('leader', 'deputy', 'member'));
-- The staffing request the person was selected for (NULL: added to the
-- team directly); approval records the selection as its answer too.
ALTER TABLE avoidance_override ADD COLUMN request_id BIGINT
  REFERENCES staffing_request(id);
