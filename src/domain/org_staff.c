/* org_staff.c: the staff pool for inspection teams (巡察力量库) — the
** people, their past posts, expertise, declared ties to units and
** availability windows (see org.h).  The 回避 and ranking rules that read
** these records belong to the rounds module. */
#include "domain/org.h"

#include <stdlib.h>

#define EXPERTISE_MAX 20 /* tags per person */

void org_staff_clear(OrgStaff *s) {
  if (!s) return;
  free(s->code);
  free(s->name);
  free(s->office_code);
  free(s->office_name);
  free(s->jurisdiction_code);
  free(s->jurisdiction_name);
  free(s->rank);
  free(s->post);
  free(s->note);
  free(s->expertise);
  memset(s, 0, sizeof *s);
}

void org_staff_free(OrgStaff *s, size_t n) {
  for (size_t i = 0; s && i < n; i++) org_staff_clear(&s[i]);
  free(s);
}

static void staff_row(Stmt *st, OrgStaff *s) {
  s->id = db_column_int64(st, 0);
  s->code = org_col(st, 1);
  s->name = org_col(st, 2);
  s->office_id = db_column_int64(st, 3);
  s->office_code = org_col(st, 4);
  s->office_name = org_col(st, 5);
  s->jurisdiction_code = org_col(st, 6);
  s->jurisdiction_name = org_col(st, 7);
  s->rank = org_col(st, 8);
  s->post = org_col(st, 9);
  s->note = org_col(st, 10);
  s->active = db_column_int64(st, 11) != 0;
  s->created_at = db_column_int64(st, 12);
  s->updated_at = db_column_int64(st, 13);
}

static int staff_expertise(Db *db, OrgStaff *s) {
  Buf tags = BUF_INIT;
  Stmt *st = db_stmt(db, STMT_ORG_STAFF_EXPERTISE);
  if (!st) return DB_EERROR;
  db_bind_int64(st, 1, s->id);
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    if (tags.len) buf_puts(&tags, "、");
    buf_puts(&tags, org_s(db_column_text(st, 0)));
  }
  db_reset(st);
  free(s->expertise);
  s->expertise = buf_detach(&tags);
  if (!s->expertise) s->expertise = xstrdup("");
  return rc == DB_DONE ? DB_OK : rc;
}

static int staff_filter(Stmt *st, int i, const OrgViewer *v, const void *arg) {
  const OrgStaffFilter *f = arg;
  i = ntk_bind_jur(st, i, &v->who, v->scope);
  db_bind_text(st, i++, org_s(f->q));
  org_bind_like(st, i++, f->q);
  db_bind_text(st, i++, org_s(f->q));
  db_bind_text(st, i++, org_s(f->jurisdiction));
  db_bind_text(st, i++, org_s(f->jurisdiction));
  db_bind_text(st, i++, org_s(f->expertise));
  db_bind_text(st, i++, org_s(f->expertise));
  db_bind_text(st, i++, org_s(f->past_post));
  db_bind_text(st, i++, org_s(f->past_post));
  return i;
}

static void staff_elem(Stmt *st, void *elem) { staff_row(st, elem); }

int org_staff_list(Db *db, const OrgViewer *v, const OrgStaffFilter *f,
                   int64_t limit, int64_t offset, OrgStaff **out, size_t *n,
                   int64_t *total) {
  static const OrgStaffFilter none = {0};
  int rc = org_page(db, STMT_ORG_STAFF_COUNT, STMT_ORG_STAFF_LIST,
                    staff_filter, v, f ? f : &none, limit, offset,
                    sizeof **out, staff_elem, (void **)out, n, total);
  for (size_t k = 0; rc == DB_OK && k < *n; k++)
    rc = staff_expertise(db, &(*out)[k]);
  return rc;
}

