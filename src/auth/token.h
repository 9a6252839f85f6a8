/* token.h: API tokens for integrations.
**
** A token is "jx_" and 64 hex digits (256 random bits), shown once when
** created and sent as "Authorization: Bearer jx_…".  The database holds
** only its SM3 hash.  A token acts with its user's current roles, is
** audited as that user, and needs no CSRF token (a browser never sends
** it on its own).  It stops working when revoked, when it expires, or
** when its user is no longer active.
*/
#ifndef JX_TOKEN_H
#define JX_TOKEN_H

#include "store/store.h"

struct Request;

#define TOKEN_PREFIX "jx_"
#define TOKEN_LEN (3 + 64) /* characters, without the NUL */
#define TOKEN_DEFAULT_DAYS 90
#define TOKEN_MAX_DAYS 365
#define TOKEN_NAME_MAX 64 /* characters of the purpose */

/* Create a token for user_id valid for days (1..TOKEN_MAX_DAYS) with the
** purpose name (may be "" or NULL).  Runs in the caller's transaction.
** 0 with the token text in token and its id in *id, or -1 with a Chinese
** reason in err.  The caller shows token once and wipes it. */
int token_create(Db *db, int64_t user_id, const char *name, int days,
                 char token[TOKEN_LEN + 1], int64_t *id, Buf *err);

/* Revoke token id.  0, or -1 with a Chinese reason in err (no such
** token, or already revoked). */
int token_revoke(Db *db, int64_t id, Buf *err);

/* Check token text: 0 with its user in *user_id and its id in *token_id
** (either may be NULL) when it is known, not revoked, not expired and its
** user active and not expired; -1 otherwise.  Notes the use (at most one
** write a minute). */
int token_verify(Db *db, const char *token, int64_t *user_id,
                 int64_t *token_id);

/* One token as listed (never the token text, which is not stored). */
typedef struct TokenInfo {
  int64_t id;
  int64_t user_id;
  char login[64];
  char name[4 * TOKEN_NAME_MAX + 1];
  jx_time created_at, expires_at, revoked_at, last_used_at;
} TokenInfo;

/* The tokens of user_id (0: everybody's), oldest first, into *out
** (caller frees; NULL when *n is 0).  DB_OK or a DB_E* code. */
int token_list(Db *db, int64_t user_id, TokenInfo **out, size_t *n);
/* One token by id: 0, or -1 when there is none. */
int token_get(Db *db, int64_t id, TokenInfo *out);

/* For auth_attach (auth/session.c): when the request carries an
** "Authorization: Bearer …" header, authenticate it and set the
** request's session (via_token, roles, no CSRF token) if valid, leaving
** no session if not; returns 1 then, so cookies are not consulted.
** Returns 0 when there is no bearer header. */
int token_attach(struct Request *req);

#endif
