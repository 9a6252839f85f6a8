/* ntk.h: need-to-know (知悉范围) and jurisdiction scope for records.
**
** Two fences stand between a user and a protected record (DESIGN.md §2,
** §3 "auth/"):
**
**  1. Need-to-know.  A record is visible only to the users and offices on
**     its access list (table record_access, migration 0006).  Outside
**     the list the record does not exist: it is absent from every list,
**     count, search and export, and a request for it by id gets 404,
**     never 403.  The creator and whoever the module names (e.g. the team
**     leader) are put on the list at creation (ntk_grant_initial); anyone
**     else gets there only through a request that an approver decides
**     (ntk_request, ntk_decide), and leaves it by revocation (ntk_revoke)
**     or expiry.
**  2. Jurisdiction.  Jurisdiction codes are dotted paths ("ML" 明澜市,
**     "ML.BL" 北岭县 under it).  A query stays inside the user's subtree
**     (the code itself, or any code starting with it plus '.') unless the
**     user's role has SCOPE_ALL for the permission in question.
**
** Both fences are SQL predicates, so the database never returns what the
** user may not see, and LIMIT/OFFSET/COUNT are right by construction.
** SQL lives only in the statement catalogue as literals (codecheck), so
** the predicates are string-literal macros that a catalogue entry splices
** in, with a binder for each that fills its '?' in order and returns the
** next free index:
**
**   STMT(THING_LIST,
**        "SELECT t.id, t.title FROM thing t WHERE "
**        NTK_VISIBLE("thing", "t.id") " AND "
**        JUR_WITHIN("t.jurisdiction_code") " AND " NTK_OWNED("t.created_by")
**        " ORDER BY t.id DESC LIMIT ? OFFSET ?")
**
**   NtkSubject who;
**   ntk_subject_from_request(req, &who);
**   Scope sc = policy_scope(who.roles, P_THING_READ);
**   Stmt *st = db_stmt(req->db, STMT_THING_LIST);
**   int i = ntk_bind(st, 1, &who);
**   i = ntk_bind_jur(st, i, &who, sc);
**   i = ntk_bind_owned(st, i, &who, sc);
**   db_bind_int64(st, i++, limit);
**   db_bind_int64(st, i++, offset);
**
** store/store.c includes this header before it expands stmts.def, so the
** macros are defined where the catalogue's SQL text is built.
**
** Scopes (auth/policy.h) as the binders apply them; a narrower scope never
** sees more than a wider one:
**   SCOPE_ALL           no jurisdiction fence (need-to-know still applies);
**   SCOPE_JURISDICTION  the user's jurisdiction subtree;
**   SCOPE_OWN           the subtree, and NTK_OWNED(col): col = the user;
**   SCOPE_NONE          nothing.
** A user without a (valid) jurisdiction code sees nothing below SCOPE_ALL.
** The predicates are meant to be used positively (joined with AND); with
** NULL bindings they evaluate to NULL, so never wrap them in NOT.
*/
#ifndef JX_NTK_H
#define JX_NTK_H

#include <stdint.h>

#include "auth/policy.h"
#include "store/store.h"
#include "util/util.h"

struct Request;

/* ---- SQL predicates (string literals for stmts.def) ---- */

/* The record whose id is the SQL expression id_expr, of object type
** type_literal (a plain identifier: it is written into the SQL between
** quotes), is on the subject's live access list: a user grant for them or
** an office grant for their office, not revoked, not expired.
** Parameters (ntk_bind): now, user id, office code. */
#define NTK_VISIBLE(type_literal, id_expr) \
  NTK_VISIBLE_EXPR("'" type_literal "'", id_expr)
#define NTK_VISIBLE_NPARAMS 3
/* The same with the type as any SQL expression (ntk_can_see binds it:
** "?"); parameters inside type_expr and id_expr come first. */
#define NTK_VISIBLE_EXPR(type_expr, id_expr)                                 \
  "EXISTS (SELECT 1 FROM record_access ra WHERE ra.object_type = " type_expr \
  " AND ra.object_id = " id_expr                                             \
  " AND ra.revoked_at = 0 AND (ra.expires_at = 0 OR ra.expires_at > ?)"      \
  " AND (ra.user_id = ? OR ra.office_code = ?))"

/* The jurisdiction code in column col lies inside the subject's subtree,
** or the scope puts no fence (SCOPE_ALL).  substr rather than LIKE: LIKE
** is case-insensitive on SQLite and would need escaping.
** Parameters (ntk_bind_jur): no-fence flag, code, length of code + '.',
** code + '.'. */
#define JUR_WITHIN(col)                                  \
  "(CAST(? AS BIGINT) = 1 OR " col " = ? OR substr(" col \
  ", 1, CAST(? AS INTEGER)) = ?)"
#define JUR_WITHIN_NPARAMS 4