int org_staff_get(Db *db, const OrgViewer *v, int64_t id, OrgStaff *out) {
  memset(out, 0, sizeof *out);
  Stmt *st = db_stmt(db, STMT_ORG_STAFF_GET);
  if (!st) return DB_EERROR;
  db_bind_int64(st, 1, id);
  ntk_bind_jur(st, 2, &v->who, v->scope);
  int rc = db_step(st);
  if (rc == DB_ROW) staff_row(st, out);
  db_reset(st);
  if (rc != DB_ROW) return rc;
  return staff_expertise(db, out);
}

int org_staff_check(const OrgStaffIn *in, Buf *err, const char **field) {
  *field = NULL;
  if (!org_code_valid(in->code)) {
    buf_puts(err, "人员编号须为 1–32 位字母、数字或 _ . -");
    *field = "code";
  } else if (org_text_check(in->name, 1, ORG_SHORT_MAX, "姓名", err)) {
    *field = "name";
  } else if (!ntk_jur_code_valid(in->jurisdiction_code)) {
    buf_puts(err, "所属辖区编码不正确");
    *field = "jurisdiction_code";
  } else if (org_text_check(in->rank, 0, ORG_SHORT_MAX, "职级", err)) {
    *field = "rank";
  } else if (org_text_check(in->post, 0, ORG_NAME_MAX, "现任职务", err)) {
    *field = "post";
  } else if (org_text_check(in->note, 0, ORG_TEXT_MAX, "备注", err)) {
    *field = "note";
  } else if (in->expertise) {
    char **tags = NULL;
    size_t n = 0;
    org_split(in->expertise, &tags, &n);
    if (n > EXPERTISE_MAX) {
      buf_printf(err, "专长最多 %d 项", EXPERTISE_MAX);
      *field = "expertise";
    }
    for (size_t i = 0; !*field && i < n; i++)
      if (org_text_check(tags[i], 1, 20, "专长", err)) *field = "expertise";
    org_strv_free(tags, n);
  }
  return *field ? -1 : 0;
}

static OrgResult set_expertise(Db *db, int64_t id, const char *text) {
  char **tags = NULL;
  size_t n = 0;
  OrgResult r = ORG_EDB;
  Stmt *st = db_stmt(db, STMT_ORG_STAFF_EXPERTISE_CLEAR);
  if (!st) return ORG_EDB;
  db_bind_int64(st, 1, id);
  int rc = db_step(st);
  db_reset(st);
  if (rc != DB_DONE) return ORG_EDB;
  org_split(text, &tags, &n);
  for (size_t i = 0; i < n; i++) {
    st = db_stmt(db, STMT_ORG_STAFF_EXPERTISE_ADD);
    if (!st) goto done;
    db_bind_int64(st, 1, id);
    db_bind_text(st, 2, tags[i]);
    rc = db_step(st);
    db_reset(st);
    if (rc != DB_DONE) goto done;
  }
  r = ORG_OK;
done:
  org_strv_free(tags, n);
  return r;
}

