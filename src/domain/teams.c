/* teams.c: teams and staffing requests in the database (the second half
** of staffing.h): loading a staff member's facts, adding units and
** members under the 回避 rules, ranking candidates for a request and
** selecting them.  The 领导小组's exceptions are in staffing.c. */
#include "domain/staffing.h"

#include <stdlib.h>
#include <string.h>

#include "domain/rounds.h"
#include "domain/settings.h"

/* ---- loading facts ---- */

const char *strpool_dup(StrPool *p, const char *s) {
  if (p->n == p->cap) {
    p->cap = p->cap ? p->cap * 2 : 16;
    p->s = xrealloc(p->s, p->cap * sizeof *p->s);
  }
  return p->s[p->n++] = xstrdup(s ? s : "");
}

void staff_facts_clear(StaffFacts *s) {
  for (size_t i = 0; i < s->pool.n; i++) free(s->pool.s[i]);
  free(s->pool.s);
  free(s->posts);
  free(s->ties);
  free((void *)s->expertise);
  free(s->windows);
  free(s->busy);
  memset(s, 0, sizeof *s);
}

/* Grow *v (elements of size sz) by one zeroed element; returns it. */
static void *grow(void *v, size_t *n, size_t sz, void **out) {
  char *p = xrealloc(v, (*n + 1) * sz);
  memset(p + *n * sz, 0, sz);
  *out = p + *n * sz;
  (*n)++;
  return p;
}

int staff_facts_load(Db *db, int64_t staff_id, StaffFacts *out) {
  StrPool *P = &out->pool;
  void *e;
  int rc;
  memset(out, 0, sizeof *out);
  Stmt *st = db_stmt(db, STMT_RND_FACT_STAFF);
  if (!st) return DB_EERROR;
  db_bind_int64(st, 1, staff_id);
  rc = db_step(st);
  if (rc == DB_ROW) {
    out->id = db_column_int64(st, 0);
    out->code = strpool_dup(P, db_column_text(st, 1));
    out->name = strpool_dup(P, db_column_text(st, 2));
    out->post = strpool_dup(P, db_column_text(st, 3));
    out->rank = strpool_dup(P, db_column_text(st, 4));
    out->office_id = db_column_int64(st, 5);
    out->office_name = strpool_dup(P, db_column_text(st, 6));
    out->jurisdiction_code = strpool_dup(P, db_column_text(st, 7));
  }
  db_reset(st);
  if (rc != DB_ROW) return rc == DB_DONE ? DB_DONE : DB_EERROR;

  st = db_stmt(db, STMT_RND_FACT_POSTS);
  if (!st) goto fail;
  db_bind_int64(st, 1, staff_id);
  while ((rc = db_step(st)) == DB_ROW) {
    out->posts = grow(out->posts, &out->n_posts, sizeof *out->posts, &e);
    StaffPostFact *f = e;
    f->title = strpool_dup(P, db_column_text(st, 0));
    f->org_name = strpool_dup(P, db_column_text(st, 1));
    f->unit_id = db_column_int64(st, 2);
    f->unit_name = strpool_dup(P, db_column_text(st, 3));
    f->from_date = strpool_dup(P, db_column_text(st, 4));
    f->to_date = strpool_dup(P, db_column_text(st, 5));
  }
  db_reset(st);
  if (rc != DB_DONE) goto fail;

  st = db_stmt(db, STMT_RND_FACT_TIES);
  if (!st) goto fail;
  db_bind_int64(st, 1, staff_id);
  while ((rc = db_step(st)) == DB_ROW) {
    out->ties = grow(out->ties, &out->n_ties, sizeof *out->ties, &e);
    StaffTieFact *f = e;
    f->kind = strpool_dup(P, db_column_text(st, 0));
    f->unit_id = db_column_int64(st, 1);
    f->unit_name = strpool_dup(P, db_column_text(st, 2));
    f->note = strpool_dup(P, db_column_text(st, 3));
    f->from_date = strpool_dup(P, db_column_text(st, 4));
    f->to_date = strpool_dup(P, db_column_text(st, 5));
  }
  db_reset(st);
  if (rc != DB_DONE) goto fail;

  st = db_stmt(db, STMT_RND_FACT_EXPERTISE);
  if (!st) goto fail;
  db_bind_int64(st, 1, staff_id);
  while ((rc = db_step(st)) == DB_ROW) {
    out->expertise = grow((void *)out->expertise, &out->n_expertise,
                          sizeof *out->expertise, &e);
    *(const char **)e = strpool_dup(P, db_column_text(st, 0));
  }
  db_reset(st);
  if (rc != DB_DONE) goto fail;

  st = db_stmt(db, STMT_RND_FACT_WINDOWS);
  if (!st) goto fail;
  db_bind_int64(st, 1, staff_id);
  while ((rc = db_step(st)) == DB_ROW) {
    out->windows = grow(out->windows, &out->n_windows, sizeof *out->windows,
                        &e);
    StaffWindow *w = e;
    w->from_date = strpool_dup(P, db_column_text(st, 0));
    w->to_date = strpool_dup(P, db_column_text(st, 1));
  }
  db_reset(st);
  if (rc != DB_DONE) goto fail;

  st = db_stmt(db, STMT_RND_FACT_BUSY);
  if (!st) goto fail;
  db_bind_int64(st, 1, staff_id);
  while ((rc = db_step(st)) == DB_ROW) {
    out->busy = grow(out->busy, &out->n_busy, sizeof *out->busy, &e);
    StaffBusy *b = e;
    b->team_id = db_column_int64(st, 0);
    b->round_title = strpool_dup(P, db_column_text(st, 1));
    b->team_name = strpool_dup(P, db_column_text(st, 2));
    b->from_date = strpool_dup(P, db_column_text(st, 3));
    b->to_date = strpool_dup(P, db_column_text(st, 4));
  }
  db_reset(st);
  if (rc != DB_DONE) goto fail;
  return DB_OK;
fail:
  staff_facts_clear(out);
  return DB_EERROR;
}

