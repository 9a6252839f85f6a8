-- 0007_org.sql: organisation registries (domain/org.c), inspection rounds,
-- teams, staffing requests, 回避 overrides and joint training (issue 4).
--
-- Conventions for every table below:
--   * Date-only fields (*_date, entered_on, training.date) are TEXT
--     'YYYY-MM-DD' (ISO-8601 calendar dates, so they sort and compare as
--     text on both backends); '' means "none / open-ended" (an empty
--     to_date is "until now").
--   * Moments (created_at, selected_at, approved_at …) are BIGINT epoch
--     seconds, UTC, as everywhere else.
--   * Flags are BIGINT 0/1.  User ids (created_by …) are app_user ids, 0
--     for "nobody / the system" (no foreign key: the record outlives the
--     account).
--   * Jurisdiction codes are dotted paths ('ML' 明澜市, 'ML.BL' 北岭县);
--     every table that carries one is fenced by auth/ntk.h's JUR_WITHIN.
--   * Enumerations are stored as short English codes; the Chinese labels
--     live in domain/org.c (and the rounds module) next to the rules.

-- ---------------------------------------------------------------- registries

-- A jurisdiction (辖区): the city and its counties/districts, as a tree.
CREATE TABLE jurisdiction (
  code                   TEXT PRIMARY KEY,   -- dotted path, e.g. 'ML.BL'
  parent_code            TEXT REFERENCES jurisdiction(code), -- NULL for the root
  name                   TEXT NOT NULL,      -- 明澜市, 北岭县
  level                  TEXT NOT NULL CHECK (level IN ('city', 'county')), -- 市 / 县区
  commission_name        TEXT NOT NULL DEFAULT '', -- 纪委监委, e.g. 北岭县纪委监委
  inspection_office_name TEXT NOT NULL DEFAULT '', -- 巡察办, e.g. 中共北岭县委巡察工作领导小组办公室
  audit_office_name      TEXT NOT NULL DEFAULT '', -- 审计局, e.g. 北岭县审计局
  sort_order             BIGINT NOT NULL DEFAULT 0, -- display order among siblings
  created_at             BIGINT NOT NULL     -- when it was registered
);
CREATE INDEX jurisdiction_parent ON jurisdiction(parent_code, sort_order);

-- An office (部门/科室): a room of the commission, a 派驻纪检监察组, the
-- inspection office, the organisation department, the audit bureau …
-- kind: petition 信访室 | case_mgmt 案管室 | conduct 党风政风监督室 |
-- supervision 监督检查室 (联系纪检监察室) | investigation 审查调查室 |
-- trial 审理室 | stationed 派驻纪检监察组 | inspection 巡察办 |
-- organisation 组织部 | audit 审计局 | other 其他.
-- app_user.office_code holds office.code.
CREATE TABLE office (
  id                @ID@,
  code              TEXT NOT NULL UNIQUE,  -- e.g. 'ML.AGS', 'ML.BL.PZ3'
  jurisdiction_code TEXT NOT NULL REFERENCES jurisdiction(code), -- whose office
  name              TEXT NOT NULL,         -- 市纪委监委案件监督管理室
  kind              TEXT NOT NULL CHECK (kind IN ('petition', 'case_mgmt',
                    'conduct', 'supervision', 'investigation', 'trial',
                    'stationed', 'inspection', 'organisation', 'audit',
                    'other')),
  note              TEXT NOT NULL DEFAULT '', -- free remarks
  created_at        BIGINT NOT NULL
);
CREATE INDEX office_jurisdiction ON office(jurisdiction_code, kind);

-- Sector tags (领域标签): a user-editable list (教育, 卫生健康, 医保 …).
CREATE TABLE sector_tag (
  code       TEXT PRIMARY KEY,   -- short stable code, e.g. 'edu'
  name       TEXT NOT NULL UNIQUE, -- 教育
  sort_order BIGINT NOT NULL DEFAULT 0, -- display order
  created_at BIGINT NOT NULL
);

