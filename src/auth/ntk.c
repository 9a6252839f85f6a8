/* ntk.c: need-to-know (知悉范围) access lists, their requests and
** approvals, and jurisdiction scope (see ntk.h). */
#include "auth/ntk.h"

#include <stdlib.h>

#include "auth/auth.h"
#include "domain/clue.h"
#include "web/http.h"

/* ---- object types and their hooks ----
**
** A module whose records carry an access list adds one line here when it
** arrives, naming functions from its domain/ header:
**
**   {"clue", "问题线索", clue_exists, clue_may_approve},
**
** exists(db, id):  1 when the record exists, 0 when not, -1 on error.
**   Shown to approvers only, so they can tell a mistyped request from a
**   real one; approval of a request for a record that does not exist is
**   refused.  NULL: existence unknown (approval allowed).
** may_approve(db, approver, id):  1 when this approver may decide
**   requests for, and revoke grants on, record id although their
**   P_ACCESS_APPROVE scope is below SCOPE_ALL (e.g. the team leader of
**   the round a clue belongs to).  NULL: only SCOPE_ALL approvers.
**
** A type not listed here still works (requests, grants, the predicates);
** it only has no Chinese name, no existence check and no record-specific
** approvers. */
typedef struct NtkType {
  const char *code;  /* object_type as stored */
  const char *label; /* Chinese name */
  int (*exists)(Db *db, int64_t id);
  int (*may_approve)(Db *db, const NtkSubject *approver, int64_t id);
} NtkType;

static const NtkType ntk_types[] = {
    /* code, label, exists, may_approve (people and rectification items
     * add theirs). */
    {"clue", "问题线索", clue_exists, clue_may_approve},
    {NULL, NULL, NULL, NULL},
};

static const NtkType *type_find(const char *code) {
  for (size_t i = 0; code && ntk_types[i].code; i++)
    if (str_eq(ntk_types[i].code, code)) return &ntk_types[i];
  return NULL;
}

const char *ntk_type_label(const char *type) {
  const NtkType *t = type_find(type);
  return t ? t->label : type;
}

int ntk_object_exists(Db *db, const char *type, int64_t id) {
  const NtkType *t = type_find(type);
  if (!t || !t->exists) return -1;
  return t->exists(db, id);
}

/* ---- the subject ---- */

int ntk_subject_load(Db *db, int64_t user_id, const char *roles_csv,
                     NtkSubject *who) {
  memset(who, 0, sizeof *who);
  who->now = jx_now();
  str_copy(who->roles, roles_csv ? roles_csv : "", sizeof who->roles);
  if (user_id <= 0) return -1;
  Stmt *st = db_stmt(db, STMT_NTK_SUBJECT);
  if (!st) return -1;
  db_bind_int64(st, 1, user_id);
  int found = db_step(st) == DB_ROW;
  if (found) {
    who->user_id = user_id;
    str_copy(who->office_code, db_column_text(st, 0), sizeof who->office_code);
    str_copy(who->jurisdiction_code, db_column_text(st, 1),
             sizeof who->jurisdiction_code);
  }
  db_reset(st);
  return found ? 0 : -1;
}

int ntk_subject_from_request(const Request *req, NtkSubject *who) {
  if (!req->session) {
    ntk_subject_load(req->db, 0, NULL, who);
    return -1;
  }
  return ntk_subject_load(req->db, req->session->user_id, req->session->roles,
                          who);
}

/* ---- predicates ---- */

int ntk_bind(Stmt *st, int i, const NtkSubject *who) {
  db_bind_int64(st, i++, who->now);
  /* Office grants have user_id 0: nobody must match them by user id. */
  db_bind_int64(st, i++, who->user_id > 0 ? who->user_id : -1);
  if (who->user_id > 0 && who->office_code[0])
    db_bind_text(st, i++, who->office_code);
  else
    db_bind_null(st, i++); /* matches no office */
  return i;
}

