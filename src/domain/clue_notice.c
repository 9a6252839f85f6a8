/* clue_notice.c: feedback on transferred clues (件件有回音) and the 督办
** notices that chase them, with the recipients' inbox (clue_due.h). */
#include <stdlib.h>
#include <string.h>

#include "domain/clue_due_int.h"

#define FEEDBACK_MAX 5000 /* characters in a feedback report */
#define NOTICE_MAX 1000   /* characters in a notice */

/* ---- feedback ---- */

void clue_feedback_free(ClueFeedback *f, size_t n) {
  if (!f) return;
  for (size_t i = 0; i < n; i++) {
    free(f[i].due_on);
    free(f[i].sent_on);
    free(f[i].content);
    free(f[i].by_name);
  }
  free(f);
}

ClueResult clue_feedback_add(Db *db, const ClueViewer *v, int64_t id,
                             const char *sent_on, const char *content,
                             int final, int64_t *fb_id, const char **field,
                             Buf *err) {
  CluedSeen c;
  char today[11], due[11] = "";
  int64_t seq = 0;
  *field = NULL;
  if (fb_id) *fb_id = 0;
  ClueResult r = clued_seen(db, v, id, &c);
  if (r != CLUE_OK) {
    if (r == CLUE_ENOTFOUND) buf_puts(err, "问题线索不存在或无权查看");
    return r;
  }
  date_today(today);
  if (!c.transferred_on[0]) {
    buf_puts(err, "线索尚未移交，无需反馈");
    r = CLUE_ECONFLICT;
  } else if (!date_valid(sent_on)) {
    *field = "date";
    buf_puts(err, "请填写反馈日期（YYYY-MM-DD）");
    r = CLUE_EINVALID;
  } else if (strcmp(sent_on, today) > 0) {
    *field = "date";
    buf_puts(err, "反馈日期不能晚于今天");
    r = CLUE_EINVALID;
  } else if (strcmp(sent_on, c.transferred_on) < 0) {
    *field = "date";
    buf_printf(err, "反馈日期不能早于移交日期（%s）", c.transferred_on);
    r = CLUE_EINVALID;
  } else if (clue_text_check(content, 1, FEEDBACK_MAX, "反馈内容", err)) {
    *field = "text";
    r = CLUE_EINVALID;
  }
  clued_seen_clear(&c);
  if (r != CLUE_OK) return r;

  /* The deadline this report answers: the open feedback deadline as the
  ** facts stand before it (refreshed first, so it is current). */
  if (clue_due_refresh(db, id) != DB_OK) goto dberr;
  Stmt *st = db_stmt(db, STMT_CLUED_FB_OPEN);
  if (!st) goto dberr;
  db_bind_int64(st, 1, id);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    const char *d = db_column_text(st, 0);
    if (d && date_valid(d)) memcpy(due, d, sizeof due);
  }
  db_reset(st);
  if (rc != DB_ROW && rc != DB_DONE) goto dberr;
  st = db_stmt(db, STMT_CLUED_FB_NEXT_SEQ);
  if (!st) goto dberr;
  db_bind_int64(st, 1, id);
  rc = db_step(st);
  if (rc == DB_ROW) seq = db_column_int64(st, 0);
  db_reset(st);
  if (rc != DB_ROW) goto dberr;

  st = db_stmt(db, STMT_CLUED_FB_INSERT);
  if (!st) goto dberr;
  db_bind_int64(st, 1, id);
  db_bind_int64(st, 2, seq);
  db_bind_text(st, 3, due);
  db_bind_text(st, 4, sent_on);
  db_bind_text(st, 5, content);
  db_bind_int64(st, 6, final ? 1 : 0);
  db_bind_int64(st, 7, v->who.user_id);
  db_bind_int64(st, 8, jx_now());
  rc = db_step(st);
  if (rc == DB_ROW && fb_id) *fb_id = db_column_int64(st, 0);
  db_reset(st);
  if (rc != DB_ROW) goto dberr;
  if (clue_due_refresh(db, id) != DB_OK) goto dberr;
  return CLUE_OK;
dberr:
  buf_puts(err, "保存反馈失败");
  return CLUE_EDB;
}