-- A unit that can be inspected (被巡察单位).
-- level: city 市级 | county 县区级 | township 乡镇（街道）级 | village 村（社区）级.
-- The parent unit is in the same jurisdiction and the tree has no cycles
-- (domain/org.c checks both).
CREATE TABLE unit (
  id                    @ID@,
  code                  TEXT NOT NULL UNIQUE,  -- 单位编码, e.g. 'ML-EDU-003'
  name                  TEXT NOT NULL,         -- 明澜市第三中学
  jurisdiction_code     TEXT NOT NULL REFERENCES jurisdiction(code),
  parent_unit_id        BIGINT REFERENCES unit(id), -- NULL: top level
  level                 TEXT NOT NULL CHECK (level IN ('city', 'county',
                        'township', 'village')),
  supervising_office_id BIGINT REFERENCES office(id), -- the 派驻组 (NULL: none)
  note                  TEXT NOT NULL DEFAULT '',
  created_at            BIGINT NOT NULL,
  updated_at            BIGINT NOT NULL
);
CREATE INDEX unit_jurisdiction ON unit(jurisdiction_code, name);
CREATE INDEX unit_parent ON unit(parent_unit_id);
CREATE INDEX unit_office ON unit(supervising_office_id);

-- A unit's sector tags.
CREATE TABLE unit_sector (
  unit_id  BIGINT NOT NULL REFERENCES unit(id),
  tag_code TEXT NOT NULL REFERENCES sector_tag(code),
  PRIMARY KEY (unit_id, tag_code)
);
CREATE INDEX unit_sector_tag ON unit_sector(tag_code, unit_id);

-- A person (干部) in a unit: confidential (P_PEOPLE_READ; reads audited).
-- Their jurisdiction is their unit's.
CREATE TABLE person (
  id                 @ID@,
  code               TEXT NOT NULL UNIQUE,  -- 人员编号 in the registry
  name               TEXT NOT NULL,
  unit_id            BIGINT NOT NULL REFERENCES unit(id), -- where they work
  post               TEXT NOT NULL DEFAULT '', -- 职务, e.g. 校长
  rank               TEXT NOT NULL DEFAULT '', -- 职级, e.g. 正科级
  party_member       BIGINT NOT NULL DEFAULT 0, -- 党员 0/1
  supervisory_object BIGINT NOT NULL DEFAULT 0, -- 监察对象 0/1
  managed_by         TEXT NOT NULL DEFAULT '', -- 干部管理权限, e.g. 市委管理
  note               TEXT NOT NULL DEFAULT '',
  created_at         BIGINT NOT NULL,
  updated_at         BIGINT NOT NULL
);
CREATE INDEX person_unit ON person(unit_id, name);
CREATE INDEX person_name ON person(name);

-- The staff pool for teams (巡察力量库): commission, inspection office and
-- audit staff.
CREATE TABLE staff (
  id                @ID@,
  code              TEXT NOT NULL UNIQUE,  -- 人员编号 in the pool, e.g. 'S0001'
  name              TEXT NOT NULL,
  office_id         BIGINT REFERENCES office(id), -- current office (NULL: none)
  jurisdiction_code TEXT NOT NULL REFERENCES jurisdiction(code),
  rank              TEXT NOT NULL DEFAULT '', -- 职级
  post              TEXT NOT NULL DEFAULT '', -- current post, e.g. 副主任
  note              TEXT NOT NULL DEFAULT '',
  active            BIGINT NOT NULL DEFAULT 1, -- 0: left the pool (kept for history)
  created_at        BIGINT NOT NULL,
  updated_at        BIGINT NOT NULL
);
CREATE INDEX staff_jurisdiction ON staff(jurisdiction_code, name);
CREATE INDEX staff_office ON staff(office_id);