OrgResult org_staff_save(Db *db, const OrgViewer *v, int64_t id,
                         const OrgStaffIn *in, int64_t *out_id, Buf *err,
                         const char **field) {
  OrgJur jur = {0};
  if (id) {
    OrgStaff cur;
    int rc = org_staff_get(db, v, id, &cur);
    org_staff_clear(&cur);
    if (rc != DB_OK) {
      buf_puts(err, "人员不存在");
      return ORG_ENOTFOUND;
    }
  }
  if (org_staff_check(in, err, field) != 0) return ORG_EINVALID;
  int jrc = org_jur_get(db, v, in->jurisdiction_code, &jur);
  org_jur_clear(&jur);
  if (jrc != DB_OK) {
    buf_printf(err, "所属辖区 %s 不存在", in->jurisdiction_code);
    *field = "jurisdiction_code";
    return ORG_EINVALID;
  }
  int64_t office = 0;
  if (in->office_code && *in->office_code) {
    office = org_office_find(db, v, in->office_code, NULL, 0, NULL);
    if (!office) {
      buf_printf(err, "部门 %s 不存在", in->office_code);
      *field = "office_code";
      return ORG_EINVALID;
    }
  }
  Stmt *st = db_stmt(db, STMT_ORG_STAFF_BY_CODE);
  if (!st) return ORG_EDB;
  db_bind_text(st, 1, in->code);
  int64_t other = db_step(st) == DB_ROW ? db_column_int64(st, 0) : 0;
  db_reset(st);
  if (other && other != id) {
    buf_printf(err, "人员编号 %s 已存在", in->code);
    *field = "code";
    return ORG_ECONFLICT;
  }
  st = db_stmt(db, id ? STMT_ORG_STAFF_UPDATE : STMT_ORG_STAFF_INSERT);
  if (!st) return ORG_EDB;
  jx_time now = jx_now();
  int i = 1;
  db_bind_text(st, i++, in->code);
  db_bind_text(st, i++, in->name);
  if (office) db_bind_int64(st, i++, office);
  else db_bind_null(st, i++);
  db_bind_text(st, i++, in->jurisdiction_code);
  db_bind_text(st, i++, org_s(in->rank));
  db_bind_text(st, i++, org_s(in->post));
  db_bind_text(st, i++, org_s(in->note));
  db_bind_int64(st, i++, in->active ? 1 : 0);
  if (!id) db_bind_int64(st, i++, now);
  db_bind_int64(st, i++, now);
  if (id) db_bind_int64(st, i++, id);
  int rc = db_step(st);
  int64_t new_id = id;
  if (!id && rc == DB_ROW) {
    new_id = db_column_int64(st, 0);
    rc = DB_DONE;
  }
  db_reset(st);
  if (rc != DB_DONE) {
    buf_puts(err, rc == DB_ECONSTRAINT ? "人员编号与已有记录冲突"
                                       : "保存失败，请稍后重试");
    return rc == DB_ECONSTRAINT ? ORG_ECONFLICT : ORG_EDB;
  }
  if (in->expertise && set_expertise(db, new_id, in->expertise) != ORG_OK) {
    buf_puts(err, "保存专长失败");
    return ORG_EDB;
  }
  if (out_id) *out_id = new_id;
  return ORG_OK;
}

/* ---- posts, ties, availability ---- */

void org_posts_free(OrgStaffPost *p, size_t n) {
  for (size_t i = 0; p && i < n; i++) {
    free(p[i].title);
    free(p[i].org_name);
    free(p[i].unit_code);
    free(p[i].unit_name);
    free(p[i].from_date);
    free(p[i].to_date);
  }
  free(p);
}

void org_ties_free(OrgStaffTie *t, size_t n) {
  for (size_t i = 0; t && i < n; i++) {
    free(t[i].unit_code);
    free(t[i].unit_name);
    free(t[i].kind);
    free(t[i].note);
    free(t[i].from_date);
    free(t[i].to_date);
  }
  free(t);
}

void org_avail_free(OrgAvail *a, size_t n) {
  for (size_t i = 0; a && i < n; i++) {
    free(a[i].from_date);
    free(a[i].to_date);
    free(a[i].note);
  }
  free(a);
}

int org_staff_posts(Db *db, int64_t staff_id, OrgStaffPost **out, size_t *n) {
  *out = NULL;
  *n = 0;
  Stmt *st = db_stmt(db, STMT_ORG_STAFF_POSTS);
  if (!st) return DB_EERROR;
  db_bind_int64(st, 1, staff_id);
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    *out = xrealloc(*out, (*n + 1) * sizeof **out);
    OrgStaffPost *p = &(*out)[(*n)++];
    p->id = db_column_int64(st, 0);
    p->title = org_col(st, 1);
    p->org_name = org_col(st, 2);
    p->unit_id = db_column_int64(st, 3);
    p->unit_code = org_col(st, 4);
    p->unit_name = org_col(st, 5);
    p->from_date = org_col(st, 6);
    p->to_date = org_col(st, 7);
  }
  db_reset(st);
  return rc == DB_DONE ? DB_OK : rc;
}