/* Under SCOPE_OWN only: the user id in column col is the subject's (the
** module's "own record" rule, e.g. created_by).  Other scopes pass.
** Parameters (ntk_bind_owned): own-scope flag, user id. */
#define NTK_OWNED(col) "(CAST(? AS BIGINT) = 0 OR " col " = ?)"
#define NTK_OWNED_NPARAMS 2

/* ---- the subject ---- */

/* Who is asking, as the predicates need it. */
typedef struct NtkSubject {
  int64_t user_id;            /* the user (0: nobody, sees nothing) */
  char office_code[64];       /* their office ("" when none) */
  char jurisdiction_code[64]; /* their jurisdiction subtree root ("": none) */
  char roles[256];            /* role codes, comma-separated */
  jx_time now;                /* the time grants are judged at */
} NtkSubject;

/* Fill who for user_id with roles_csv (may be NULL) from app_user, at
** jx_now().  0, or -1 when the user does not exist (who then sees
** nothing: user_id 0). */
int ntk_subject_load(Db *db, int64_t user_id, const char *roles_csv,
                     NtkSubject *who);
/* The same for the request's logged-in user.  -1 when there is none. */
int ntk_subject_from_request(const struct Request *req, NtkSubject *who);

/* Bind NTK_VISIBLE's parameters from index first; returns the next. */
int ntk_bind(Stmt *st, int first, const NtkSubject *who);
/* Bind JUR_WITHIN's parameters for scope; returns the next index. */
int ntk_bind_jur(Stmt *st, int first, const NtkSubject *who, Scope scope);
/* Bind NTK_OWNED's parameters for scope; returns the next index. */
int ntk_bind_owned(Stmt *st, int first, const NtkSubject *who, Scope scope);

/* The JUR_WITHIN test in C, for a record already in hand: 1 when code
** is inside who's scope, else 0. */
int ntk_jur_within(const NtkSubject *who, Scope scope, const char *code);
/* 1 when code is a well-formed jurisdiction code: 1–63 bytes, segments of
** [A-Za-z0-9_-] joined by single dots. */
int ntk_jur_code_valid(const char *code);
/* 1 when type is a well-formed object type: [a-z][a-z0-9_]{0,31}. */
int ntk_type_valid(const char *type);

/* ---- single records ---- */

/* Is record (type, id) on who's live access list?  1 yes, 0 no (also on a
** database error: fail closed).  A handler that gets 0 answers 404, the
** same as for a record that does not exist.  Jurisdiction is not checked
** here: see ntk_jur_within, or fetch the record with both predicates. */
int ntk_can_see(Db *db, const NtkSubject *who, const char *type, int64_t id);

/* ---- the access list ---- */

/* Put a user (user_id > 0, office NULL or "") or an office (user_id 0,
** office set) on the access list of (type, id) without approval: for the
** people a module lists when the record is created.  Runs in the
** caller's transaction; the caller audits the creation.  0 and *grant_id
** (may be NULL), or -1 on bad arguments or a database error. */
int ntk_grant_initial(Db *db, const char *type, int64_t id, int64_t user_id,
                      const char *office, const char *reason,
                      int64_t granted_by, int64_t *grant_id);

/* One entry of an access list, names resolved for display. */
typedef struct NtkGrant {
  int64_t id;
  char *object_type;
  int64_t object_id;
  int64_t user_id;  /* 0 for an office grant */
  char *user_login; /* "" for an office grant */
  char *user_name;
  char *office_code; /* "" for a user grant */
  char *reason;
  int64_t granted_by;
  char *granted_by_name;
  int64_t approved_by; /* 0: initial grant */
  char *approved_by_name;
  int64_t request_id; /* 0: initial grant */
  jx_time granted_at;
  jx_time expires_at; /* 0: never */
  jx_time revoked_at; /* 0: not revoked */
  int64_t revoked_by;
  char *revoked_by_name;
  char *revoke_reason;
} NtkGrant;

/* "live" | "expired" | "revoked" at time now. */
const char *ntk_grant_state(const NtkGrant *g, jx_time now);
/* The access list of (type, id), revoked and expired entries included,
** oldest first.  DB_OK with *out (free with ntk_grants_free; NULL when
** *n is 0) and *n. */
int ntk_list(Db *db, const char *type, int64_t id, NtkGrant **out, size_t *n);
void ntk_grants_free(NtkGrant *g, size_t n); /* the array too; NULL is fine */
void ntk_grant_clear(NtkGrant *g);           /* one struct's strings */

/* ---- requests, decisions, revocations ---- */