-- Past and present posts of a staff member (工作经历), e.g. 县区纪委常务副书记,
-- 派驻纪检监察组组长.  unit_id is set when the post was in a registered
-- unit (the 回避 rule "worked there in the last N years" reads it).
CREATE TABLE staff_post (
  id        @ID@,
  staff_id  BIGINT NOT NULL REFERENCES staff(id),
  title     TEXT NOT NULL,                 -- the post, as the requests name it
  org_name  TEXT NOT NULL DEFAULT '',      -- where, as text (北岭县纪委监委)
  unit_id   BIGINT REFERENCES unit(id),    -- where, when a registered unit
  from_date TEXT NOT NULL DEFAULT '',      -- 'YYYY-MM-DD' ('' unknown)
  to_date   TEXT NOT NULL DEFAULT ''       -- 'YYYY-MM-DD' ('' still holds it)
);
CREATE INDEX staff_post_staff ON staff_post(staff_id, from_date);
CREATE INDEX staff_post_unit ON staff_post(unit_id);
CREATE INDEX staff_post_title ON staff_post(title);

-- Expertise tags (专长): 财务, 工程, 审计, 案件查办 … (free text, short).
CREATE TABLE staff_expertise (
  staff_id BIGINT NOT NULL REFERENCES staff(id),
  tag      TEXT NOT NULL,
  PRIMARY KEY (staff_id, tag)
);
CREATE INDEX staff_expertise_tag ON staff_expertise(tag, staff_id);

-- Declared ties to units (回避 facts).  kind: relative 亲属任职 |
-- former 曾任职 | other 其他.
CREATE TABLE staff_tie (
  id        @ID@,
  staff_id  BIGINT NOT NULL REFERENCES staff(id),
  unit_id   BIGINT NOT NULL REFERENCES unit(id),
  kind      TEXT NOT NULL CHECK (kind IN ('relative', 'former', 'other')),
  note      TEXT NOT NULL DEFAULT '',      -- e.g. 配偶任副校长
  from_date TEXT NOT NULL DEFAULT '',      -- 'YYYY-MM-DD' ('' unknown)
  to_date   TEXT NOT NULL DEFAULT ''       -- 'YYYY-MM-DD' ('' still holds)
);
CREATE INDEX staff_tie_staff ON staff_tie(staff_id);
CREATE INDEX staff_tie_unit ON staff_tie(unit_id);