ClueResult clue_feedback_list(Db *db, const ClueViewer *v, int64_t id,
                              ClueFeedback **out, size_t *n) {
  CluedSeen c;
  *out = NULL;
  *n = 0;
  ClueResult r = clued_seen(db, v, id, &c);
  clued_seen_clear(&c);
  if (r != CLUE_OK) return r;
  Stmt *st = db_stmt(db, STMT_CLUED_FB_LIST);
  if (!st) return CLUE_EDB;
  db_bind_int64(st, 1, id);
  size_t cap = 0;
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    if (*n == cap) {
      cap = cap ? cap * 2 : 8;
      *out = xrealloc(*out, cap * sizeof **out);
    }
    /* The content is shown to status-only viewers too: the inspection
    ** office is who the feedback is addressed to. */
    ClueFeedback *f = &(*out)[(*n)++];
    f->id = db_column_int64(st, 0);
    f->seq = db_column_int64(st, 1);
    f->due_on = clued_col_dup(st, 2);
    f->sent_on = clued_col_dup(st, 3);
    f->content = clued_col_dup(st, 4);
    f->by_name = clued_col_dup(st, 5);
    f->final = db_column_int64(st, 6) != 0;
    f->created_at = db_column_int64(st, 7);
  }
  db_reset(st);
  if (rc != DB_DONE) {
    clue_feedback_free(*out, *n);
    *out = NULL;
    *n = 0;
    return CLUE_EDB;
  }
  return CLUE_OK;
}

/* ---- 督办 notices ---- */

void clue_notices_free(ClueNotice *n, size_t count) {
  if (!n) return;
  for (size_t i = 0; i < count; i++) {
    free(n[i].clue_code);
    free(n[i].kind);
    free(n[i].rule);
    free(n[i].to_office);
    free(n[i].to_user_name);
    free(n[i].text);
    free(n[i].due_on);
    free(n[i].from_name);
  }
  free(n);
}