/* The units of team_id into ctx (names pooled in *pool). */
static int load_units(Db *db, int64_t team_id, AvoidCtx *ctx, StrPool *pool) {
  AvoidUnit *v = NULL;
  size_t n = 0;
  void *e;
  int rc;
  Stmt *st = db_stmt(db, STMT_RND_TEAM_UNITS);
  if (!st) return DB_EERROR;
  db_bind_int64(st, 1, team_id);
  while ((rc = db_step(st)) == DB_ROW) {
    v = grow(v, &n, sizeof *v, &e);
    AvoidUnit *u = e;
    u->id = db_column_int64(st, 0);
    u->name = strpool_dup(pool, db_column_text(st, 1));
    u->supervising_office_id = db_column_int64(st, 2);
    u->supervising_office_name = strpool_dup(pool, db_column_text(st, 3));
  }
  db_reset(st);
  if (rc != DB_DONE) {
    free(v);
    return DB_EERROR;
  }
  ctx->units = v;
  ctx->n_units = n;
  return DB_OK;
}

/* The pool behind an AvoidCtx's strings lives here between load and
** clear: ctx itself is a plain view (tests build it from literals). */
typedef struct CtxStore {
  AvoidCtx ctx;
  StrPool pool;
  char ref[11];
} CtxStore;

static int ctx_open(Db *db, const Team *t, CtxStore *cs) {
  memset(cs, 0, sizeof *cs);
  if (t->start_date && *t->start_date)
    str_copy(cs->ref, t->start_date, sizeof cs->ref);
  else
    round_today(cs->ref);
  cs->ctx.ref_date = cs->ref;
  cs->ctx.years = (int)setting_int(db, "org.avoid_years");
  return load_units(db, t->id, &cs->ctx, &cs->pool);
}

static void ctx_close(CtxStore *cs) {
  for (size_t i = 0; i < cs->pool.n; i++) free(cs->pool.s[i]);
  free(cs->pool.s);
  free((void *)cs->ctx.units);
  memset(cs, 0, sizeof *cs);
}

void avoid_hits_text(Buf *out, const AvoidHit *h, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (i) buf_puts(out, "；");
    buf_printf(out, "%s（%s）", h[i].fact, h[i].rule->label);
  }
}

int team_avoid_hits(Db *db, const Team *t, int64_t staff_id, AvoidHit **hits,
                    size_t *n) {
  StaffFacts f;
  CtxStore cs;
  *hits = NULL;
  *n = 0;
  int rc = staff_facts_load(db, staff_id, &f);
  if (rc != DB_OK) return rc;
  rc = ctx_open(db, t, &cs);
  if (rc == DB_OK) *n = avoid_check(&f, &cs.ctx, hits);
  ctx_close(&cs);
  staff_facts_clear(&f);
  return rc;
}