int ntk_jur_code_valid(const char *code) {
  size_t n = code ? strlen(code) : 0;
  if (n == 0 || n > 63) return 0;
  int seg = 0; /* length of the current segment */
  for (const char *p = code; *p; p++) {
    char c = *p;
    if (c == '.') {
      if (seg == 0) return 0;
      seg = 0;
    } else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
               (c >= '0' && c <= '9') || c == '_' || c == '-') {
      seg++;
    } else {
      return 0;
    }
  }
  return seg > 0;
}

int ntk_type_valid(const char *type) {
  size_t n = type ? strlen(type) : 0;
  if (n == 0 || n > 32 || type[0] < 'a' || type[0] > 'z') return 0;
  for (const char *p = type; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
      return 0;
  return 1;
}

/* The subtree root scope fences a query to, or NULL when the fence lets
** nothing through (no scope, or no valid jurisdiction of the user). */
static const char *fence_root(const NtkSubject *who, Scope scope) {
  if (scope == SCOPE_NONE || who->user_id <= 0) return NULL;
  return ntk_jur_code_valid(who->jurisdiction_code) ? who->jurisdiction_code
                                                    : NULL;
}

int ntk_bind_jur(Stmt *st, int i, const NtkSubject *who, Scope scope) {
  int open = scope == SCOPE_ALL && who->user_id > 0;
  const char *root = open ? NULL : fence_root(who, scope);
  db_bind_int64(st, i++, open);
  if (root) {
    char prefix[80];
    int n = snprintf(prefix, sizeof prefix, "%s.", root);
    db_bind_text(st, i++, root);
    db_bind_int64(st, i++, n);
    db_bind_text(st, i++, prefix);
  } else {
    /* NULLs: "col = NULL" is never true, so nothing passes the fence. */
    db_bind_null(st, i++);
    db_bind_int64(st, i++, 0);
    db_bind_null(st, i++);
  }
  return i;
}

int ntk_bind_owned(Stmt *st, int i, const NtkSubject *who, Scope scope) {
  db_bind_int64(st, i++, scope == SCOPE_OWN);
  db_bind_int64(st, i++, who->user_id > 0 ? who->user_id : -1);
  return i;
}

int ntk_jur_within(const NtkSubject *who, Scope scope, const char *code) {
  if (scope == SCOPE_ALL && who->user_id > 0) return 1;
  const char *root = fence_root(who, scope);
  if (!root || !code) return 0;
  size_t n = strlen(root);
  return strncmp(code, root, n) == 0 && (code[n] == 0 || code[n] == '.');
}

/* ---- single records ---- */

int ntk_can_see(Db *db, const NtkSubject *who, const char *type, int64_t id) {
  if (who->user_id <= 0 || !type) return 0;
  Stmt *st = db_stmt(db, STMT_NTK_CAN_SEE);
  if (!st) return 0;
  db_bind_text(st, 1, type);
  db_bind_int64(st, 2, id);
  ntk_bind(st, 3, who);
  int rc = db_step(st);
  db_reset(st);
  return rc == DB_ROW;
}

/* ---- grants ---- */

/* Insert one record_access row.  0 and *id, or -1. */
static int grant_insert(Db *db, const char *type, int64_t object_id,
                        int64_t user_id, const char *office, const char *reason,
                        int64_t granted_by, int64_t approved_by,
                        int64_t request_id, jx_time expires_at, int64_t *id) {
  Stmt *st = db_stmt(db, STMT_NTK_GRANT_INSERT);
  if (!st) return -1;
  db_bind_text(st, 1, type);
  db_bind_int64(st, 2, object_id);
  db_bind_int64(st, 3, user_id);
  db_bind_text(st, 4, office ? office : "");
  db_bind_text(st, 5, reason);
  db_bind_int64(st, 6, granted_by);
  db_bind_int64(st, 7, approved_by);
  db_bind_int64(st, 8, request_id);
  db_bind_int64(st, 9, jx_now());
  db_bind_int64(st, 10, expires_at);
  int rc = db_step(st);
  if (rc == DB_ROW && id) *id = db_column_int64(st, 0);
  db_reset(st);
  return rc == DB_ROW ? 0 : -1;
}

int ntk_grant_initial(Db *db, const char *type, int64_t id, int64_t user_id,
                      const char *office, const char *reason,
                      int64_t granted_by, int64_t *grant_id) {
  int has_office = office && *office;
  if (!ntk_type_valid(type) || id <= 0 || !reason ||
      (user_id > 0) == has_office || user_id < 0 ||
      (has_office && !ntk_jur_code_valid(office)))
    return -1;
  return grant_insert(db, type, id, user_id, has_office ? office : "", reason,
                      granted_by, 0, 0, 0, grant_id);
}

const char *ntk_grant_state(const NtkGrant *g, jx_time now) {
  if (g->revoked_at) return "revoked";
  if (g->expires_at && g->expires_at <= now) return "expired";
  return "live";
}

static char *col_dup(Stmt *st, int col) {
  const char *s = db_column_text(st, col);
  return xstrdup(s ? s : "");
}

/* The current row of NTK_GRANT_GET / NTK_GRANT_LIST into g. */
static void grant_read(Stmt *st, NtkGrant *g) {
  g->id = db_column_int64(st, 0);
  g->object_type = col_dup(st, 1);
  g->object_id = db_column_int64(st, 2);
  g->user_id = db_column_int64(st, 3);
  g->user_login = col_dup(st, 4);
  g->user_name = col_dup(st, 5);
  g->office_code = col_dup(st, 6);
  g->reason = col_dup(st, 7);
  g->granted_by = db_column_int64(st, 8);
  g->granted_by_name = col_dup(st, 9);
  g->approved_by = db_column_int64(st, 10);
  g->approved_by_name = col_dup(st, 11);
  g->request_id = db_column_int64(st, 12);
  g->granted_at = db_column_int64(st, 13);
  g->expires_at = db_column_int64(st, 14);
  g->revoked_at = db_column_int64(st, 15);
  g->revoked_by = db_column_int64(st, 16);
  g->revoked_by_name = col_dup(st, 17);
  g->revoke_reason = col_dup(st, 18);
}

void ntk_grant_clear(NtkGrant *g) {
  free(g->object_type);
  free(g->user_login);
  free(g->user_name);
  free(g->office_code);
  free(g->reason);
  free(g->granted_by_name);
  free(g->approved_by_name);
  free(g->revoked_by_name);
  free(g->revoke_reason);
  memset(g, 0, sizeof *g);
}

void ntk_grants_free(NtkGrant *g, size_t n) {
  if (!g) return;
  for (size_t i = 0; i < n; i++) ntk_grant_clear(&g[i]);
  free(g);
}

int ntk_list(Db *db, const char *type, int64_t id, NtkGrant **out, size_t *n) {
  *out = NULL;
  *n = 0;
  Stmt *st = db_stmt(db, STMT_NTK_GRANT_LIST);
  if (!st) return DB_EERROR;
  db_bind_text(st, 1, type);
  db_bind_int64(st, 2, id);
  size_t cap = 0;
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    if (*n == cap)
      *out = xrealloc(*out, (cap = cap ? cap * 2 : 8) * sizeof **out);
    grant_read(st, &(*out)[(*n)++]);
  }
  db_reset(st);
  if (rc != DB_DONE) {
    ntk_grants_free(*out, *n);
    *out = NULL;
    *n = 0;
    return rc;
  }
  return DB_OK;
}

