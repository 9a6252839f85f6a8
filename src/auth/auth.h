/* auth.h: who is making this request, and may they do this?
**
** The dispatcher (web/router.c) calls auth_attach() for every request,
** then checks the route's permission with auth_route_allowed().  The
** record-level answer (need-to-know) is given inside the handler.
*/
#ifndef JX_AUTH_H
#define JX_AUTH_H

#include <stdint.h>

#include "util/util.h"

struct Request;
struct Response;

typedef struct Session {
  int64_t id;                /* session row id (0 for API tokens) */
  int64_t user_id;           /* the user */
  char login[64];            /* login name */
  char display_name[128];    /* 显示名 */
  char csrf[65];             /* this session's CSRF token (hex) */
  int must_change_password;  /* forced change pending */
  int must_enrol_totp;       /* TOTP mandatory for a role, not enrolled */
  int via_token;             /* authenticated by an API bearer token */
  char roles[256];           /* role codes, comma-separated */
} Session;

/* Find the session of this request (cookie or bearer token), check its
** idle and absolute limits, and set req->session, req->user_id and
** req->csrf_token.  Leaves them empty when there is none. */
void auth_attach(struct Request *req, struct Response *resp);
/* Release what auth_attach allocated. */
void auth_detach(struct Request *req);
/* 1 when the request may use a route needing permission perm. */
int auth_route_allowed(const struct Request *req, int perm);

#endif