/* ---- teams ---- */

const TeamPosition team_positions[] = {
    {"leader", "组长"}, {"deputy", "副组长"}, {"member", "成员"}};
const size_t n_team_positions = JX_COUNT(team_positions);

const char *team_position_label(const char *code) {
  for (size_t i = 0; i < n_team_positions; i++)
    if (str_eq(team_positions[i].code, code)) return team_positions[i].label;
  return NULL;
}

static char *col_dup(Stmt *st, int col) {
  const char *s = db_column_text(st, col);
  return xstrdup(s ? s : "");
}

void team_read_row(Stmt *st, Team *out) {
  out->id = db_column_int64(st, 0);
  out->round_id = db_column_int64(st, 1);
  out->name = col_dup(st, 2);
  out->leader_note = col_dup(st, 3);
  out->round_title = col_dup(st, 4);
  out->jurisdiction_code = col_dup(st, 5);
  out->start_date = col_dup(st, 6);
  out->end_date = col_dup(st, 7);
  out->created_at = db_column_int64(st, 8);
  out->n_members = db_column_int64(st, 9);
}

void team_clear(Team *t) {
  free(t->name);
  free(t->leader_note);
  free(t->round_title);
  free(t->jurisdiction_code);
  free(t->start_date);
  free(t->end_date);
  memset(t, 0, sizeof *t);
}

RoundResult team_create(Db *db, const Round *r, const char *name,
                        const char *note, int64_t *id, const char **field,
                        Buf *err) {
  *id = 0;
  *field = "name";
  if (!name || !*name) {
    buf_puts(err, "请填写巡察组名称");
    return ROUND_EINVALID;
  }
  if (utf8_chars(name) > 30) {
    buf_puts(err, "巡察组名称不能超过 30 个字");
    return ROUND_EINVALID;
  }
  if (note && utf8_chars(note) > 500) {
    *field = "leader_note";
    buf_puts(err, "备注不能超过 500 个字");
    return ROUND_EINVALID;
  }
  Stmt *st = db_stmt(db, STMT_RND_TEAM_NAME_TAKEN);
  if (!st) return ROUND_EDB;
  db_bind_int64(st, 1, r->id);
  db_bind_text(st, 2, name);
  int rc = db_step(st);
  db_reset(st);
  if (rc == DB_ROW) {
    buf_printf(err, "本轮巡察已有“%s”", name);
    return ROUND_ECONFLICT;
  }
  if (rc != DB_DONE) return ROUND_EDB;
  *field = NULL;
  st = db_stmt(db, STMT_RND_TEAM_INSERT);
  if (!st) return ROUND_EDB;
  db_bind_int64(st, 1, r->id);
  db_bind_text(st, 2, name);
  db_bind_text(st, 3, note ? note : "");
  db_bind_int64(st, 4, jx_now());
  rc = db_step(st);
  if (rc == DB_ROW) *id = db_column_int64(st, 0);
  db_reset(st);
  if (rc != DB_ROW) {
    buf_puts(err, "保存巡察组失败");
    return ROUND_EDB;
  }
  return ROUND_OK;
}