/* ---- requests ---- */

int ntk_http_status(NtkResult r) {
  switch (r) {
    case NTK_OK:
      return 200;
    case NTK_EINVALID:
      return 400;
    case NTK_ENOTFOUND:
      return 404;
    case NTK_EFORBIDDEN:
      return 403;
    case NTK_ECONFLICT:
      return 409;
    default:
      return 500;
  }
}

/* Is s a usable reason or note: valid UTF-8, not only blanks (when
** required), at most NTK_TEXT_MAX characters, no control characters but
** line breaks and tabs?  0, or -1 with the Chinese reason in err. */
static int text_check(const char *s, int required, const char *what, Buf *err) {
  if (!s) s = "";
  if (!utf8_valid(s, strlen(s))) {
    buf_printf(err, "%s含有非法字符", what);
    return -1;
  }
  int blank = 1;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p < 0x20 && *p != '\n' && *p != '\r' && *p != '\t') {
      buf_printf(err, "%s含有控制字符", what);
      return -1;
    }
    if (*p != ' ' && *p != '\n' && *p != '\r' && *p != '\t') blank = 0;
  }
  if (required && blank) {
    buf_printf(err, "请填写%s", what);
    return -1;
  }
  if (utf8_chars(s) > NTK_TEXT_MAX) {
    buf_printf(err, "%s不能超过 %d 个字", what, NTK_TEXT_MAX);
    return -1;
  }
  return 0;
}

