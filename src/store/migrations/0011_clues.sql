-- 0011_clues.sql: problem clues (问题线索) from discovery to conclusion,
-- their deadlines, feedback, 督办 notices and the ledger (domain/clue*.c).
--
-- A clue is protected by need-to-know (auth/ntk.h): object type 'clue'
-- for full content; 'clue_status' for the inspection office's view of a
-- clue it transferred (state and outcome codes, not the content).
-- Dates the users enter or the rules compute are business dates
-- 'YYYY-MM-DD' in 北京时间 ('' = not yet); *_at columns are epoch seconds.
-- The clue row carries denormalised flags and counts (kept by
-- domain/clue.c on every change) so the ledger filters and the figures
-- are single-table predicates over the same columns.

-- A staff member's login (so a team's 组长 is a user who can be put on a
-- clue's access list).  NULL: the staff member has no account.
ALTER TABLE staff ADD COLUMN user_id BIGINT REFERENCES app_user(id);
CREATE INDEX staff_user ON staff(user_id);

-- Per-jurisdiction, per-year counters for numbers handed out
-- (kind: 'clue' 线索编号, 'transfer' 移交函号, 'register' 登记编号).
CREATE TABLE clue_seq (
  jurisdiction_code TEXT NOT NULL,
  kind              TEXT NOT NULL,
  year              BIGINT NOT NULL,
  last              BIGINT NOT NULL,
  PRIMARY KEY (jurisdiction_code, kind, year)
);

-- The clue.  kind: clue 问题线索 | suggestion 整改建议 (an ordinary
-- shortcoming kept for rectification).  state: see domain/clue.h.
-- destination: '' (not chosen) | commission 纪委监委 | organisation 组织部
-- | other 其他单位.
CREATE TABLE clue (
  id                   @ID@,
  code                 TEXT NOT NULL UNIQUE,   -- 线索编号, e.g. 'ML-2026-0012'
  kind                 TEXT NOT NULL DEFAULT 'clue' CHECK (kind IN ('clue', 'suggestion')),
  state                TEXT NOT NULL,
  round_id             BIGINT NOT NULL REFERENCES round(id),
  team_id              BIGINT REFERENCES team(id),
  unit_id              BIGINT NOT NULL REFERENCES unit(id),
  jurisdiction_code    TEXT NOT NULL,           -- the round's
  category             TEXT NOT NULL,           -- 问题类别 code (domain/clue.c table)
  source               TEXT NOT NULL,           -- 线索来源 code (个别谈话 …)
  summary              TEXT NOT NULL,           -- 问题摘要 (one line)
  facts                TEXT NOT NULL DEFAULT '', -- 主要事实
  cond_nature          BIGINT NOT NULL DEFAULT 0, -- 问题性质 established 0/1
  cond_evidence        BIGINT NOT NULL DEFAULT 0, -- 证据充分 0/1
  cond_facts           BIGINT NOT NULL DEFAULT 0, -- 事实清晰 0/1
  found_on             TEXT NOT NULL DEFAULT '', -- 发现日期
  destination          TEXT NOT NULL DEFAULT '',
  destination_name     TEXT NOT NULL DEFAULT '', -- receiving body's name as printed
  destination_office   TEXT NOT NULL DEFAULT '', -- office code granted on transfer
  transfer_step        BIGINT NOT NULL DEFAULT 0, -- approval step pending (1-based; 0 none)
  transfer_no          TEXT NOT NULL DEFAULT '', -- 移交函号 某纪巡移〔2026〕12号
  transferred_on       TEXT NOT NULL DEFAULT '', -- 移交日期 (last approval)
  register_no          TEXT NOT NULL DEFAULT '', -- 案管登记编号
  received_on          TEXT NOT NULL DEFAULT '', -- 案管接收登记日期
  handling_office      TEXT NOT NULL DEFAULT '', -- 承办部门 office code
  assigned_on          TEXT NOT NULL DEFAULT '', -- 分办日期
  disposal             TEXT NOT NULL DEFAULT '', -- 处置方式 code (talk|verify|park|close)
  disposal_on          TEXT NOT NULL DEFAULT '', -- 处置意见 proposed on
  filed_on             TEXT NOT NULL DEFAULT '', -- first 立案 date ('' none)
  trial_on             TEXT NOT NULL DEFAULT '', -- 移送审理 date (current trial)
  decided_on           TEXT NOT NULL DEFAULT '', -- 审理/处理 decision date
  concluded_on         TEXT NOT NULL DEFAULT '', -- 办结 date ('' open)
  outcome              TEXT NOT NULL DEFAULT '', -- terminal outcome code
  -- denormalised for the ledger and the figures
  n_persons            BIGINT NOT NULL DEFAULT 0,
  n_filed              BIGINT NOT NULL DEFAULT 0, -- persons with a 立案
  n_sanctioned         BIGINT NOT NULL DEFAULT 0, -- persons with a 处分/处理 decision
  n_procuratorate      BIGINT NOT NULL DEFAULT 0, -- persons 移送检察机关
  n_detained           BIGINT NOT NULL DEFAULT 0, -- persons under 留置 now
  next_due_on          TEXT NOT NULL DEFAULT '', -- earliest open deadline ('' none)
  next_due_kind        TEXT NOT NULL DEFAULT '', -- its rule code
  persons_text         TEXT NOT NULL DEFAULT '', -- 被反映人 names, '、'-joined (ledger)
  created_by           BIGINT NOT NULL,
  created_at           BIGINT NOT NULL,
  updated_at           BIGINT NOT NULL
);
CREATE INDEX clue_round ON clue(round_id, id);
CREATE INDEX clue_unit ON clue(unit_id, id);
CREATE INDEX clue_team ON clue(team_id, id);
CREATE INDEX clue_state ON clue(state, id);
CREATE INDEX clue_transferred ON clue(transferred_on, id);
CREATE INDEX clue_next_due ON clue(next_due_on, id);
CREATE INDEX clue_handling ON clue(handling_office, id);
CREATE INDEX clue_jurisdiction ON clue(jurisdiction_code, id);

