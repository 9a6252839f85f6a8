/* session.h: server-side sessions and the session cookie. */
#ifndef JX_SESSION_H
#define JX_SESSION_H

#include "auth/auth.h"
#include "store/store.h"

#define SESSION_COOKIE "jixun_session"

/* Start a session for user_id: writes the row, fills token (the cookie
** value, 64 hex) and csrf (64 hex).  0 or -1. */
int session_create(Db *db, int64_t user_id, const char *addr, const char *ua,
                   char token[65], char csrf[65], int64_t *id);
/* End one session (logout).  0 when a live session was ended. */
int session_end(Db *db, int64_t session_id);
/* End every live session of user_id except keep_id (password change). */
void session_end_others(Db *db, int64_t user_id, int64_t keep_id);
/* The Set-Cookie value carrying token (NULL token: clear the cookie). */
void session_cookie(Db *db, const char *token, Buf *out);

#endif
