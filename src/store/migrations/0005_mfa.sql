-- 0005_mfa.sql: the TOTP second factor (auth/mfa.c, RFC 6238).
--
-- 等保三级 8.1.4.1 d asks for two or more factors, one of them
-- cryptographic; a TOTP secret is that factor.  The secret is sealed with
-- the key file's data key (auth/crypto.h crypt_seal, aad "totp:<user id>"),
-- so a copy of the database alone cannot produce codes.

-- One row per user who has started or finished enrolment.
CREATE TABLE user_totp (
  user_id       BIGINT PRIMARY KEY REFERENCES app_user(id),
  secret_sealed @BLOB@ NOT NULL,          -- crypt_seal of the 20-byte secret
  enabled       BIGINT NOT NULL DEFAULT 0, -- 0: enrolment pending, 1: in use
  last_step     BIGINT NOT NULL DEFAULT 0, -- last accepted 30 s step (replay)
  created_at    BIGINT NOT NULL,           -- when the secret was generated
  enabled_at    BIGINT NOT NULL DEFAULT 0  -- when the user proved a code
);

-- Roles whose members must use TOTP, effective only while the setting
-- auth.totp_enforce is 1 (domain/settings.c).  The security administrator
-- edits this list; by default it holds the three 三员 administrator roles
-- (ASVS 4.3.1: MFA on administrative interfaces).
CREATE TABLE role_mfa (
  role_code  TEXT PRIMARY KEY REFERENCES role(code),
  created_at BIGINT NOT NULL DEFAULT 0 -- when it was made mandatory (0: install)
);

INSERT INTO role_mfa(role_code) VALUES ('sysadmin'), ('secadmin'), ('auditor');
