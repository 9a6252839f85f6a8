/* account.h: accounts, the password policy and authentication. */
#ifndef JX_ACCOUNT_H
#define JX_ACCOUNT_H

#include "store/store.h"

typedef enum AuthOutcome {
  AUTH_OK = 0,       /* password right, account usable */
  AUTH_BAD = 1,      /* unknown login or wrong password: one answer */
  AUTH_LOCKED = 2,   /* too many failures; see locked_until */
  AUTH_DISABLED = 3  /* disabled or expired account */
} AuthOutcome;

typedef struct AuthResult {
  AuthOutcome outcome;
  int64_t user_id;          /* set for AUTH_OK (and when known) */
  jx_time locked_until;     /* for AUTH_LOCKED */
  int must_change_password; /* first login, reset, or expired password */
  int second_factor;        /* AUTH_OK but TOTP still due: finish with
                               account_second_factor() */
  int expired;              /* AUTH_DISABLED because the account expired */
} AuthResult;

/* Check pw against the password policy (settings.c) for this login and,
** when user_id is set, the user's recent passwords.  0, or -1 with the
** reason in Chinese in err. */
int password_policy_check(Db *db, const char *login, const char *pw,
                          int64_t user_id, Buf *err);

/* Create an account.  roles_csv is "code,code"; at most one of the 三员
** administrator roles, and never an administrator role together with
** another administrator role.  must_change forces a change at first
** login.  Runs inside the caller's transaction.  0 and *id, or -1 with a
** Chinese reason in err (nothing written that the caller must keep). */
int account_create(Db *db, const char *login, const char *display_name,
                   const char *roles_csv, const char *office, const char *pw,
                   int must_change, int64_t *id, Buf *err);

/* Check a login attempt and apply the lockout policy, recording the
** failure.  The caller commits what this writes even when it refuses.
** Unknown logins cost the same time as known ones. */
void account_authenticate(Db *db, const char *login, const char *pw,
                          const char *source_addr, AuthResult *out);

/* The second step of a login whose password passed with second_factor
** set: record whether the second factor passed.  A failure counts
** toward the lockout like a wrong password (and may lock); a pass clears
** the failures.  Re-reads the account, so a lock or disable since the
** password step wins.  out is filled afresh (outcome, must_change …). */
void account_second_factor(Db *db, int64_t user_id, const char *addr,
                           int passed, AuthResult *out);

/* Change a password after checking old_pw (when non-NULL) and the policy;
** records history.  0, or -1 with a Chinese reason in err. */
int account_change_password(Db *db, int64_t user_id, const char *old_pw,
                            const char *new_pw, int must_change, Buf *err);

/* 三员分立 for the role set codes[0..n): every code exists, no code
** twice, at least one, and an administrator role (kind 'admin') only
** alone.  0, or -1 with the Chinese reason in err.  Used on creation and
** on every grant. */
int account_roles_allowed(Db *db, const char *const *codes, int n, Buf *err);

/* Comma-separated role codes of a user into out ("" if none). */
void account_roles(Db *db, int64_t user_id, Buf *out);

/* ---- administration (系统管理员; web/page_users.c, cli/cmd_user.c) ----
** Each runs inside the caller's transaction and returns ACCOUNT_OK,
** ACCOUNT_NOT_FOUND (no such id), or ACCOUNT_REFUSED with a Chinese
** reason in err (the state does not allow it; nothing the caller must
** keep was written).  Temporary passwords are ACCOUNT_TEMP_PW_LEN
** characters; the caller shows them once and wipes them. */
enum { ACCOUNT_OK = 0, ACCOUNT_REFUSED = -1, ACCOUNT_NOT_FOUND = -2 };
#define ACCOUNT_TEMP_PW_LEN 16

/* A random password of ACCOUNT_TEMP_PW_LEN characters with all four
** character classes and no look-alike characters (it is read off a
** screen), NUL-terminated. */
void account_random_password(char out[ACCOUNT_TEMP_PW_LEN + 1]);
/* The same, drawn again until it does not contain login (the policy
** refuses that, and a random password can contain a short login such as
** "ags"). */
void account_random_password_for(const char *login,
                                 char out[ACCOUNT_TEMP_PW_LEN + 1]);

/* The status an administrator sees: "active", "locked" (by an
** administrator, or a lockout still running), "disabled" or "expired"
** (status 'expired', or an expiry time already passed). */
const char *account_state(const char *status, jx_time locked_until,
                          jx_time expires_at, jx_time now);
/* Chinese label of a state: 正常, 已锁定, 已停用, 已过期 (NULL: unknown). */
const char *account_state_label(const char *state);

/* The id of login, or 0 when there is none. */
int64_t account_id_by_login(Db *db, const char *login);

/* Create an account with no role (the security administrator grants
** roles) and a random temporary password in pw, to be changed at first
** login.  expires_at 0: the account does not expire. */
int account_admin_create(Db *db, const char *login, const char *display_name,
                         const char *office, jx_time expires_at,
                         char pw[ACCOUNT_TEMP_PW_LEN + 1], int64_t *id,
                         Buf *err);
/* Lock (status 'locked' until unlocked) and end the user's sessions. */
int account_lock(Db *db, int64_t id, Buf *err);
/* Undo an administrator's lock and any lockout after failed logins. */
int account_unlock(Db *db, int64_t id, Buf *err);
/* Disable (status 'disabled') and end the user's sessions. */
int account_disable(Db *db, int64_t id, Buf *err);
/* Enable a disabled account (not one whose expiry has passed). */
int account_enable(Db *db, int64_t id, Buf *err);
/* A new random temporary password in pw that must be changed at the next
** login; every session of the user ends. */
int account_reset_password(Db *db, int64_t id,
                           char pw[ACCOUNT_TEMP_PW_LEN + 1], Buf *err);
/* Set the account expiry (0: never; otherwise not in the past).  An
** account expired before becomes active again. */
int account_set_expiry(Db *db, int64_t id, jx_time expires_at, Buf *err);

#endif
