-- 0004_accounts.sql: account expiry and API tokens (auth/account.c,
-- auth/token.c).

-- When the account itself stops working (等保三级 8.1.4.2 c: expired
-- accounts are disabled), seconds UTC; 0: never.  account_authenticate
-- turns an account past it into status 'expired' at its next login.
ALTER TABLE app_user ADD COLUMN expires_at BIGINT NOT NULL DEFAULT 0;

-- API tokens for integrations: sent as "Authorization: Bearer jx_…",
-- acting with their user's roles.  Only the SM3 hash of the token is
-- stored, like session tokens, so a database copy cannot be replayed.
CREATE TABLE api_token (
  id           @ID@,
  user_id      BIGINT NOT NULL REFERENCES app_user(id), -- whose rights it carries
  name         TEXT NOT NULL DEFAULT '',   -- purpose, e.g. '统计报表接口'
  token_hash   TEXT NOT NULL UNIQUE,       -- SM3 of the whole token text
  created_at   BIGINT NOT NULL,
  expires_at   BIGINT NOT NULL,            -- refused from this time on
  revoked_at   BIGINT NOT NULL DEFAULT 0,  -- 0: not revoked
  last_used_at BIGINT NOT NULL DEFAULT 0   -- touched at most once a minute
);
CREATE INDEX api_token_user ON api_token(user_id, revoked_at);