/* Can the office (through an office grant) see clue id?  1, 0, or -1 on
** a database error. */
static int office_sees(Db *db, const char *office, int64_t id) {
  Stmt *st = db_stmt(db, STMT_CLUED_OFFICE_SEES);
  if (!st) return -1;
  jx_time now = jx_now();
  for (int k = 0; k < 2; k++) { /* "clue", then "clue_status" */
    db_bind_int64(st, 4 * k + 1, id);
    db_bind_int64(st, 4 * k + 2, now);
    db_bind_int64(st, 4 * k + 3, -1); /* no user grant matches */
    db_bind_text(st, 4 * k + 4, office);
  }
  int rc = db_step(st);
  db_reset(st);
  return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* Would user uid find clue id (of jurisdiction jur) in their inbox: an
** active account whose roles may read clues there, on the clue's access
** list?  1, 0, or -1 on a database error. */
static int user_sees(Db *db, int64_t uid, int64_t id, const char *jur) {
  Stmt *st = db_stmt(db, STMT_CLUED_USER_STATUS);
  if (!st) return -1;
  db_bind_int64(st, 1, uid);
  int rc = db_step(st);
  int active = rc == DB_ROW && str_eq(db_column_text(st, 0), "active");
  db_reset(st);
  if (rc != DB_ROW && rc != DB_DONE) return -1;
  if (!active) return 0;
  Buf roles = BUF_INIT;
  st = db_stmt(db, STMT_USER_ROLES);
  if (!st) return -1;
  db_bind_int64(st, 1, uid);
  while ((rc = db_step(st)) == DB_ROW)
    buf_printf(&roles, "%s%s", roles.len ? "," : "", db_column_text(st, 0));
  db_reset(st);
  if (rc != DB_DONE) {
    buf_release(&roles);
    return -1;
  }
  NtkSubject who;
  int ok = ntk_subject_load(db, uid, buf_str(&roles), &who) == 0;
  Scope scope = policy_scope(buf_str(&roles), P_CLUE_READ);
  buf_release(&roles);
  return ok && scope != SCOPE_NONE && ntk_jur_within(&who, scope, jur) &&
         (ntk_can_see(db, &who, "clue", id) ||
          ntk_can_see(db, &who, "clue_status", id));
}

ClueResult clue_notice_add(Db *db, const ClueViewer *v, int64_t id,
                           const ClueNoticeIn *in, int64_t *notice_id,
                           const char **field, Buf *err) {
  CluedSeen c;
  char today[11];
  *field = NULL;
  if (notice_id) *notice_id = 0;
  ClueResult r = clued_seen(db, v, id, &c);
  if (r != CLUE_OK) {
    if (r == CLUE_ENOTFOUND) buf_puts(err, "问题线索不存在或无权查看");
    return r;
  }
  date_today(today);
  const char *rule = in->rule ? in->rule : "";
  const char *due = in->due_on ? in->due_on : "";
  const char *office = in->to_office ? in->to_office : "";
  int64_t to_user = in->to_user_id;
  int sees = 0;
  if (!c.transferred_on[0]) {
    buf_puts(err, "线索尚未移交，不能督办");
    r = CLUE_ECONFLICT;
  } else if (c.concluded_on[0]) {
    buf_puts(err, "线索已办结，不能督办");
    r = CLUE_ECONFLICT;
  } else if (!str_eq(in->kind, "reminder") && !str_eq(in->kind, "escalation")) {
    *field = "kind";
    buf_puts(err, "督办方式应为“提醒”或“挂牌督办”");
    r = CLUE_EINVALID;
  } else if (rule[0] && !clue_due_rule(rule)) {
    *field = "rule";
    buf_puts(err, "未知的期限类别");
    r = CLUE_EINVALID;
  } else if (clue_text_check(in->text, 1, NOTICE_MAX, "督办内容", err)) {
    *field = "text";
    r = CLUE_EINVALID;
  } else if (due[0] && !date_valid(due)) {
    *field = "due_on";
    buf_puts(err, "要求办理期限应为日期（YYYY-MM-DD）");
    r = CLUE_EINVALID;
  } else if (due[0] && strcmp(due, today) < 0) {
    *field = "due_on";
    buf_puts(err, "要求办理期限不能早于今天");
    r = CLUE_EINVALID;
  } else if (to_user < 0 || (to_user > 0 && office[0])) {
    *field = "to";
    buf_puts(err, "请选择一名接收人或一个接收部门");
    r = CLUE_EINVALID;
  } else {
    if (to_user == 0 && !office[0]) office = c.handling_office;
    if (to_user == 0 && !office[0]) {
      *field = "to";
      buf_puts(err, "线索尚未分办，请指定接收人或接收部门");
      r = CLUE_EINVALID;
    } else {
      /* A notice never widens the 知悉范围: its recipient must already
      ** be on the clue's access list. */
      sees = to_user > 0 ? user_sees(db, to_user, id, c.jurisdiction_code)
                         : office_sees(db, office, id);
      if (sees < 0) {
        r = CLUE_EDB;
        buf_puts(err, "保存督办失败");
      } else if (!sees) {
        *field = "to";
        buf_puts(err, to_user > 0 ? "接收人不在该线索的知悉范围内，不能向其督办"
                                  : "接收部门不在该线索的知悉范围内，不能向其督办");
        r = CLUE_EINVALID;
      }
    }
  }
  if (r != CLUE_OK) {
    clued_seen_clear(&c);
    return r;
  }
  Stmt *st = db_stmt(db, STMT_CLUED_NOTICE_INSERT);
  int rc = DB_EERROR;
  if (st) {
    db_bind_int64(st, 1, id);
    db_bind_text(st, 2, in->kind);
    db_bind_text(st, 3, rule);
    db_bind_int64(st, 4, to_user);
    db_bind_text(st, 5, to_user > 0 ? "" : office);
    db_bind_text(st, 6, in->text);
    db_bind_text(st, 7, due);
    db_bind_int64(st, 8, v->who.user_id);
    db_bind_int64(st, 9, jx_now());
    rc = db_step(st);
    if (rc == DB_ROW && notice_id) *notice_id = db_column_int64(st, 0);
    db_reset(st);
  }
  clued_seen_clear(&c);
  if (rc != DB_ROW) {
    buf_puts(err, "保存督办失败");
    return CLUE_EDB;
  }
  return CLUE_OK;
}

/* Read the rows of a CLUED_NOTICE_COLS statement into *out / *n. */
static ClueResult notices_read(Stmt *st, ClueNotice **out, size_t *n) {
  size_t cap = 0;
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    if (*n == cap) {
      cap = cap ? cap * 2 : 8;
      *out = xrealloc(*out, cap * sizeof **out);
    }
    ClueNotice *x = &(*out)[(*n)++];
    x->id = db_column_int64(st, 0);
    x->clue_id = db_column_int64(st, 1);
    x->clue_code = clued_col_dup(st, 2);
    x->kind = clued_col_dup(st, 3);
    x->rule = clued_col_dup(st, 4);
    x->to_office = clued_col_dup(st, 5);
    x->to_user_name = clued_col_dup(st, 6);
    x->text = clued_col_dup(st, 7);
    x->due_on = clued_col_dup(st, 8);
    x->from_name = clued_col_dup(st, 9);
    x->created_at = db_column_int64(st, 10);
    x->read_at = db_column_int64(st, 11);
  }
  db_reset(st);
  if (rc != DB_DONE) {
    clue_notices_free(*out, *n);
    *out = NULL;
    *n = 0;
    return CLUE_EDB;
  }
  return CLUE_OK;
}