/* The result of ntk_request, ntk_decide and ntk_revoke; each has a
** Chinese message in err for anything but NTK_OK. */
typedef enum NtkResult {
  NTK_OK = 0,
  NTK_EINVALID = 1,   /* bad input: 400 */
  NTK_ENOTFOUND = 2,  /* no such request or grant (for this approver): 404 */
  NTK_EFORBIDDEN = 3, /* not this approver's to decide: 403 */
  NTK_ECONFLICT = 4,  /* already decided / revoked, or a duplicate: 409 */
  NTK_EDB = 5         /* database error: 500 */
} NtkResult;

/* The HTTP status that goes with r. */
int ntk_http_status(NtkResult r);

/* What a requester asks for.  Exactly one of for_login / for_office may be
** set; neither means "for myself". */
typedef struct NtkRequestIn {
  const char *object_type;
  int64_t object_id;
  const char *for_login;  /* another user, by login (NULL or "": none) */
  const char *for_office; /* an office code (NULL or "": none) */
  const char *reason;     /* required, at most NTK_TEXT_MAX characters */
} NtkRequestIn;

#define NTK_TEXT_MAX 500 /* characters in a reason or note */

/* File a request by requester.  The answer never depends on whether the
** object exists or the requester may see it: only the input's form, the
** named user's existence and the requester's own pending duplicates
** decide it.  Runs in the caller's transaction.  NTK_OK and *id; on
** NTK_EINVALID *field (may be NULL) names the input at fault. */
NtkResult ntk_request(Db *db, const NtkSubject *requester,
                      const NtkRequestIn *in, int64_t *id, const char **field,
                      Buf *err);

/* A stored request, names resolved for display. */
typedef struct NtkRequest {
  int64_t id;
  char *object_type;
  int64_t object_id;
  int64_t requester_id;
  char *requester_login;
  char *requester_name;
  int64_t for_user_id; /* 0: an office */
  char *for_login;     /* "" for an office */
  char *for_name;
  char *for_office; /* "" for a user */
  char *reason;
  char *status; /* pending | approved | rejected */
  int64_t decided_by;
  char *decided_by_name;
  jx_time decided_at;
  char *decision_note;
  int64_t grant_id; /* the grant an approval made (0: none) */
  jx_time created_at;
} NtkRequest;

void ntk_requests_free(NtkRequest *r, size_t n); /* the array too */
void ntk_request_clear(NtkRequest *r);           /* one struct's strings */
/* One request by id into *out (release with ntk_request_clear).  DB_OK,
** DB_DONE when there is none, or a DB_E* code. */
int ntk_request_get(Db *db, int64_t id, NtkRequest *out);
/* The requests filed by requester_id, newest first, one page; *total
** counts them all.  DB_OK with *out (free with ntk_requests_free). */
int ntk_requests_mine(Db *db, int64_t requester_id, int64_t limit,
                      int64_t offset, NtkRequest **out, size_t *n,
                      int64_t *total);
/* The requests with status ("" for all) that approver may decide, newest
** first, one page; *total counts them.  Filtered in C through
** ntk_may_approve, so record-specific approvers (the hook table in ntk.c)
** see exactly their own queue. */
int ntk_requests_for_approver(Db *db, const NtkSubject *approver,
                              const char *status, int64_t limit, int64_t offset,
                              NtkRequest **out, size_t *n, int64_t *total);

/* May approver decide requests for, and revoke grants on, (type, id)?
** Roles with P_ACCESS_APPROVE at SCOPE_ALL (the security administrator)
** may for every object; a narrower P_ACCESS_APPROVE scope only where the
** object type's approver hook says so (ntk_types[] in ntk.c: for a
** clue, its team's 组长 or, after the transfer, the 案管室).  1 or 0. */
int ntk_may_approve(Db *db, const NtkSubject *approver, const char *type,
                    int64_t id);

/* Does (type, id) exist?  1 yes, 0 no, -1 unknown (the type has no
** existence hook, or a database error).  For approvers' eyes only. */
int ntk_object_exists(Db *db, const char *type, int64_t id);
/* Chinese name of an object type ("问题线索"), or type itself. */
const char *ntk_type_label(const char *type);

/* Approve (approve = 1: the grant is created, expiring at expires_at, 0
** for never) or reject request_id.  The approver may not decide a request
** they filed, nor one for themselves or their own office.  note is
** required to reject.  Runs in the caller's transaction, or in one of its
** own when none is open (its writes stand or fall together).  On NTK_OK,
** *out (may be NULL; release with ntk_request_clear) holds the request as
** decided. */
NtkResult ntk_decide(Db *db, const NtkSubject *approver, int64_t request_id,
                     int approve, const char *note, jx_time expires_at,
                     NtkRequest *out, Buf *err);

/* Revoke grant_id with a reason (required).  Runs in the caller's
** transaction.  On NTK_OK, *out (may be NULL; release with
** ntk_grant_clear) holds the grant as revoked. */
NtkResult ntk_revoke(Db *db, const NtkSubject *approver, int64_t grant_id,
                     const char *reason, NtkGrant *out, Buf *err);

#endif
