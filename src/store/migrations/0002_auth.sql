-- 0002_auth.sql: accounts, roles, sessions (auth/).
--
-- Passwords are argon2id strings (libsodium); session and API tokens are
-- stored only as SM3 hashes, so a database copy cannot be used to log in.

-- Roles are data: the three administrator roles of 三员分立 and the
-- business roles of DESIGN.md §2.  kind 'admin' roles are mutually
-- exclusive on one account (auth/account.c enforces it).
CREATE TABLE role (
  code        TEXT PRIMARY KEY,        -- stable code used in the policy table
  name        TEXT NOT NULL,           -- Chinese name shown in the UI
  kind        TEXT NOT NULL CHECK (kind IN ('admin', 'business')),
  description TEXT NOT NULL DEFAULT '',
  sort_order  BIGINT NOT NULL DEFAULT 0
);

INSERT INTO role(code, name, kind, description, sort_order) VALUES
  ('sysadmin', '系统管理员', 'admin', '账号与系统设置，不接触案件内容与审计记录', 1),
  ('secadmin', '安全管理员', 'admin', '角色、授权与安全策略，不接触案件内容', 2),
  ('auditor', '审计管理员', 'admin', '查询与导出审计记录', 3),
  ('xcb', '巡察办', 'business', '制定巡察计划、组建巡察组、审核线索移交、跟踪整改', 10),
  ('xcz_leader', '巡察组组长', 'business', '主持巡察组工作，审核线索', 11),
  ('xcz_deputy', '巡察组副组长', 'business', '协助组长开展巡察', 12),
  ('xcz_member', '巡察组成员', 'business', '记录发现的问题与线索', 13),
  ('ags', '案管室', 'business', '接收移交线索、登记分办、建立台账、督办', 20),
  ('xfs', '信访室', 'business', '提供信访举报相关信息', 21),
  ('dfzf', '党风政风监督室', 'business', '提供党风政风监督信息', 22),
  ('lxs', '联系纪检监察室', 'business', '牵头答复靶向信息需求', 23),
  ('cbbm', '承办部门', 'business', '处置问题线索、反馈办理进展', 24),
  ('ldxz', '巡察工作领导小组', 'business', '审批线索移交与回避例外，查看统计', 30),
  ('zgllr', '整改联系人', 'business', '查看本单位整改事项并上传佐证材料', 40);

-- An account.  status: active | locked | disabled | expired.
CREATE TABLE app_user (
  id                  @ID@,
  login               TEXT NOT NULL UNIQUE,   -- login name, case-sensitive
  display_name        TEXT NOT NULL,          -- 显示名
  office_code         TEXT,                   -- office, once org/ exists
  jurisdiction_code   TEXT,                   -- jurisdiction subtree root
  status              TEXT NOT NULL DEFAULT 'active'
                      CHECK (status IN ('active', 'locked', 'disabled', 'expired')),
  password_hash       TEXT NOT NULL,          -- argon2id string
  password_changed_at BIGINT NOT NULL,        -- for the expiry policy
  must_change_password BIGINT NOT NULL DEFAULT 1, -- first login, after a reset
  locked_until        BIGINT NOT NULL DEFAULT 0,  -- lockout end (0: none)
  created_at          BIGINT NOT NULL
);

CREATE TABLE user_role (
  user_id   BIGINT NOT NULL REFERENCES app_user(id),
  role_code TEXT NOT NULL REFERENCES role(code),
  PRIMARY KEY (user_id, role_code)
);

-- Earlier password hashes, so the last N cannot be reused.
CREATE TABLE password_history (
  id            @ID@,
  user_id       BIGINT NOT NULL REFERENCES app_user(id),
  password_hash TEXT NOT NULL,
  created_at    BIGINT NOT NULL
);
CREATE INDEX password_history_user ON password_history(user_id, created_at);

-- Failed logins, for the lockout window (also audited).
CREATE TABLE login_failure (
  id          @ID@,
  login       TEXT NOT NULL,    -- as typed, whether or not it exists
  at          BIGINT NOT NULL,
  source_addr TEXT NOT NULL DEFAULT ''
);
CREATE INDEX login_failure_login ON login_failure(login, at);

-- Server-side sessions: any instance behind a load balancer can serve them.
CREATE TABLE session (
  id          @ID@,
  token_hash  TEXT NOT NULL UNIQUE, -- SM3 of the cookie token
  user_id     BIGINT NOT NULL REFERENCES app_user(id),
  csrf_token  TEXT NOT NULL,        -- per-session CSRF secret
  created_at  BIGINT NOT NULL,      -- for the absolute timeout
  last_seen   BIGINT NOT NULL,      -- for the idle timeout
  source_addr TEXT NOT NULL DEFAULT '',
  user_agent  TEXT NOT NULL DEFAULT '',
  ended_at    BIGINT NOT NULL DEFAULT 0 -- logout or kill (0: live)
);
CREATE INDEX session_by_user ON session(user_id, ended_at);