-- Availability windows: periods in which the staff member can be sent.
CREATE TABLE staff_availability (
  id        @ID@,
  staff_id  BIGINT NOT NULL REFERENCES staff(id),
  from_date TEXT NOT NULL,                 -- 'YYYY-MM-DD'
  to_date   TEXT NOT NULL,                 -- 'YYYY-MM-DD', inclusive
  note      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX staff_availability_staff ON staff_availability(staff_id, from_date);

-- An upload waiting for confirmation (domain/org_import.c): the preview
-- validates it; confirming imports it in one transaction and clears data.
-- kind: unit | person | staff.  status: pending | imported | discarded.
CREATE TABLE org_import (
  id          @ID@,
  kind        TEXT NOT NULL CHECK (kind IN ('unit', 'person', 'staff')),
  filename    TEXT NOT NULL,               -- as uploaded (display only)
  format      TEXT NOT NULL CHECK (format IN ('csv', 'xlsx')),
  data        @BLOB@,                      -- the file; emptied once used
  row_count   BIGINT NOT NULL DEFAULT 0,   -- data rows found by the preview
  error_count BIGINT NOT NULL DEFAULT 0,   -- bad rows found by the preview
  status      TEXT NOT NULL DEFAULT 'pending'
              CHECK (status IN ('pending', 'imported', 'discarded')),
  created_by  BIGINT NOT NULL,             -- the uploader (only they confirm)
  created_at  BIGINT NOT NULL,
  finished_at BIGINT NOT NULL DEFAULT 0    -- when imported or discarded
);
CREATE INDEX org_import_user ON org_import(created_by, id);

-- ------------------------------------------------------------ rounds, teams

-- An inspection round (巡察轮次), e.g. 五届市委第二轮巡察.
-- kind: regular 常规 | special 专项 | mobile 机动 | elevated 提级 |
-- revisit 回头看.
CREATE TABLE round (
  id                @ID@,
  term              BIGINT NOT NULL,         -- 届, e.g. 5
  number            BIGINT NOT NULL,         -- 轮 within the term, e.g. 2
  kind              TEXT NOT NULL CHECK (kind IN ('regular', 'special',
                    'mobile', 'elevated', 'revisit')),
  title             TEXT NOT NULL,           -- 五届市委第二轮巡察
  jurisdiction_code TEXT NOT NULL REFERENCES jurisdiction(code), -- whose round
  sector_code       TEXT REFERENCES sector_tag(code), -- 同批次系统巡察 sector (NULL: none)
  start_date        TEXT NOT NULL DEFAULT '', -- 'YYYY-MM-DD'
  end_date          TEXT NOT NULL DEFAULT '', -- 'YYYY-MM-DD' ('' open)
  created_by        BIGINT NOT NULL DEFAULT 0,
  created_at        BIGINT NOT NULL
);
CREATE INDEX round_jurisdiction ON round(jurisdiction_code, start_date);

-- A unit covered by a round, and its current phase (in order only):
-- prepare 巡前准备 → understand 巡察了解 → report 巡察报告 →
-- feedback 巡察反馈 → transfer 巡察移交 → rectify 巡察整改.
CREATE TABLE round_unit (
  round_id BIGINT NOT NULL REFERENCES round(id),
  unit_id  BIGINT NOT NULL REFERENCES unit(id),
  phase    TEXT NOT NULL DEFAULT 'prepare' CHECK (phase IN ('prepare',
           'understand', 'report', 'feedback', 'transfer', 'rectify')),
  PRIMARY KEY (round_id, unit_id)
);
CREATE INDEX round_unit_unit ON round_unit(unit_id, round_id);

-- When each phase was entered, per unit of a round (the phase history).
CREATE TABLE round_unit_phase (
  round_id   BIGINT NOT NULL,
  unit_id    BIGINT NOT NULL,
  phase      TEXT NOT NULL CHECK (phase IN ('prepare', 'understand',
             'report', 'feedback', 'transfer', 'rectify')),
  entered_on TEXT NOT NULL DEFAULT '',     -- business date 'YYYY-MM-DD'
  entered_at BIGINT NOT NULL,              -- when it was recorded
  entered_by BIGINT NOT NULL DEFAULT 0,    -- who recorded it
  PRIMARY KEY (round_id, unit_id, phase),
  FOREIGN KEY (round_id, unit_id) REFERENCES round_unit(round_id, unit_id)
);

-- An inspection team (巡察组) of a round.
CREATE TABLE team (
  id          @ID@,
  round_id    BIGINT NOT NULL REFERENCES round(id),
  name        TEXT NOT NULL,               -- 第一巡察组
  leader_note TEXT NOT NULL DEFAULT '',    -- remarks on the leadership
  created_at  BIGINT NOT NULL
);
CREATE INDEX team_round ON team(round_id);

-- The units a team covers (one or more units of its round).
CREATE TABLE team_unit (
  team_id BIGINT NOT NULL REFERENCES team(id),
  unit_id BIGINT NOT NULL REFERENCES unit(id),
  PRIMARY KEY (team_id, unit_id)
);
CREATE INDEX team_unit_unit ON team_unit(unit_id);

-- A 回避 exception: staff_id may join team_id despite rule/fact, once the
-- 领导小组 approves.  rule: the rule's code (the rounds module names them);
-- fact: the fact that triggered it, in Chinese.  status: pending |
-- approved | rejected.
CREATE TABLE avoidance_override (
  id           @ID@,
  team_id      BIGINT NOT NULL REFERENCES team(id),
  staff_id     BIGINT NOT NULL REFERENCES staff(id),
  rule         TEXT NOT NULL,              -- e.g. 'worked_in_unit'
  fact         TEXT NOT NULL,              -- e.g. 2021-03至2023-06 任该单位副校长
  reason       TEXT NOT NULL,              -- why the exception is asked for
  requested_by BIGINT NOT NULL,
  requested_at BIGINT NOT NULL,
  approved_by  BIGINT NOT NULL DEFAULT 0,  -- the 领导小组 approver (0: undecided)
  approved_at  BIGINT NOT NULL DEFAULT 0,
  decision_note TEXT NOT NULL DEFAULT '',
  status       TEXT NOT NULL DEFAULT 'pending'
               CHECK (status IN ('pending', 'approved', 'rejected'))
);
CREATE INDEX avoidance_override_team ON avoidance_override(team_id, staff_id);
CREATE INDEX avoidance_override_status ON avoidance_override(status, id);

-- A team's members.  position: leader 组长 | deputy 副组长 | member 成员.
CREATE TABLE team_member (
  team_id     BIGINT NOT NULL REFERENCES team(id),
  staff_id    BIGINT NOT NULL REFERENCES staff(id),
  position    TEXT NOT NULL CHECK (position IN ('leader', 'deputy', 'member')),
  joined_at   BIGINT NOT NULL,             -- when they were added
  override_id BIGINT REFERENCES avoidance_override(id), -- the approved 回避 exception, if any
  PRIMARY KEY (team_id, staff_id)
);
CREATE INDEX team_member_staff ON team_member(staff_id);

-- A staffing request (同向调度力量) from the inspection office for a team.
-- status: open | answered.
CREATE TABLE staffing_request (
  id                 @ID@,
  team_id            BIGINT NOT NULL REFERENCES team(id),
  text               TEXT NOT NULL,        -- 组长人选 1 名，具有县区纪委常务副书记工作经历
  required_posts     TEXT NOT NULL DEFAULT '', -- past post titles, '、'-separated
  required_expertise TEXT NOT NULL DEFAULT '', -- expertise tags, '、'-separated
  count              BIGINT NOT NULL DEFAULT 1, -- how many people
  status             TEXT NOT NULL DEFAULT 'open'
                     CHECK (status IN ('open', 'answered')),
  created_by         BIGINT NOT NULL,
  created_at         BIGINT NOT NULL
);
CREATE INDEX staffing_request_team ON staffing_request(team_id);
CREATE INDEX staffing_request_status ON staffing_request(status, id);

-- The commission's answer: the people selected (选派) for a request.
CREATE TABLE staffing_answer (
  request_id  BIGINT NOT NULL REFERENCES staffing_request(id),
  staff_id    BIGINT NOT NULL REFERENCES staff(id),
  selected_by BIGINT NOT NULL,
  selected_at BIGINT NOT NULL,
  PRIMARY KEY (request_id, staff_id)
);
CREATE INDEX staffing_answer_staff ON staffing_answer(staff_id);

-- --------------------------------------------------------- joint training

-- A joint training session (同堂培训).
CREATE TABLE training (
  id                @ID@,
  title             TEXT NOT NULL,
  date              TEXT NOT NULL,           -- 'YYYY-MM-DD'
  minutes           BIGINT NOT NULL,         -- length (hours × 60: integers only)
  jurisdiction_code TEXT NOT NULL REFERENCES jurisdiction(code),
  created_by        BIGINT NOT NULL DEFAULT 0,
  created_at        BIGINT NOT NULL
);
CREATE INDEX training_jurisdiction ON training(jurisdiction_code, date);

-- Lecturers of a session.  side: commission 纪委 | inspection 巡察 |
-- audit 审计.
CREATE TABLE training_lecturer (
  id          @ID@,
  training_id BIGINT NOT NULL REFERENCES training(id),
  name        TEXT NOT NULL,
  side        TEXT NOT NULL CHECK (side IN ('commission', 'inspection', 'audit'))
);
CREATE INDEX training_lecturer_training ON training_lecturer(training_id);

-- Who attended (a staff member's training record).
CREATE TABLE training_attendee (
  training_id BIGINT NOT NULL REFERENCES training(id),
  staff_id    BIGINT NOT NULL REFERENCES staff(id),
  PRIMARY KEY (training_id, staff_id)
);
CREATE INDEX training_attendee_staff ON training_attendee(staff_id);