RoundResult team_add_unit(Db *db, const Team *t, int64_t unit_id, Buf *err) {
  Stmt *st = db_stmt(db, STMT_RND_UNIT_PHASE);
  if (!st) return ROUND_EDB;
  db_bind_int64(st, 1, t->round_id);
  db_bind_int64(st, 2, unit_id);
  int rc = db_step(st);
  char *name = rc == DB_ROW ? col_dup(st, 1) : NULL;
  db_reset(st);
  if (!name) {
    buf_puts(err, "该单位不在本轮巡察中，请先把它加入巡察轮次");
    return rc == DB_DONE ? ROUND_EINVALID : ROUND_EDB;
  }
  RoundResult res = ROUND_ECONFLICT;
  int64_t *ids = NULL;
  size_t n = 0;
  char office[256] = "";
  st = db_stmt(db, STMT_RND_TEAM_UNIT_TAKEN);
  if (!st) goto db_fail;
  db_bind_int64(st, 1, t->round_id);
  db_bind_int64(st, 2, unit_id);
  rc = db_step(st);
  if (rc == DB_ROW)
    buf_printf(err, "%s已由%s负责", name, db_column_text(st, 0));
  db_reset(st);
  if (rc == DB_ROW) goto done;
  if (rc != DB_DONE) goto db_fail;
  /* No member may have to avoid the new unit: check each of them against
   * it before anything is written. */
  AvoidUnit u = {unit_id, name, 0, office};
  st = db_stmt(db, STMT_RND_UNIT_AVOID_INFO);
  if (!st) goto db_fail;
  db_bind_int64(st, 1, unit_id);
  if ((rc = db_step(st)) == DB_ROW) {
    u.supervising_office_id = db_column_int64(st, 2);
    str_copy(office, db_column_text(st, 3), sizeof office);
  }
  db_reset(st);
  if (rc != DB_ROW) goto db_fail;
  st = db_stmt(db, STMT_RND_TEAM_MEMBERS);
  if (!st) goto db_fail;
  db_bind_int64(st, 1, t->id);
  while ((rc = db_step(st)) == DB_ROW) {
    ids = xrealloc(ids, (n + 1) * sizeof *ids);
    ids[n++] = db_column_int64(st, 0);
  }
  db_reset(st);
  if (rc != DB_DONE) goto db_fail;
  char ref[11];
  if (*t->start_date)
    str_copy(ref, t->start_date, sizeof ref);
  else
    round_today(ref);
  AvoidCtx ctx = {&u, 1, ref, (int)setting_int(db, "org.avoid_years")};
  for (size_t i = 0; i < n; i++) {
    StaffFacts f;
    AvoidHit *h = NULL;
    if (staff_facts_load(db, ids[i], &f) != DB_OK) goto db_fail;
    size_t nh = avoid_check(&f, &ctx, &h);
    if (nh)
      buf_printf(err, "组员%s须回避%s，不能让本组负责该单位：%s（%s）", f.name,
                 name, h[0].fact, h[0].rule->label);
    avoid_hits_free(h, nh);
    staff_facts_clear(&f);
    if (nh) {
      res = ROUND_EAVOID;
      goto done;
    }
  }
  st = db_stmt(db, STMT_RND_TEAM_UNIT_INSERT);
  if (!st) goto db_fail;
  db_bind_int64(st, 1, t->id);
  db_bind_int64(st, 2, unit_id);
  rc = db_step(st);
  db_reset(st);
  if (rc != DB_DONE) goto db_fail;
  res = ROUND_OK;
  goto done;
db_fail:
  buf_puts(err, "保存失败");
  res = ROUND_EDB;
done:
  free(ids);
  free(name);
  return res;
}