int org_staff_ties(Db *db, int64_t staff_id, OrgStaffTie **out, size_t *n) {
  *out = NULL;
  *n = 0;
  Stmt *st = db_stmt(db, STMT_ORG_STAFF_TIES);
  if (!st) return DB_EERROR;
  db_bind_int64(st, 1, staff_id);
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    *out = xrealloc(*out, (*n + 1) * sizeof **out);
    OrgStaffTie *t = &(*out)[(*n)++];
    t->id = db_column_int64(st, 0);
    t->unit_id = db_column_int64(st, 1);
    t->unit_code = org_col(st, 2);
    t->unit_name = org_col(st, 3);
    t->kind = org_col(st, 4);
    t->note = org_col(st, 5);
    t->from_date = org_col(st, 6);
    t->to_date = org_col(st, 7);
  }
  db_reset(st);
  return rc == DB_DONE ? DB_OK : rc;
}

int org_staff_avail(Db *db, int64_t staff_id, OrgAvail **out, size_t *n) {
  *out = NULL;
  *n = 0;
  Stmt *st = db_stmt(db, STMT_ORG_STAFF_AVAIL);
  if (!st) return DB_EERROR;
  db_bind_int64(st, 1, staff_id);
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    *out = xrealloc(*out, (*n + 1) * sizeof **out);
    OrgAvail *a = &(*out)[(*n)++];
    a->id = db_column_int64(st, 0);
    a->from_date = org_col(st, 1);
    a->to_date = org_col(st, 2);
    a->note = org_col(st, 3);
  }
  db_reset(st);
  return rc == DB_DONE ? DB_OK : rc;
}

/* A from/to pair: each "" or a date, to not before from.  required makes
** both mandatory. */
static int check_period(const char *from, const char *to, int required,
                        Buf *err, const char **field) {
  from = org_s(from);
  to = org_s(to);
  if ((required || *from) && !org_date_valid(from)) {
    buf_puts(err, "起始日期应为 YYYY-MM-DD 格式的有效日期");
    *field = "from_date";
  } else if ((required || *to) && !org_date_valid(to)) {
    buf_puts(err, "截止日期应为 YYYY-MM-DD 格式的有效日期");
    *field = "to_date";
  } else if (*from && *to && strcmp(from, to) > 0) {
    buf_puts(err, "截止日期不能早于起始日期");
    *field = "to_date";
  }
  return *field ? -1 : 0;
}

/* Run an INSERT … RETURNING id that the caller bound. */
static OrgResult insert_done(Stmt *st, Buf *err) {
  int rc = db_step(st);
  db_reset(st);
  if (rc == DB_ROW) return ORG_OK;
  buf_puts(err, "保存失败，请稍后重试");
  return ORG_EDB;
}

OrgResult org_staff_post_add(Db *db, const OrgViewer *v, int64_t staff_id,
                             const OrgStaffPostIn *in, Buf *err,
                             const char **field) {
  *field = NULL;
  if (org_text_check(in->title, 1, ORG_SHORT_MAX, "职务", err)) {
    *field = "title";
    return ORG_EINVALID;
  }
  if (org_text_check(in->org_name, 0, ORG_NAME_MAX, "任职单位", err)) {
    *field = "org_name";
    return ORG_EINVALID;
  }
  if (check_period(in->from_date, in->to_date, 0, err, field))
    return ORG_EINVALID;
  int64_t unit = 0;
  if (in->unit_code && *in->unit_code &&
      !(unit = org_unit_find(db, v, in->unit_code))) {
    buf_printf(err, "单位 %s 不存在", in->unit_code);
    *field = "unit_code";
    return ORG_EINVALID;
  }
  Stmt *st = db_stmt(db, STMT_ORG_STAFF_POST_ADD);
  if (!st) return ORG_EDB;
  db_bind_int64(st, 1, staff_id);
  db_bind_text(st, 2, in->title);
  db_bind_text(st, 3, org_s(in->org_name));
  if (unit) db_bind_int64(st, 4, unit);
  else db_bind_null(st, 4);
  db_bind_text(st, 5, org_s(in->from_date));
  db_bind_text(st, 6, org_s(in->to_date));
  return insert_done(st, err);
}