static NtkResult invalid(const char **field, const char *name) {
  if (field) *field = name;
  return NTK_EINVALID;
}

NtkResult ntk_request(Db *db, const NtkSubject *requester,
                      const NtkRequestIn *in, int64_t *id, const char **field,
                      Buf *err) {
  const char *login = in->for_login && *in->for_login ? in->for_login : NULL;
  const char *office =
      in->for_office && *in->for_office ? in->for_office : NULL;
  int64_t for_user = 0;
  if (field) *field = NULL;
  if (requester->user_id <= 0) {
    buf_puts(err, "请先登录");
    return NTK_EFORBIDDEN;
  }
  if (!ntk_type_valid(in->object_type)) {
    buf_puts(
        err,
        "对象类型应为小写字母开头的代码（字母、数字、下划线，至多 32 位）");
    return invalid(field, "object_type");
  }
  if (in->object_id <= 0) {
    buf_puts(err, "对象编号应为正整数");
    return invalid(field, "object_id");
  }
  if (login && office) {
    buf_puts(err, "授权对象只能是一个用户或一个部门，不能同时填写");
    return invalid(field, "for_office");
  }
  if (office && !ntk_jur_code_valid(office)) {
    buf_puts(err, "部门代码格式不正确（字母、数字、下划线、短横线，以点分隔）");
    return invalid(field, "for_office");
  }
  if (login) {
    Stmt *st = db_stmt(db, STMT_USER_BY_LOGIN);
    if (!st) goto dberr;
    db_bind_text(st, 1, login);
    if (db_step(st) == DB_ROW) for_user = db_column_int64(st, 0);
    db_reset(st);
    if (!for_user) {
      buf_puts(err, "指定的用户不存在");
      return invalid(field, "for_user");
    }
  } else if (!office) {
    for_user = requester->user_id; /* for myself */
  }
  if (text_check(in->reason, 1, "申请理由", err) != 0)
    return invalid(field, "reason");

  Stmt *st = db_stmt(db, STMT_NTK_REQUEST_DUP);
  if (!st) goto dberr;
  db_bind_int64(st, 1, requester->user_id);
  db_bind_text(st, 2, in->object_type);
  db_bind_int64(st, 3, in->object_id);
  db_bind_int64(st, 4, for_user);
  db_bind_text(st, 5, office ? office : "");
  int64_t dup = 0;
  int rc = db_step(st);
  if (rc == DB_ROW) dup = db_column_int64(st, 0);
  db_reset(st);
  if (rc != DB_ROW && rc != DB_DONE) goto dberr;
  if (dup) {
    buf_printf(err, "已有相同的待审批申请（编号 %lld），请等待审批结果",
               (long long)dup);
    return NTK_ECONFLICT;
  }

  st = db_stmt(db, STMT_NTK_REQUEST_INSERT);
  if (!st) goto dberr;
  db_bind_text(st, 1, in->object_type);
  db_bind_int64(st, 2, in->object_id);
  db_bind_int64(st, 3, requester->user_id);
  db_bind_int64(st, 4, for_user);
  db_bind_text(st, 5, office ? office : "");
  db_bind_text(st, 6, in->reason);
  db_bind_int64(st, 7, jx_now());
  rc = db_step(st);
  if (rc == DB_ROW) *id = db_column_int64(st, 0);
  db_reset(st);
  if (rc != DB_ROW) goto dberr;
  return NTK_OK;
dberr:
  buf_puts(err, "保存申请失败，请稍后重试");
  return NTK_EDB;
}