ClueResult clue_notices_of(Db *db, const ClueViewer *v, int64_t id,
                           ClueNotice **out, size_t *n) {
  CluedSeen c;
  *out = NULL;
  *n = 0;
  ClueResult r = clued_seen(db, v, id, &c);
  clued_seen_clear(&c);
  if (r != CLUE_OK) return r;
  Stmt *st = db_stmt(db, STMT_CLUED_NOTICES_OF);
  if (!st) return CLUE_EDB;
  db_bind_int64(st, 1, id);
  return notices_read(st, out, n);
}

/* Bind CLUED_INBOX_WHERE for v from index i; returns the next. */
static int bind_inbox(Stmt *st, int i, const ClueViewer *v) {
  /* user id 0 would match every office notice (to_user_id 0) */
  db_bind_int64(st, i++, v->who.user_id > 0 ? v->who.user_id : -1);
  if (v->who.office_code[0])
    db_bind_text(st, i++, v->who.office_code);
  else
    db_bind_null(st, i++);
  return clued_bind_seen(st, i, v);
}

ClueResult clue_inbox(Db *db, const ClueViewer *v, int unread_only,
                      int64_t limit, int64_t offset, ClueNotice **out,
                      size_t *n, int64_t *total, int64_t *unread) {
  *out = NULL;
  *n = 0;
  *total = 0;
  *unread = 0;
  if (!v || v->who.user_id <= 0) return CLUE_OK;
  if (limit > 1000) limit = 1000;
  if (offset < 0) offset = 0;
  Stmt *st = db_stmt(db, STMT_CLUED_INBOX_COUNT);
  if (!st) return CLUE_EDB;
  bind_inbox(st, 1, v);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    *total = db_column_int64(st, 0);
    *unread = db_column_int64(st, 1);
  }
  db_reset(st);
  if (rc != DB_ROW) return CLUE_EDB;
  if (unread_only) *total = *unread;
  if (limit <= 0) return CLUE_OK; /* the counts only (the menu's badge) */
  st = db_stmt(db, STMT_CLUED_INBOX);
  if (!st) return CLUE_EDB;
  int i = bind_inbox(st, 1, v);
  db_bind_int64(st, i++, unread_only ? 1 : 0);
  db_bind_int64(st, i++, limit);
  db_bind_int64(st, i++, offset);
  return notices_read(st, out, n);
}

ClueResult clue_notice_read(Db *db, const ClueViewer *v, int64_t nid) {
  if (!v || v->who.user_id <= 0 || nid <= 0) return CLUE_ENOTFOUND;
  Stmt *st = db_stmt(db, STMT_CLUED_NOTICE_MINE);
  if (!st) return CLUE_EDB;
  int i = bind_inbox(st, 1, v);
  db_bind_int64(st, i, nid);
  int rc = db_step(st);
  jx_time read_at = rc == DB_ROW ? db_column_int64(st, 0) : 0;
  db_reset(st);
  if (rc == DB_DONE) return CLUE_ENOTFOUND;
  if (rc != DB_ROW) return CLUE_EDB;
  if (read_at) return CLUE_OK; /* the first reading is the one kept */
  st = db_stmt(db, STMT_CLUED_NOTICE_READ);
  if (!st) return CLUE_EDB;
  db_bind_int64(st, 1, jx_now());
  db_bind_int64(st, 2, v->who.user_id);
  db_bind_int64(st, 3, nid);
  rc = db_step(st);
  db_reset(st);
  return rc == DB_DONE ? CLUE_OK : CLUE_EDB;
}