OrgResult org_staff_tie_add(Db *db, const OrgViewer *v, int64_t staff_id,
                            const OrgStaffTieIn *in, Buf *err,
                            const char **field) {
  *field = NULL;
  int64_t unit = org_unit_find(db, v, in->unit_code);
  if (!unit) {
    buf_printf(err, "单位 %s 不存在", org_s(in->unit_code));
    *field = "unit_code";
    return ORG_EINVALID;
  }
  if (!org_label(org_tie_kinds, n_org_tie_kinds, in->kind)) {
    buf_puts(err, "关联类型应为亲属任职、曾任职或其他");
    *field = "kind";
    return ORG_EINVALID;
  }
  if (org_text_check(in->note, 0, ORG_TEXT_MAX, "说明", err)) {
    *field = "note";
    return ORG_EINVALID;
  }
  if (check_period(in->from_date, in->to_date, 0, err, field))
    return ORG_EINVALID;
  Stmt *st = db_stmt(db, STMT_ORG_STAFF_TIE_ADD);
  if (!st) return ORG_EDB;
  db_bind_int64(st, 1, staff_id);
  db_bind_int64(st, 2, unit);
  db_bind_text(st, 3, in->kind);
  db_bind_text(st, 4, org_s(in->note));
  db_bind_text(st, 5, org_s(in->from_date));
  db_bind_text(st, 6, org_s(in->to_date));
  return insert_done(st, err);
}

OrgResult org_staff_avail_add(Db *db, int64_t staff_id, const char *from,
                              const char *to, const char *note, Buf *err,
                              const char **field) {
  *field = NULL;
  if (check_period(from, to, 1, err, field)) return ORG_EINVALID;
  if (org_text_check(note, 0, ORG_TEXT_MAX, "说明", err)) {
    *field = "note";
    return ORG_EINVALID;
  }
  Stmt *st = db_stmt(db, STMT_ORG_STAFF_AVAIL_ADD);
  if (!st) return ORG_EDB;
  db_bind_int64(st, 1, staff_id);
  db_bind_text(st, 2, from);
  db_bind_text(st, 3, to);
  db_bind_text(st, 4, org_s(note));
  return insert_done(st, err);
}

static OrgResult delete_sub(Db *db, StmtId id_stmt, int64_t staff_id,
                            int64_t id) {
  Stmt *st = db_stmt(db, id_stmt);
  if (!st) return ORG_EDB;
  db_bind_int64(st, 1, id);
  db_bind_int64(st, 2, staff_id);
  int rc = db_step(st);
  db_reset(st);
  if (rc != DB_DONE) return ORG_EDB;
  return db_changes(db) > 0 ? ORG_OK : ORG_ENOTFOUND;
}

OrgResult org_staff_post_delete(Db *db, int64_t staff_id, int64_t id) {
  return delete_sub(db, STMT_ORG_STAFF_POST_DELETE, staff_id, id);
}

OrgResult org_staff_tie_delete(Db *db, int64_t staff_id, int64_t id) {
  return delete_sub(db, STMT_ORG_STAFF_TIE_DELETE, staff_id, id);
}

OrgResult org_staff_avail_delete(Db *db, int64_t staff_id, int64_t id) {
  return delete_sub(db, STMT_ORG_STAFF_AVAIL_DELETE, staff_id, id);
}
