-- 0009_login_lock.sql: lockout state for login names that have no account.
--
-- An account's lockout lives in app_user.locked_until.  A name with no
-- account must be locked out the same way, or the 423 after five
-- failures would tell an attacker which names exist (auth/account.c).
CREATE TABLE login_lock (
  login        TEXT PRIMARY KEY, -- the name as typed
  locked_until BIGINT NOT NULL   -- end of the lockout, seconds UTC
);