RoundResult team_add_member(Db *db, const Team *t, int64_t staff_id,
                            const char *position, int64_t override_id,
                            AvoidHit **hits, size_t *n_hits, Buf *err) {
  const char *plabel = team_position_label(position);
  if (hits) *hits = NULL;
  if (n_hits) *n_hits = 0;
  if (!plabel) {
    buf_puts(err, "职务应为组长、副组长或成员");
    return ROUND_EINVALID;
  }
  Stmt *st = db_stmt(db, STMT_RND_STAFF_BRIEF);
  if (!st) return ROUND_EDB;
  db_bind_int64(st, 1, staff_id);
  int rc = db_step(st);
  char *name = rc == DB_ROW ? col_dup(st, 0) : NULL;
  int within = rc == DB_ROW &&
               round_code_within(t->jurisdiction_code, db_column_text(st, 1));
  int active = rc == DB_ROW && db_column_int64(st, 2) == 1;
  db_reset(st);
  if (!name) {
    buf_puts(err, "人员不存在");
    return rc == DB_DONE ? ROUND_EINVALID : ROUND_EDB;
  }
  RoundResult res = ROUND_EINVALID;
  if (!within) {
    buf_printf(err, "%s不属于本轮巡察辖区的巡察力量库", name);
    goto done;
  }
  if (!active) {
    buf_printf(err, "%s已退出巡察力量库", name);
    goto done;
  }
  res = ROUND_ECONFLICT;
  st = db_stmt(db, STMT_RND_TEAM_MEMBER_GET);
  if (!st) goto db_fail;
  db_bind_int64(st, 1, t->id);
  db_bind_int64(st, 2, staff_id);
  rc = db_step(st);
  db_reset(st);
  if (rc == DB_ROW) {
    buf_printf(err, "%s已是%s成员", name, t->name);
    goto done;
  }
  if (rc != DB_DONE) goto db_fail;
  if (str_eq(position, "leader")) {
    st = db_stmt(db, STMT_RND_TEAM_LEADERS);
    if (!st) goto db_fail;
    db_bind_int64(st, 1, t->id);
    rc = db_step(st);
    int64_t leaders = rc == DB_ROW ? db_column_int64(st, 0) : -1;
    db_reset(st);
    if (leaders < 0) goto db_fail;
    if (leaders > 0) {
      buf_printf(err, "%s已有组长，不能再选派%s任组长", t->name, name);
      goto done;
    }
  }
  if (!override_id) {
    AvoidHit *h = NULL;
    size_t nh = 0;
    if (team_avoid_hits(db, t, staff_id, &h, &nh) != DB_OK) goto db_fail;
    if (nh) {
      buf_printf(err, "%s须回避，不能加入%s：", name, t->name);
      avoid_hits_text(err, h, nh);
      if (hits && n_hits) {
        *hits = h;
        *n_hits = nh;
      } else {
        avoid_hits_free(h, nh);
      }
      res = ROUND_EAVOID;
      goto done;
    }
  }
  st = db_stmt(db, STMT_RND_TEAM_MEMBER_INSERT);
  if (!st) goto db_fail;
  db_bind_int64(st, 1, t->id);
  db_bind_int64(st, 2, staff_id);
  db_bind_text(st, 3, position);
  db_bind_int64(st, 4, jx_now());
  if (override_id)
    db_bind_int64(st, 5, override_id);
  else
    db_bind_null(st, 5);
  rc = db_step(st);
  db_reset(st);
  if (rc != DB_DONE) goto db_fail;
  res = ROUND_OK;
  goto done;
db_fail:
  buf_puts(err, "保存失败");
  res = ROUND_EDB;
done:
  free(name);
  return res;
}

RoundResult team_remove_member(Db *db, const Team *t, int64_t staff_id,
                               Buf *err) {
  Stmt *st = db_stmt(db, STMT_RND_TEAM_MEMBER_DELETE);
  if (!st) return ROUND_EDB;
  db_bind_int64(st, 1, t->id);
  db_bind_int64(st, 2, staff_id);
  int rc = db_step(st);
  db_reset(st);
  if (rc != DB_DONE) {
    buf_puts(err, "保存失败");
    return ROUND_EDB;
  }
  if (db_changes(db) != 1) {
    buf_puts(err, "该人员不是本组成员");
    return ROUND_ENOTFOUND;
  }
  return ROUND_OK;
}

/* ---- staffing requests ---- */

void sreq_read_row(Stmt *st, StaffingRequest *q) {
  q->id = db_column_int64(st, 0);
  q->team_id = db_column_int64(st, 1);
  q->team_name = col_dup(st, 2);
  q->round_id = db_column_int64(st, 3);
  q->round_title = col_dup(st, 4);
  q->text = col_dup(st, 5);
  q->required_posts = col_dup(st, 6);
  q->required_expertise = col_dup(st, 7);
  q->count = db_column_int64(st, 8);
  q->position = col_dup(st, 9);
  q->from_date = col_dup(st, 10);
  q->to_date = col_dup(st, 11);
  q->status = col_dup(st, 12);
  q->created_by = db_column_int64(st, 13);
  q->created_by_name = col_dup(st, 14);
  q->created_at = db_column_int64(st, 15);
  q->n_answers = db_column_int64(st, 16);
  q->round_start = col_dup(st, 17);
  q->round_end = col_dup(st, 18);
  q->jurisdiction_code = col_dup(st, 19);
}

void sreq_clear(StaffingRequest *q) {
  free(q->team_name);
  free(q->round_title);
  free(q->text);
  free(q->required_posts);
  free(q->required_expertise);
  free(q->position);
  free(q->from_date);
  free(q->to_date);
  free(q->status);
  free(q->created_by_name);
  free(q->round_start);
  free(q->round_end);
  free(q->jurisdiction_code);
  memset(q, 0, sizeof *q);
}

const char *sreq_from(const StaffingRequest *q) {
  return *q->from_date ? q->from_date : q->round_start;
}

