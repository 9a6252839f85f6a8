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

/* Change a password after checking old_pw (when non-NULL) and the policy;
** records history.  0, or -1 with a Chinese reason in err. */
int account_change_password(Db *db, int64_t user_id, const char *old_pw,
                            const char *new_pw, int must_change, Buf *err);

/* Comma-separated role codes of a user into out ("" if none). */
void account_roles(Db *db, int64_t user_id, Buf *out);

#endif
