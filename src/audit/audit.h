/* audit.h: the audit trail, append-only and tamper-evident.
**
** Every change and every read of a protected record is recorded by
** audit_append() inside the transaction of the action itself, so that
** either both are committed or neither (SECURITY.md C1, C4).  Rows carry
** time, user, role, source address, action, object, outcome and a short
** summary (C2).
**
** Protection (C3) has two layers:
**  - guards in the database (triggers of migration 0003): UPDATE,
**    DELETE and TRUNCATE of audit_log and audit_head are refused,
**    whoever asks, except the DELETE of rows a purge has already cut off
**    the chain;
**  - a chain of HMAC-SM3 tags under the key file's audit-mac key:
**      mac[i] = HMAC-SM3(key, "jixun-audit-row-v1" || mac[i-1] ||
**                              canonical encoding of row i, id included)
**    with mac[0] = 32 zero bytes, ids consecutive from audit_head's
**    first_id, and a one-row audit_head holding (first_id, first_prev,
**    last_id, last_mac) under its own tag.  An edited byte, a deleted,
**    inserted or reordered row, and a cut-off tail all break the chain,
**    and only a holder of the key can rebuild it.  What no key inside
**    the database can show is the loss of the whole log together with
**    its head: compare `jixun audit verify`'s last line with a copy kept
**    elsewhere for that.
**
** Retention (C5): audit_purge_before() removes only a prefix of the
** chain, only when every removed row is older than AUDIT_KEEP_DAYS, and
** records itself as an audit event.
**
** Strings are stored as given except that invalid UTF-8 and control
** characters are made visible ("\xNN") and over-long fields are cut, so
** that no input can forge a line in an export or a terminal (C6).  The
** summary is for people: never put a password, token or key in it.
*/
#ifndef JX_AUDIT_H
#define JX_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "auth/crypto.h"
#include "store/store.h"
#include "util/util.h"

#define AUDIT_KEEP_DAYS 180 /* 网络安全法 art. 21: at least six months */
#define AUDIT_SEARCH_DEFAULT 50
#define AUDIT_SEARCH_MAX 1000

typedef enum AuditOutcome {
  AUDIT_OK = 1,     /* done as asked */
  AUDIT_DENIED = 2, /* refused by policy (permission, need-to-know, CSRF) */
  AUDIT_FAILED = 3  /* attempted but failed (bad password, invalid input) */
} AuditOutcome;

/* One event, as the caller knows it.  NULL strings are stored as "". */
typedef struct AuditEvent {
  int64_t user_id;    /* acting user; 0 when nobody is logged in */
  const char *login;  /* their login, or the name typed at a failed login */
  const char *role;   /* role the action was done under, e.g. "auditor" */
  const char *source; /* client address, or "cli" */
  const char *action; /* dotted verb: "clue.read", "session.login" */
  const char *object_type; /* "clue", "user" … ; "" when none */
  int64_t object_id;       /* id of that object; 0 when none */
  AuditOutcome outcome;    /* required */
  const char *summary;     /* one sentence for people; never a secret */
} AuditEvent;

/* Append ev with the current time (jx_now()).  Inside the caller's open
** transaction when there is one (then the caller commits or, on a
** non-zero return, must roll back: fail closed); otherwise in a
** transaction of its own.  Refuses (DB_EERROR) an event without action
** or outcome, and any append while audit_head's tag is wrong: extending
** a chain whose head was altered would launder the alteration.
** Returns DB_OK or a DB_E* code (details in the log and db_errmsg). */
int audit_append(Db *db, const Keys *k, const AuditEvent *ev);

/* Walk the whole chain.  Returns 0 when intact, with *rows the number of
** rows checked.  Returns 1 when broken: *first_bad is the id of the first
** row that is wrong or missing (0 when only audit_head is wrong) and why
** holds a Chinese explanation.  Returns -1 on a database error (why says
** so).  Rows appended while it runs are followed, not reported. */
int audit_verify(Db *db, const Keys *k, int64_t *rows, int64_t *first_bad,
                 Buf *why);

/* The chain's end as audit_head records it: *last_id (0 when nothing was
** recorded) and the hex of its mac into last_mac_hex.  Printed by `jixun
** audit verify` so that operators can keep a copy outside the database:
** a later verify showing a lower id or another mac for that id means
** the log was replaced.  Returns DB_OK or a DB_E* code. */
int audit_checkpoint(Db *db, int64_t *last_id, char last_mac_hex[65]);

/* Delete the rows older than cutoff that form a prefix of the chain
** (ids below the first row at or after cutoff), move audit_head past
** them, and append an "audit.purge" event by actor, all in one
** transaction of its own (db must have none open).  Refuses, deleting
** nothing, with DB_EDENIED when cutoff is later than jx_now() minus
** AUDIT_KEEP_DAYS.  *purged (may be NULL) gets the number of rows
** deleted.  Returns DB_OK or a DB_E* code. */
int audit_purge_before(Db *db, const Keys *k, jx_time cutoff,
                       const AuditEvent *actor, int64_t *purged);

/* ---- reading, for the auditor's pages ---- */

/* Zero-initialise, then set what to filter on; zero/NULL/"" is "any". */
typedef struct AuditFilter {
  int64_t user_id;         /* 0: any */
  const char *login;       /* exact; NULL or "": any */
  const char *action;      /* exact; NULL or "": any */
  const char *object_type; /* exact; NULL or "": any */
  int64_t object_id;       /* 0: any */
  AuditOutcome outcome;    /* 0: any */
  jx_time from;            /* at >= from; 0: no lower bound */
  jx_time to;              /* at < to; 0: no upper bound */
  int64_t limit;           /* rows per page; 0: AUDIT_SEARCH_DEFAULT, capped
                              at AUDIT_SEARCH_MAX */
  int64_t offset;          /* rows to skip */
} AuditFilter;

/* One stored event. */
typedef struct AuditRow {
  int64_t id; /* position in the chain, from 1 */
  jx_time at; /* when it was recorded */
  int64_t user_id;
  char *login;
  char *role;
  char *source;
  char *action;
  char *object_type;
  int64_t object_id;
  AuditOutcome outcome;
  char *summary;
} AuditRow;

/* The rows matching f, newest first, one page of them; *total counts
** all matches (may be NULL to skip the count).  On DB_OK *rows (free
** with audit_rows_free, also when *n is 0) holds *n rows; on error *rows
** is NULL and *n 0. */
int audit_search(Db *db, const AuditFilter *f, AuditRow **rows, size_t *n,
                 int64_t *total);
void audit_rows_free(AuditRow *rows, size_t n); /* NULL is fine */

/* "ok" | "denied" | "failed" (and "" for anything else). */
const char *audit_outcome_name(AuditOutcome o);

#endif