const char *sreq_to(const StaffingRequest *q) {
  return *q->to_date ? q->to_date : q->round_end;
}

/* Normalise a typed list to '、'-separated items into out; the number of
** items, or -1 when an item is too long. */
static int norm_list(const char *list, Buf *out) {
  char **v;
  size_t n = staffing_split(list, &v);
  int bad = 0;
  for (size_t i = 0; i < n; i++) {
    if (utf8_chars(v[i]) > 40) bad = 1;
    if (i) buf_puts(out, "、");
    buf_puts(out, v[i]);
  }
  strv_free(v, n);
  return bad ? -1 : (int)n;
}

RoundResult sreq_create(Db *db, int64_t user_id, const Team *t,
                        const StaffingRequestIn *in, int64_t *id,
                        const char **field, Buf *err) {
  Buf posts = BUF_INIT, tags = BUF_INIT;
  int64_t count;
  RoundResult res = ROUND_EINVALID;
  *id = 0;
  *field = NULL;
  if (!in->text || !*in->text || utf8_chars(in->text) > 500) {
    *field = "text";
    buf_puts(err, "请填写需求说明（不超过 500 个字）");
    goto done;
  }
  if (norm_list(in->required_posts, &posts) < 0 ||
      utf8_chars(buf_str(&posts)) > 200) {
    *field = "required_posts";
    buf_puts(err, "所需工作经历每项不超过 40 个字");
    goto done;
  }
  if (norm_list(in->required_expertise, &tags) < 0 ||
      utf8_chars(buf_str(&tags)) > 200) {
    *field = "required_expertise";
    buf_puts(err, "所需专长每项不超过 40 个字");
    goto done;
  }
  if (!in->count || str_to_int64(in->count, 1, 20, &count) != 0) {
    *field = "count";
    buf_puts(err, "需求人数应为 1 到 20 之间的整数");
    goto done;
  }
  const char *pos = in->position && *in->position ? in->position : "member";
  if (!team_position_label(pos)) {
    *field = "position";
    buf_puts(err, "职务应为组长、副组长或成员");
    goto done;
  }
  const char *from = in->from_date ? in->from_date : "";
  const char *to = in->to_date ? in->to_date : "";
  if ((*from && !round_date_valid(from)) || (*to && !round_date_valid(to))) {
    *field = *from && !round_date_valid(from) ? "from_date" : "to_date";
    buf_puts(err, "日期格式应为 YYYY-MM-DD");
    goto done;
  }
  if (*from && *to && strcmp(to, from) < 0) {
    *field = "to_date";
    buf_puts(err, "结束日期不能早于开始日期");
    goto done;
  }
  Stmt *st = db_stmt(db, STMT_RND_SREQ_INSERT);
  res = ROUND_EDB;
  if (!st) goto done;
  db_bind_int64(st, 1, t->id);
  db_bind_text(st, 2, in->text);
  db_bind_text(st, 3, buf_str(&posts));
  db_bind_text(st, 4, buf_str(&tags));
  db_bind_int64(st, 5, count);
  db_bind_text(st, 6, pos);
  db_bind_text(st, 7, from);
  db_bind_text(st, 8, to);
  db_bind_int64(st, 9, user_id);
  db_bind_int64(st, 10, jx_now());
  if (db_step(st) == DB_ROW) {
    *id = db_column_int64(st, 0);
    res = ROUND_OK;
  } else {
    buf_puts(err, "保存力量需求失败");
  }
  db_reset(st);
done:
  buf_release(&posts);
  buf_release(&tags);
  return res;
}

void candidates_free(StaffFacts *facts, Candidate *cands, size_t n) {
  for (size_t i = 0; i < n; i++) {
    candidate_clear(&cands[i]);
    staff_facts_clear(&facts[i]);
  }
  free(cands);
  free(facts);
}

/* The team of request q, as the rules need it (only the fields they
** read; strings borrowed from q). */
static void team_of(const StaffingRequest *q, Team *t) {
  memset(t, 0, sizeof *t);
  t->id = q->team_id;
  t->round_id = q->round_id;
  t->name = q->team_name;
  t->round_title = q->round_title;
  t->jurisdiction_code = q->jurisdiction_code;
  t->start_date = q->round_start;
  t->end_date = q->round_end;
}