/* The current row of the NTK_REQUEST_* selects into r. */
static void request_read(Stmt *st, NtkRequest *r) {
  r->id = db_column_int64(st, 0);
  r->object_type = col_dup(st, 1);
  r->object_id = db_column_int64(st, 2);
  r->requester_id = db_column_int64(st, 3);
  r->requester_login = col_dup(st, 4);
  r->requester_name = col_dup(st, 5);
  r->for_user_id = db_column_int64(st, 6);
  r->for_login = col_dup(st, 7);
  r->for_name = col_dup(st, 8);
  r->for_office = col_dup(st, 9);
  r->reason = col_dup(st, 10);
  r->status = col_dup(st, 11);
  r->decided_by = db_column_int64(st, 12);
  r->decided_by_name = col_dup(st, 13);
  r->decided_at = db_column_int64(st, 14);
  r->decision_note = col_dup(st, 15);
  r->grant_id = db_column_int64(st, 16);
  r->created_at = db_column_int64(st, 17);
}

void ntk_request_clear(NtkRequest *r) {
  free(r->object_type);
  free(r->requester_login);
  free(r->requester_name);
  free(r->for_login);
  free(r->for_name);
  free(r->for_office);
  free(r->reason);
  free(r->status);
  free(r->decided_by_name);
  free(r->decision_note);
  memset(r, 0, sizeof *r);
}

void ntk_requests_free(NtkRequest *r, size_t n) {
  if (!r) return;
  for (size_t i = 0; i < n; i++) ntk_request_clear(&r[i]);
  free(r);
}

int ntk_request_get(Db *db, int64_t id, NtkRequest *out) {
  memset(out, 0, sizeof *out);
  Stmt *st = db_stmt(db, STMT_NTK_REQUEST_GET);
  if (!st) return DB_EERROR;
  db_bind_int64(st, 1, id);
  int rc = db_step(st);
  if (rc == DB_ROW) request_read(st, out);
  db_reset(st);
  return rc == DB_ROW ? DB_OK : rc;
}

/* Append the current row to a growing array. */
static void request_push(Stmt *st, NtkRequest **out, size_t *n, size_t *cap) {
  if (*n == *cap)
    *out = xrealloc(*out, (*cap = *cap ? *cap * 2 : 8) * sizeof **out);
  request_read(st, &(*out)[(*n)++]);
}

int ntk_requests_mine(Db *db, int64_t requester_id, int64_t limit,
                      int64_t offset, NtkRequest **out, size_t *n,
                      int64_t *total) {
  *out = NULL;
  *n = 0;
  *total = 0;
  Stmt *st = db_stmt(db, STMT_NTK_REQUEST_MINE_COUNT);
  if (!st) return DB_EERROR;
  db_bind_int64(st, 1, requester_id);
  int rc = db_step(st);
  if (rc == DB_ROW) *total = db_column_int64(st, 0);
  db_reset(st);
  if (rc != DB_ROW) return rc;
  st = db_stmt(db, STMT_NTK_REQUEST_MINE);
  if (!st) return DB_EERROR;
  db_bind_int64(st, 1, requester_id);
  db_bind_int64(st, 2, limit);
  db_bind_int64(st, 3, offset);
  size_t cap = 0;
  while ((rc = db_step(st)) == DB_ROW) request_push(st, out, n, &cap);
  db_reset(st);
  if (rc != DB_DONE) {
    ntk_requests_free(*out, *n);
    *out = NULL;
    *n = 0;
    return rc;
  }
  return DB_OK;
}