-- A person a clue concerns (被反映人), from the people registry or typed.
-- Each has their own outcome.
CREATE TABLE clue_person (
  id                 @ID@,
  clue_id            BIGINT NOT NULL REFERENCES clue(id),
  person_id          BIGINT REFERENCES person(id), -- NULL: not in the registry
  name               TEXT NOT NULL,
  post               TEXT NOT NULL DEFAULT '',     -- 职务 at the time
  party_member       BIGINT NOT NULL DEFAULT 0,
  supervisory_object BIGINT NOT NULL DEFAULT 0,
  filed_party_on     TEXT NOT NULL DEFAULT '',     -- 纪委立案 (党纪)
  filed_super_on     TEXT NOT NULL DEFAULT '',     -- 监委立案 (监察)
  outcome_note       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX clue_person_clue ON clue_person(clue_id);
CREATE INDEX clue_person_person ON clue_person(person_id);

-- A decision on one person (处理结果): kind party 党纪处分 | gov 政务处分 |
-- org 组织处理 | account 问责 | procuratorate 移送检察机关 | first_form
-- 第一种形态; measure: the code within the kind (domain/clue.c tables);
-- form 1-4 (四种形态).  Announcement and execution report dates drive
-- deadlines for party and government sanctions.
CREATE TABLE clue_sanction (
  id              @ID@,
  clue_id         BIGINT NOT NULL REFERENCES clue(id),
  clue_person_id  BIGINT NOT NULL REFERENCES clue_person(id),
  kind            TEXT NOT NULL,
  measure         TEXT NOT NULL,
  form            BIGINT NOT NULL CHECK (form BETWEEN 1 AND 4),
  decided_on      TEXT NOT NULL,
  announced_on    TEXT NOT NULL DEFAULT '',
  executed_on     TEXT NOT NULL DEFAULT '', -- 执行情况报告 date
  note            TEXT NOT NULL DEFAULT '',
  created_by      BIGINT NOT NULL,
  created_at      BIGINT NOT NULL
);
CREATE INDEX clue_sanction_clue ON clue_sanction(clue_id);

-- A measure (措施) on a person: kind detention 留置 (others later).
-- limit_on is the current end (start + 3 months, moved by extensions).
CREATE TABLE clue_measure (
  id             @ID@,
  clue_id        BIGINT NOT NULL REFERENCES clue(id),
  clue_person_id BIGINT NOT NULL REFERENCES clue_person(id),
  kind           TEXT NOT NULL DEFAULT 'detention',
  start_on       TEXT NOT NULL,
  limit_on       TEXT NOT NULL,
  extensions     BIGINT NOT NULL DEFAULT 0,
  ended_on       TEXT NOT NULL DEFAULT '',
  approval       TEXT NOT NULL DEFAULT '', -- 批准机关/文号
  created_by     BIGINT NOT NULL,
  created_at     BIGINT NOT NULL
);
CREATE INDEX clue_measure_clue ON clue_measure(clue_id);

-- The history of a clue: one row per action taken (the state machine's
-- log), with the business date and what the action required.
CREATE TABLE clue_event (
  id          @ID@,
  clue_id     BIGINT NOT NULL REFERENCES clue(id),
  action      TEXT NOT NULL,             -- the action's code (domain/clue_flow.c)
  from_state  TEXT NOT NULL,
  to_state    TEXT NOT NULL,
  actor_id    BIGINT NOT NULL,
  acted_on    TEXT NOT NULL,             -- business date
  opinion     TEXT NOT NULL DEFAULT '',  -- 意见 / 理由
  approver    TEXT NOT NULL DEFAULT '',  -- 批准人 (as signed on paper)
  meeting     TEXT NOT NULL DEFAULT '',  -- 集体研究 meeting reference
  detail      TEXT NOT NULL DEFAULT '',  -- action-specific, JSON
  created_at  BIGINT NOT NULL
);
CREATE INDEX clue_event_clue ON clue_event(clue_id, id);

-- 研判 (pre-transfer review) records.
CREATE TABLE clue_review (
  id           @ID@,
  clue_id      BIGINT NOT NULL REFERENCES clue(id),
  held_on      TEXT NOT NULL,
  participants TEXT NOT NULL,
  conclusion   TEXT NOT NULL,
  recorded_by  BIGINT NOT NULL,
  created_at   BIGINT NOT NULL
);
CREATE INDEX clue_review_clue ON clue_review(clue_id);

-- Early intervention (提前介入): the team's request, the commission staff
-- assigned, and their steps (stage: screen 筛疑 | clear 排疑 | probe 查疑).
CREATE TABLE clue_assist (
  id           @ID@,
  clue_id      BIGINT NOT NULL REFERENCES clue(id),
  request_text TEXT NOT NULL,
  requested_by BIGINT NOT NULL,
  requested_at BIGINT NOT NULL,
  status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  closed_at    BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX clue_assist_clue ON clue_assist(clue_id);
CREATE TABLE clue_assist_member (
  assist_id   BIGINT NOT NULL REFERENCES clue_assist(id),
  user_id     BIGINT NOT NULL REFERENCES app_user(id),
  assigned_by BIGINT NOT NULL,
  assigned_at BIGINT NOT NULL,
  PRIMARY KEY (assist_id, user_id)
);
CREATE TABLE clue_assist_step (
  id         @ID@,
  assist_id  BIGINT NOT NULL REFERENCES clue_assist(id),
  stage      TEXT NOT NULL CHECK (stage IN ('screen', 'clear', 'probe')),
  advice     TEXT NOT NULL,
  done_on    TEXT NOT NULL,
  by_user    BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX clue_assist_step_assist ON clue_assist_step(assist_id, id);

-- Transfer approvals: one row per step decision.  decision: approve |
-- return.  attempt counts submissions (a returned clue is resubmitted).
CREATE TABLE clue_approval (
  id          @ID@,
  clue_id     BIGINT NOT NULL REFERENCES clue(id),
  attempt     BIGINT NOT NULL,
  step        BIGINT NOT NULL,
  role_code   TEXT NOT NULL,
  approver_id BIGINT NOT NULL,
  decision    TEXT NOT NULL CHECK (decision IN ('approve', 'return')),
  opinion     TEXT NOT NULL DEFAULT '',
  decided_at  BIGINT NOT NULL
);
CREATE INDEX clue_approval_clue ON clue_approval(clue_id, id);

-- Attachments, sealed (SM4-CTR + HMAC-SM3, auth/crypto.c) at rest.
CREATE TABLE clue_attachment (
  id          @ID@,
  clue_id     BIGINT NOT NULL REFERENCES clue(id),
  name        TEXT NOT NULL,            -- file name as uploaded
  mime        TEXT NOT NULL,
  size        BIGINT NOT NULL,          -- plaintext bytes
  sealed      @BLOB@ NOT NULL,
  uploaded_by BIGINT NOT NULL,
  created_at  BIGINT NOT NULL
);
CREATE INDEX clue_attachment_clue ON clue_attachment(clue_id);

-- Progress feedback from the handling side to the inspection office
-- (件件有回音).  seq: 1 for the first, then 2, 3 …; due_on: the deadline
-- it answered; final = 1 for the concluding report.
CREATE TABLE clue_feedback (
  id         @ID@,
  clue_id    BIGINT NOT NULL REFERENCES clue(id),
  seq        BIGINT NOT NULL,
  due_on     TEXT NOT NULL DEFAULT '',
  sent_on    TEXT NOT NULL,
  content    TEXT NOT NULL,
  final      BIGINT NOT NULL DEFAULT 0,
  by_user    BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX clue_feedback_clue ON clue_feedback(clue_id, seq);

-- Every deadline of every clue, derived from the clue's facts and the rule
-- table (domain/clue_due.c) and rewritten on each change.  rule: the rule
-- code; ref_id: the sanction / measure / feedback seq it belongs to (0).
CREATE TABLE clue_due (
  clue_id  BIGINT NOT NULL REFERENCES clue(id),
  rule     TEXT NOT NULL,
  ref_id   BIGINT NOT NULL DEFAULT 0,
  due_on   TEXT NOT NULL,
  done_on  TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (clue_id, rule, ref_id)
);
CREATE INDEX clue_due_open ON clue_due(done_on, due_on);

-- 督办 notices: a reminder or an escalation from 案管室 to a user or an
-- office about a clue (and optionally one of its deadlines).  They land in
-- the recipient's inbox; read_at marks the first reading.
CREATE TABLE clue_notice (
  id          @ID@,
  clue_id     BIGINT NOT NULL REFERENCES clue(id),
  kind        TEXT NOT NULL CHECK (kind IN ('reminder', 'escalation')),
  rule        TEXT NOT NULL DEFAULT '', -- the deadline it is about ('' none)
  to_user_id  BIGINT NOT NULL DEFAULT 0,
  to_office   TEXT NOT NULL DEFAULT '',
  text        TEXT NOT NULL,
  due_on      TEXT NOT NULL DEFAULT '', -- 要求办理期限 ('' none)
  from_user   BIGINT NOT NULL,
  created_at  BIGINT NOT NULL,
  read_at     BIGINT NOT NULL DEFAULT 0,
  read_by     BIGINT NOT NULL DEFAULT 0,
  CHECK ((to_user_id > 0 AND to_office = '') OR (to_user_id = 0 AND to_office <> ''))
);
CREATE INDEX clue_notice_clue ON clue_notice(clue_id, id);
CREATE INDEX clue_notice_user ON clue_notice(to_user_id, id);
CREATE INDEX clue_notice_office ON clue_notice(to_office, id);

-- Need-to-know lookups by subject (the ledger and the figures start from
-- "what may this user see" at 100k+ clues).
CREATE INDEX record_access_by_user ON record_access(user_id, object_type, object_id);
CREATE INDEX record_access_by_office ON record_access(office_code, object_type, object_id);
