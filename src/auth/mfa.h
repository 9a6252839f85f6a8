/* mfa.h: the TOTP second factor of each user (RFC 6238, see totp.h).
**
** A user enrols in two steps: mfa_setup() stores a fresh secret, sealed
** under the key file's data key (crypt_seal, aad "totp:<user id>"), as
** pending; mfa_enable() turns it on once the user proves a code from
** their authenticator app.  From then on the login needs a code after
** the password: mfa_check() accepts each 30-second step at most once
** (the last accepted step is stored; SECURITY.md A4 "a replayed OTP
** fails").
**
** The security administrator makes TOTP mandatory per role (table
** role_mfa); that takes effect only while the setting auth.totp_enforce
** is 1.  A user of such a role without TOTP is logged in with a forced
** enrolment state (Session.must_enrol_totp), like a pending password
** change.
**
** The HTML login carries the user from the password form to the code
** form with a pending-login token: the user id and an expiry under an
** HMAC-SM3 tag, never the password.  It is good for MFA_PENDING_SECONDS
** and proves only that the password was right; the code is still due.
*/
#ifndef JX_MFA_H
#define JX_MFA_H

#include "auth/crypto.h"
#include "auth/totp.h"
#include "store/store.h"

#define MFA_PENDING_SECONDS 300 /* password step → code step */
#define MFA_TOKEN_MAX 160       /* bytes of a pending-login token, NUL included */

typedef enum MfaCheck {
  MFA_OK = 0,      /* right code, step not used before; step recorded */
  MFA_MISSING = 1, /* no code given */
  MFA_BAD = 2,     /* malformed, wrong, or TOTP not enabled */
  MFA_REPLAY = 3   /* right code of a step already used */
} MfaCheck;

/* 1 when the user has TOTP enabled (enrolment finished), else 0. */
int mfa_enabled(Db *db, int64_t user_id);
/* 1 when TOTP is mandatory for the user: auth.totp_enforce is on and one
** of the user's roles is in role_mfa. */
int mfa_required(Db *db, int64_t user_id);
/* 1 when TOTP is mandatory for the user and not enabled yet: sessions and
** API tokens are then held at enrolment (Session.must_enrol_totp). */
int mfa_must_enrol(Db *db, int64_t user_id);
/* 1 when the role is in role_mfa (whatever the setting says). */
int mfa_role_listed(Db *db, const char *role_code);
/* Add the role to role_mfa (required) or remove it.  0 when the table
** changed, 1 when it already was so, -1 on a database error. */
int mfa_role_set(Db *db, const char *role_code, int required);

/* Store a new random secret for the user as pending (enabled 0),
** replacing a pending one.  Refuses when TOTP is already enabled.
** 0, or -1 with a Chinese reason in err. */
int mfa_setup(Db *db, const Keys *k, int64_t user_id, Buf *err);
/* The user's secret into out when a row exists; *enabled tells whether
** enrolment is finished.  0, or -1 when there is no row or the sealed
** secret does not open (altered, or another key file).  Wipe out after
** use. */
int mfa_secret(Db *db, const Keys *k, int64_t user_id,
               unsigned char out[TOTP_SECRET_BYTES], int *enabled);
/* Finish enrolment: code must match the pending secret; the matched step
** becomes the last used one.  0, or -1 with a Chinese reason in err. */
int mfa_enable(Db *db, const Keys *k, int64_t user_id, const char *code,
               Buf *err);
/* Turn TOTP off and forget the secret after checking a current code.
** Refused while TOTP is mandatory for one of the user's roles.  A wrong
** code counts toward the account's lockout like a wrong code at login
** (else a stolen session could try every code), and while the account
** is locked out even a right code disables nothing.  0; -1 refused with
** nothing written; -2 refused with the failure recorded (the caller
** commits it).  err has the Chinese reason. */
int mfa_disable(Db *db, const Keys *k, int64_t user_id, const char *code,
                const char *addr, Buf *err);
/* Forget the user's secret without a code (the security administrator,
** for a lost device).  0 when there was one, 1 when not, -1 on error. */
int mfa_reset(Db *db, int64_t user_id);

/* The login check of code (spaces ignored) for a user with TOTP enabled,
** with the window of auth.totp_window, at jx_now().  Records the step on
** MFA_OK; a step not later than the last accepted one is MFA_REPLAY. */
MfaCheck mfa_check(Db *db, const Keys *k, int64_t user_id, const char *code);

/* A pending-login token for user_id, valid until now +
** MFA_PENDING_SECONDS, into out. */
void mfa_pending_token(const Keys *k, int64_t user_id, jx_time now,
                       char out[MFA_TOKEN_MAX]);
/* Check a pending-login token: 0 and *user_id when its tag is right and
** it has not expired at now, else -1. */
int mfa_pending_verify(const Keys *k, const char *token, jx_time now,
                       int64_t *user_id);

#endif