int ntk_requests_for_approver(Db *db, const NtkSubject *approver,
                              const char *status, int64_t limit, int64_t offset,
                              NtkRequest **out, size_t *n, int64_t *total) {
  *out = NULL;
  *n = 0;
  *total = 0;
  if (policy_scope(approver->roles, P_ACCESS_APPROVE) == SCOPE_NONE)
    return DB_OK;
  /* Collect first, judge after: a hook may run statements of its own. */
  NtkRequest *all = NULL;
  size_t nall = 0, cap = 0;
  Stmt *st = db_stmt(db, STMT_NTK_REQUEST_BY_STATUS);
  if (!st) return DB_EERROR;
  db_bind_text(st, 1, status ? status : "");
  db_bind_text(st, 2, status ? status : "");
  int rc;
  while ((rc = db_step(st)) == DB_ROW) request_push(st, &all, &nall, &cap);
  db_reset(st);
  if (rc != DB_DONE) {
    ntk_requests_free(all, nall);
    return rc;
  }
  size_t keep = 0;
  for (size_t i = 0; i < nall; i++) {
    int mine =
        ntk_may_approve(db, approver, all[i].object_type, all[i].object_id);
    int in_page = mine && *total >= offset && (int64_t)keep < limit;
    if (mine) (*total)++;
    if (in_page)
      all[keep++] = all[i];
    else
      ntk_request_clear(&all[i]);
  }
  *n = keep;
  if (keep == 0) {
    free(all);
    all = NULL;
  }
  *out = all;
  return DB_OK;
}

/* ---- decisions ---- */

int ntk_may_approve(Db *db, const NtkSubject *approver, const char *type,
                    int64_t id) {
  if (approver->user_id <= 0) return 0;
  Scope s = policy_scope(approver->roles, P_ACCESS_APPROVE);
  if (s == SCOPE_ALL) return 1;
  if (s == SCOPE_NONE) return 0;
  const NtkType *t = type_find(type);
  return t && t->may_approve && t->may_approve(db, approver, id) == 1;
}

/* Does approver stand to gain from r (filed it, or it is for them or
** their office)?  Then someone else must decide it. */
static const char *self_dealing(const NtkSubject *approver,
                                const NtkRequest *r) {
  if (r->requester_id == approver->user_id)
    return "不能审批本人提出的申请，请由其他审批人处理";
  if (r->for_user_id == approver->user_id)
    return "不能审批为本人申请的知悉范围";
  if (r->for_office[0] && approver->office_code[0] &&
      str_eq(r->for_office, approver->office_code))
    return "不能审批为本人所在部门申请的知悉范围";
  return NULL;
}

/* The body of ntk_decide, inside a transaction. */
static NtkResult decide(Db *db, const NtkSubject *approver, int64_t request_id,
                        int approve, const char *note, jx_time expires_at,
                        NtkRequest *r, Buf *err) {
  int rc = ntk_request_get(db, request_id, r);
  if (rc == DB_DONE) {
    buf_puts(err, "申请不存在");
    return NTK_ENOTFOUND;
  }
  if (rc != DB_OK) goto dberr;
  const char *why = self_dealing(approver, r);
  if (why) {
    buf_puts(err, why);
    return NTK_EFORBIDDEN;
  }
  /* Not this approver's queue: as if it did not exist. */
  if (!ntk_may_approve(db, approver, r->object_type, r->object_id)) {
    buf_puts(err, "申请不存在");
    return NTK_ENOTFOUND;
  }
  if (!str_eq(r->status, "pending")) {
    buf_puts(err, "该申请已处理，不能重复审批");
    return NTK_ECONFLICT;
  }
  if (text_check(note, !approve, approve ? "审批意见" : "驳回理由", err) != 0)
    return NTK_EINVALID;
  if (approve && expires_at != 0 && expires_at <= jx_now()) {
    buf_puts(err, "有效期须晚于当前时间");
    return NTK_EINVALID;
  }
  if (approve && ntk_object_exists(db, r->object_type, r->object_id) == 0) {
    buf_puts(err, "申请的对象不存在，不能授权；请驳回该申请");
    return NTK_ECONFLICT;
  }
  /* Claim the request first: of two approvers at once, one wins. */
  Stmt *st = db_stmt(db, STMT_NTK_REQUEST_DECIDE);
  if (!st) goto dberr;
  db_bind_text(st, 1, approve ? "approved" : "rejected");
  db_bind_int64(st, 2, approver->user_id);
  db_bind_int64(st, 3, jx_now());
  db_bind_text(st, 4, note ? note : "");
  db_bind_int64(st, 5, request_id);
  rc = db_step(st);
  db_reset(st);
  if (rc != DB_DONE) goto dberr;
  if (db_changes(db) != 1) {
    buf_puts(err, "该申请已处理，不能重复审批");
    return NTK_ECONFLICT;
  }
  if (approve) {
    int64_t gid = 0;
    if (grant_insert(db, r->object_type, r->object_id, r->for_user_id,
                     r->for_office, r->reason, r->requester_id,
                     approver->user_id, r->id, expires_at, &gid) != 0)
      goto dberr;
    st = db_stmt(db, STMT_NTK_REQUEST_SET_GRANT);
    if (!st) goto dberr;
    db_bind_int64(st, 1, gid);
    db_bind_int64(st, 2, request_id);
    rc = db_step(st);
    db_reset(st);
    if (rc != DB_DONE) goto dberr;
  }
  ntk_request_clear(r);
  if (ntk_request_get(db, request_id, r) != DB_OK) goto dberr;
  return NTK_OK;
dberr:
  buf_puts(err, "保存审批结果失败，请稍后重试");
  return NTK_EDB;
}