int sreq_candidates(Db *db, const StaffingRequest *q, StaffFacts **facts,
                    Candidate **cands, size_t *n) {
  int64_t *ids = NULL;
  size_t len = 0;
  int rc;
  *facts = NULL;
  *cands = NULL;
  *n = 0;
  Stmt *st = db_stmt(db, STMT_RND_CANDIDATE_POOL);
  if (!st) return DB_EERROR;
  int i = round_bind_subtree(st, 1, q->jurisdiction_code);
  db_bind_int64(st, i, q->team_id);
  while ((rc = db_step(st)) == DB_ROW) {
    ids = xrealloc(ids, (len + 1) * sizeof *ids);
    ids[len++] = db_column_int64(st, 0);
  }
  db_reset(st);
  if (rc != DB_DONE) {
    free(ids);
    return DB_EERROR;
  }
  Team t;
  CtxStore cs;
  team_of(q, &t);
  rc = ctx_open(db, &t, &cs);
  char **posts = NULL, **tags = NULL;
  size_t np = staffing_split(q->required_posts, &posts);
  size_t nt = staffing_split(q->required_expertise, &tags);
  StaffNeed need = {(const char **)posts, np, (const char **)tags, nt,
                    sreq_from(q), sreq_to(q), q->team_id};
  StaffFacts *f = xcalloc(len ? len : 1, sizeof *f);
  Candidate *c = xcalloc(len ? len : 1, sizeof *c);
  size_t k = 0;
  for (size_t j = 0; j < len && rc == DB_OK; j++) {
    rc = staff_facts_load(db, ids[j], &f[k]);
    if (rc == DB_DONE) { /* gone since the pool was read */
      rc = DB_OK;
      continue;
    }
    if (rc != DB_OK) break;
    k++;
  }
  /* Score only once every fact is loaded: c[i].staff points into f. */
  for (size_t j = 0; j < k && rc == DB_OK; j++)
    staffing_score(&f[j], &need, &cs.ctx, &c[j]);
  if (rc == DB_OK) staffing_rank(c, k);
  ctx_close(&cs);
  strv_free(posts, np);
  strv_free(tags, nt);
  free(ids);
  if (rc != DB_OK) {
    candidates_free(f, c, k);
    return DB_EERROR;
  }
  *facts = f;
  *cands = c;
  *n = k;
  return DB_OK;
}

RoundResult sreq_record_answer(Db *db, int64_t user_id, int64_t request_id,
                                 int64_t count, int64_t staff_id, Buf *err) {
  Stmt *st = db_stmt(db, STMT_RND_SANS_INSERT);
  if (!st) return ROUND_EDB;
  db_bind_int64(st, 1, request_id);
  db_bind_int64(st, 2, staff_id);
  db_bind_int64(st, 3, user_id);
  db_bind_int64(st, 4, jx_now());
  int rc = db_step(st);
  db_reset(st);
  if (rc != DB_DONE) goto fail;
  st = db_stmt(db, STMT_RND_SANS_COUNT);
  if (!st) goto fail;
  db_bind_int64(st, 1, request_id);
  rc = db_step(st);
  int64_t have = rc == DB_ROW ? db_column_int64(st, 0) : -1;
  db_reset(st);
  if (have < 0) goto fail;
  if (have >= count) {
    st = db_stmt(db, STMT_RND_SREQ_SET_STATUS);
    if (!st) goto fail;
    db_bind_text(st, 1, "answered");
    db_bind_int64(st, 2, request_id);
    rc = db_step(st);
    db_reset(st);
    if (rc != DB_DONE) goto fail;
  }
  return ROUND_OK;
fail:
  buf_puts(err, "保存答复失败");
  return ROUND_EDB;
}

RoundResult sreq_answer(Db *db, int64_t user_id, const StaffingRequest *q,
                        int64_t staff_id, AvoidHit **hits, size_t *n_hits,
                        Buf *err) {
  Team t;
  if (hits) *hits = NULL;
  if (n_hits) *n_hits = 0;
  if (!str_eq(q->status, "open")) {
    buf_puts(err, "该力量需求已答复完毕");
    return ROUND_ECONFLICT;
  }
  team_of(q, &t);
  RoundResult r = team_add_member(db, &t, staff_id, q->position, 0, hits,
                                  n_hits, err);
  if (r != ROUND_OK) return r;
  return sreq_record_answer(db, user_id, q->id, q->count, staff_id, err);
}