NtkResult ntk_decide(Db *db, const NtkSubject *approver, int64_t request_id,
                     int approve, const char *note, jx_time expires_at,
                     NtkRequest *out, Buf *err) {
  NtkRequest r;
  memset(&r, 0, sizeof r);
  int own = !db_in_transaction(db);
  if (own && db_begin(db) != DB_OK) {
    buf_puts(err, "数据库繁忙，请稍后重试");
    return NTK_EDB;
  }
  NtkResult res =
      decide(db, approver, request_id, approve, note, expires_at, &r, err);
  if (own && (res != NTK_OK ? db_rollback(db) : db_commit(db)) != DB_OK &&
      res == NTK_OK) {
    db_rollback(db);
    buf_puts(err, "保存审批结果失败，请稍后重试");
    res = NTK_EDB;
  }
  if (res == NTK_OK && out)
    *out = r;
  else
    ntk_request_clear(&r);
  return res;
}

NtkResult ntk_revoke(Db *db, const NtkSubject *approver, int64_t grant_id,
                     const char *reason, NtkGrant *out, Buf *err) {
  NtkGrant g;
  memset(&g, 0, sizeof g);
  NtkResult res = NTK_OK;
  Stmt *st = db_stmt(db, STMT_NTK_GRANT_GET);
  if (!st) goto dberr;
  db_bind_int64(st, 1, grant_id);
  int rc = db_step(st);
  if (rc == DB_ROW) grant_read(st, &g);
  db_reset(st);
  if (rc != DB_ROW && rc != DB_DONE) goto dberr;
  if (rc == DB_DONE ||
      !ntk_may_approve(db, approver, g.object_type, g.object_id)) {
    buf_puts(err, "授权记录不存在");
    res = NTK_ENOTFOUND;
    goto done;
  }
  if (g.revoked_at) {
    buf_puts(err, "该授权已撤销");
    res = NTK_ECONFLICT;
    goto done;
  }
  if (text_check(reason, 1, "撤销理由", err) != 0) {
    res = NTK_EINVALID;
    goto done;
  }
  st = db_stmt(db, STMT_NTK_GRANT_REVOKE);
  if (!st) goto dberr;
  db_bind_int64(st, 1, jx_now());
  db_bind_int64(st, 2, approver->user_id);
  db_bind_text(st, 3, reason);
  db_bind_int64(st, 4, grant_id);
  rc = db_step(st);
  db_reset(st);
  if (rc != DB_DONE) goto dberr;
  if (db_changes(db) != 1) {
    buf_puts(err, "该授权已撤销");
    res = NTK_ECONFLICT;
    goto done;
  }
  ntk_grant_clear(&g);
  st = db_stmt(db, STMT_NTK_GRANT_GET);
  if (!st) goto dberr;
  db_bind_int64(st, 1, grant_id);
  rc = db_step(st);
  if (rc == DB_ROW) grant_read(st, &g);
  db_reset(st);
  if (rc != DB_ROW) goto dberr;
  goto done;
dberr:
  buf_puts(err, "保存撤销结果失败，请稍后重试");
  res = NTK_EDB;
done:
  if (res == NTK_OK && out)
    *out = g;
  else
    ntk_grant_clear(&g);
  return res;
}
