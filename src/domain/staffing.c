/* staffing.c: 回避 rules and candidate ranking (see staffing.h). */
#include "domain/staffing.h"

#include <stdlib.h>
#include <string.h>

#include "domain/rounds.h"
#include "domain/settings.h"

/* ---- small helpers ---- */

void staffing_month(const char *date, char out[8]) {
  snprintf(out, 8, "%.7s", date ? date : "");
}

/* a <= b for ISO dates; "" on either side is an open end (true). */
static int date_le(const char *a, const char *b) {
  if (!a || !*a || !b || !*b) return 1;
  return strcmp(a, b) <= 0;
}

/* Do the periods [a1, a2] and [b1, b2] ("" = open) share a day? */
static int periods_overlap(const char *a1, const char *a2, const char *b1,
                           const char *b2) {
  return date_le(a1, b2) && date_le(b1, a2);
}

/* "2022-03 至 2024-08", "2022-03 起", "至 2024-08" or "" into out. */
static void period_text(Buf *out, const char *from, const char *to) {
  char m1[8], m2[8];
  staffing_month(from, m1);
  staffing_month(to, m2);
  if (*m1 && *m2)
    buf_printf(out, "%s 至 %s", m1, m2);
  else if (*m1)
    buf_printf(out, "%s 起", m1);
  else if (*m2)
    buf_printf(out, "至 %s", m2);
}

static void days_text(Buf *out, const char *from, const char *to) {
  if (from && *from && to && *to)
    buf_printf(out, "%s 至 %s", from, to);
  else if (from && *from)
    buf_printf(out, "%s 起", from);
  else if (to && *to)
    buf_printf(out, "至 %s", to);
  else
    buf_puts(out, "时间未定");
}

/* ---- 回避 ---- */

const AvoidRuleDef avoid_rules[] = {
    {AVOID_WORKED, "worked_in_unit", "任职回避",
     "本人 %d 年内曾在被巡察单位任职的，应当回避"},
    {AVOID_RELATIVE, "relative_in_unit", "亲属回避",
     "本人亲属在被巡察单位任职的，应当回避"},
    {AVOID_SUPERVISED, "supervised_by_own_office", "派驻监督回避",
     "被巡察单位由本人所在派驻纪检监察组监督的，应当回避"},
};
const size_t n_avoid_rules = JX_COUNT(avoid_rules);

const AvoidRuleDef *avoid_rule_by_code(const char *code) {
  for (size_t i = 0; i < n_avoid_rules; i++)
    if (str_eq(avoid_rules[i].code, code)) return &avoid_rules[i];
  return NULL;
}

typedef struct HitList {
  AvoidHit *v;
  size_t n, cap;
} HitList;

static void hit_add(HitList *l, AvoidRule rule, int64_t unit_id, Buf *fact) {
  if (l->n == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 4;
    l->v = xrealloc(l->v, l->cap * sizeof *l->v);
  }
  const AvoidRuleDef *def = NULL;
  for (size_t i = 0; i < n_avoid_rules; i++)
    if (avoid_rules[i].rule == rule) def = &avoid_rules[i];
  l->v[l->n++] = (AvoidHit){def, unit_id, buf_detach(fact)};
}

/* Rule 1, from one employment fact: held in unit u, ending on to ("" =
** still there), within the window since cutoff. */
static void worked_fact(HitList *l, const AvoidCtx *ctx, const AvoidUnit *u,
                        const char *from, const char *to,
                        const char *cutoff) {
  Buf f = BUF_INIT;
  if (to && *to && strcmp(to, cutoff) < 0) return;
  if (!to || !*to) {
    if (from && *from) {
      char m[8];
      staffing_month(from, m);
      buf_printf(&f, "回避：%s 起在%s任职至今", m, u->name);
    } else {
      buf_printf(&f, "回避：现在%s任职", u->name);
    }
  } else {
    buf_puts(&f, "回避：");
    if (from && *from) {
      period_text(&f, from, to);
      buf_printf(&f, " 曾在%s任职（%d 年内）", u->name, ctx->years);
    } else {
      char m[8];
      staffing_month(to, m);
      buf_printf(&f, "曾在%s任职至 %s（%d 年内）", u->name, m, ctx->years);
    }
  }
  hit_add(l, AVOID_WORKED, u->id, &f);
}

size_t avoid_check(const StaffFacts *s, const AvoidCtx *ctx, AvoidHit **out) {
  HitList l = {0};
  char cutoff[11];
  round_years_before(ctx->ref_date, ctx->years, cutoff);
  for (size_t r = 0; r < n_avoid_rules; r++) {
    for (size_t k = 0; k < ctx->n_units; k++) {
      const AvoidUnit *u = &ctx->units[k];
      Buf f = BUF_INIT;
      switch (avoid_rules[r].rule) {
        case AVOID_WORKED:
          for (size_t i = 0; i < s->n_posts; i++)
            if (s->posts[i].unit_id == u->id)
              worked_fact(&l, ctx, u, s->posts[i].from_date,
                          s->posts[i].to_date, cutoff);
          for (size_t i = 0; i < s->n_ties; i++)
            if (s->ties[i].unit_id == u->id &&
                str_eq(s->ties[i].kind, "former"))
              worked_fact(&l, ctx, u, s->ties[i].from_date,
                          s->ties[i].to_date, cutoff);
          break;
        case AVOID_RELATIVE:
          for (size_t i = 0; i < s->n_ties; i++) {
            const StaffTieFact *t = &s->ties[i];
            if (t->unit_id != u->id || !str_eq(t->kind, "relative")) continue;
            /* A relative who left before the round began is no tie. */
            if (t->to_date && *t->to_date && *ctx->ref_date &&
                strcmp(t->to_date, ctx->ref_date) < 0)
              continue;
            buf_printf(&f, "回避：亲属在%s任职（%s）", u->name,
                       t->note && *t->note ? t->note : "已申报");
            hit_add(&l, AVOID_RELATIVE, u->id, &f);
          }
          break;
        case AVOID_SUPERVISED:
          if (s->office_id && u->supervising_office_id == s->office_id) {
            buf_printf(&f, "回避：%s由本人所在的%s监督", u->name,
                       u->supervising_office_name &&
                               *u->supervising_office_name
                           ? u->supervising_office_name
                           : s->office_name);
            hit_add(&l, AVOID_SUPERVISED, u->id, &f);
          }
          break;
      }
      buf_release(&f);
    }
  }
  *out = l.v;
  return l.n;
}

void avoid_hits_free(AvoidHit *h, size_t n) {
  for (size_t i = 0; i < n; i++) free(h[i].fact);
  free(h);
}

/* ---- ranking ---- */

const StaffWeight staffing_weights[] = {
    {"post", "工作经历", 40, "每具备一项所需工作经历加 40 分"},
    {"expertise", "专长", 20, "每具备一项所需专长加 20 分"},
    {"availability", "可用时间", 30,
     "登记的可用时间完整覆盖巡察期加 30 分，部分覆盖加 15 分"},
    {"schedule", "同期任务", 10,
     "同期未在其他巡察组任职加 10 分；时间重叠减 50 分"},
    {"avoid", "回避", 0, "触发回避规则的人员排在最后，须经领导小组批准方可选派"},
};
const size_t n_staffing_weights = JX_COUNT(staffing_weights);

#define PTS_POST 40
#define PTS_EXPERTISE 20
#define PTS_AVAIL_FULL 30
#define PTS_AVAIL_PART 15
#define PTS_FREE 10
#define PTS_BUSY (-50)

/* Trailing words a request adds to a post ("…工作经历"). */
static const char *const post_suffixes[] = {"工作经历", "任职经历", "经历"};

int staffing_post_matches(const char *held, const char *required) {
  char req[256];
  if (!held || !required || !*held || !*required) return 0;
  str_copy(req, required, sizeof req);
  for (size_t i = 0; i < JX_COUNT(post_suffixes); i++) {
    size_t n = strlen(req), k = strlen(post_suffixes[i]);
    if (n > k && strcmp(req + n - k, post_suffixes[i]) == 0) {
      req[n - k] = 0;
      break;
    }
  }
  return strstr(held, req) != NULL || strstr(req, held) != NULL;
}

static int tag_matches(const char *held, const char *wanted) {
  return held && wanted && *held && *wanted &&
         (strstr(held, wanted) != NULL || strstr(wanted, held) != NULL);
}

static void line_add(Candidate *c, const char *component, int points, int ok,
                     Buf *text) {
  c->lines = xrealloc(c->lines, (c->n_lines + 1) * sizeof *c->lines);
  c->lines[c->n_lines++] = (ScoreLine){component, points, ok, buf_detach(text)};
  c->score += points;
}

static void score_posts(const StaffFacts *s, const StaffNeed *need,
                        Candidate *c) {
  for (size_t k = 0; k < need->n_posts; k++) {
    Buf t = BUF_INIT;
    const StaffPostFact *hit = NULL;
    for (size_t i = 0; i < s->n_posts && !hit; i++)
      if (staffing_post_matches(s->posts[i].title, need->posts[k]))
        hit = &s->posts[i];
    if (!hit) {
      buf_printf(&t, "无“%s”", need->posts[k]);
      line_add(c, "post", 0, 0, &t);
      continue;
    }
    buf_printf(&t, "具有“%s”（%s", need->posts[k], hit->title);
    const char *where = *hit->unit_name ? hit->unit_name : hit->org_name;
    if (where && *where) buf_printf(&t, "，%s", where);
    if ((hit->from_date && *hit->from_date) || (hit->to_date && *hit->to_date)) {
      buf_puts(&t, "，");
      if (hit->to_date && *hit->to_date)
        period_text(&t, hit->from_date, hit->to_date);
      else
        period_text(&t, hit->from_date, NULL), buf_puts(&t, "至今");
    }
    buf_puts(&t, "）");
    line_add(c, "post", PTS_POST, 1, &t);
  }
}

static void score_expertise(const StaffFacts *s, const StaffNeed *need,
                            Candidate *c) {
  if (!need->n_expertise) return;
  Buf have = BUF_INIT, miss = BUF_INIT, t = BUF_INIT;
  int n = 0;
  for (size_t k = 0; k < need->n_expertise; k++) {
    int found = 0;
    for (size_t i = 0; i < s->n_expertise && !found; i++)
      found = tag_matches(s->expertise[i], need->expertise[k]);
    Buf *into = found ? &have : &miss;
    if (into->len) buf_puts(into, "、");
    buf_puts(into, need->expertise[k]);
    n += found;
  }
  if (n) buf_printf(&t, "专长符合：%s", buf_str(&have));
  if (n && miss.len) buf_puts(&t, "；");
  if (miss.len) buf_printf(&t, "缺少专长：%s", buf_str(&miss));
  line_add(c, "expertise", n * PTS_EXPERTISE, n > 0, &t);
  buf_release(&have);
  buf_release(&miss);
}

static void score_availability(const StaffFacts *s, const StaffNeed *need,
                               Candidate *c) {
  Buf t = BUF_INIT;
  const char *from = need->from_date, *to = need->to_date;
  if (!from || !*from) {
    buf_puts(&t, "巡察期未定，未评估可用时间");
    line_add(c, "availability", 0, 0, &t);
    return;
  }
  if (!to || !*to) to = from; /* open end: judge the start date */
  if (!s->n_windows) {
    buf_puts(&t, "未登记可用时间");
    line_add(c, "availability", 0, 0, &t);
    return;
  }
  const StaffWindow *full = NULL, *part = NULL;
  for (size_t i = 0; i < s->n_windows; i++) {
    const StaffWindow *w = &s->windows[i];
    if (strcmp(w->from_date, from) <= 0 && strcmp(w->to_date, to) >= 0)
      full = full ? full : w;
    else if (periods_overlap(w->from_date, w->to_date, from, to))
      part = part ? part : w;
  }
  if (full) {
    buf_printf(&t, "可用时间 %s 至 %s 覆盖巡察期", full->from_date,
               full->to_date);
    line_add(c, "availability", PTS_AVAIL_FULL, 1, &t);
  } else if (part) {
    buf_printf(&t, "可用时间 %s 至 %s 仅部分覆盖巡察期", part->from_date,
               part->to_date);
    line_add(c, "availability", PTS_AVAIL_PART, 1, &t);
  } else {
    buf_puts(&t, "登记的可用时间与巡察期（");
    days_text(&t, need->from_date, need->to_date);
    buf_puts(&t, "）不重叠");
    line_add(c, "availability", 0, 0, &t);
  }
}

static void score_schedule(const StaffFacts *s, const StaffNeed *need,
                           Candidate *c) {
  Buf t = BUF_INIT;
  for (size_t i = 0; i < s->n_busy; i++) {
    const StaffBusy *b = &s->busy[i];
    if (b->team_id == need->team_id) continue;
    if (!need->from_date || !*need->from_date) continue;
    if (!periods_overlap(b->from_date, b->to_date, need->from_date,
                         need->to_date))
      continue;
    buf_printf(&t, "已在%s%s任职（", b->round_title, b->team_name);
    days_text(&t, b->from_date, b->to_date);
    buf_puts(&t, "），与巡察期重叠");
    line_add(c, "schedule", PTS_BUSY, 0, &t);
    return;
  }
  if (!need->from_date || !*need->from_date) {
    buf_puts(&t, "巡察期未定，未核对同期任务");
    line_add(c, "schedule", 0, 0, &t);
    return;
  }
  buf_puts(&t, "同期未在其他巡察组任职");
  line_add(c, "schedule", PTS_FREE, 1, &t);
}

void staffing_score(const StaffFacts *s, const StaffNeed *need,
                    const AvoidCtx *ctx, Candidate *out) {
  memset(out, 0, sizeof *out);
  out->staff = s;
  score_posts(s, need, out);
  score_expertise(s, need, out);
  score_availability(s, need, out);
  score_schedule(s, need, out);
  out->n_hits = ctx ? avoid_check(s, ctx, &out->hits) : 0;
  out->avoid = out->n_hits > 0;
  for (size_t i = 0; i < out->n_hits; i++) {
    Buf t = BUF_INIT;
    buf_printf(&t, "%s（%s）", out->hits[i].fact, out->hits[i].rule->label);
    line_add(out, "avoid", 0, 0, &t);
  }
}

static int cmp_candidate(const void *pa, const void *pb) {
  const Candidate *a = pa, *b = pb;
  if (a->avoid != b->avoid) return a->avoid - b->avoid;
  if (a->score != b->score) return a->score > b->score ? -1 : 1;
  return a->staff->id < b->staff->id ? -1 : a->staff->id > b->staff->id;
}

void staffing_rank(Candidate *c, size_t n) {
  if (n > 1) qsort(c, n, sizeof *c, cmp_candidate);
}

void candidate_clear(Candidate *c) {
  for (size_t i = 0; i < c->n_lines; i++) free(c->lines[i].text);
  free(c->lines);
  avoid_hits_free(c->hits, c->n_hits);
  memset(c, 0, sizeof *c);
}

/* ---- lists ---- */

/* Separators of a list a user types: 、 ， ； and their ASCII forms. */
static size_t sep_len(const char *p) {
  static const char *const seps[] = {"、", "，", "；", ",", ";", "\n", "\r"};
  for (size_t i = 0; i < JX_COUNT(seps); i++)
    if (str_starts(p, seps[i])) return strlen(seps[i]);
  return 0;
}

size_t staffing_split(const char *list, char ***out) {
  char **v = NULL;
  size_t n = 0;
  const char *p = list ? list : "";
  while (*p) {
    const char *start = p;
    while (*p && !sep_len(p)) p++;
    const char *end = p;
    /* Trim ASCII and ideographic spaces. */
    for (;;) {
      if (start < end && (*start == ' ' || *start == '\t')) start++;
      else if (end - start >= 3 && str_starts(start, "\u3000")) start += 3;
      else break;
    }
    for (;;) {
      if (end > start && (end[-1] == ' ' || end[-1] == '\t')) end--;
      else if (end - start >= 3 && memcmp(end - 3, "\u3000", 3) == 0) end -= 3;
      else break;
    }
    if (end > start) {
      v = xrealloc(v, (n + 1) * sizeof *v);
      v[n++] = xstrndup(start, (size_t)(end - start));
    }
    if (*p) p += sep_len(p);
  }
  *out = v;
  return n;
}

void strv_free(char **v, size_t n) {
  for (size_t i = 0; i < n; i++) free(v[i]);
  free(v);
}


static char *col_dup(Stmt *st, int col) {
  const char *s = db_column_text(st, col);
  return xstrdup(s ? s : "");
}

/* ---- 回避 exceptions ---- */

void override_read_row(Stmt *st, AvoidOverride *o) {
  o->id = db_column_int64(st, 0);
  o->team_id = db_column_int64(st, 1);
  o->team_name = col_dup(st, 2);
  o->round_id = db_column_int64(st, 3);
  o->round_title = col_dup(st, 4);
  o->staff_id = db_column_int64(st, 5);
  o->staff_name = col_dup(st, 6);
  o->rule = col_dup(st, 7);
  o->fact = col_dup(st, 8);
  o->reason = col_dup(st, 9);
  o->position = col_dup(st, 10);
  o->request_id = db_column_int64(st, 11);
  o->requested_by = db_column_int64(st, 12);
  o->requested_by_name = col_dup(st, 13);
  o->requested_at = db_column_int64(st, 14);
  o->status = col_dup(st, 15);
  o->approved_by = db_column_int64(st, 16);
  o->approved_by_name = col_dup(st, 17);
  o->approved_at = db_column_int64(st, 18);
  o->decision_note = col_dup(st, 19);
  o->jurisdiction_code = col_dup(st, 20);
}

void override_clear(AvoidOverride *o) {
  free(o->team_name);
  free(o->round_title);
  free(o->staff_name);
  free(o->rule);
  free(o->fact);
  free(o->reason);
  free(o->position);
  free(o->requested_by_name);
  free(o->status);
  free(o->approved_by_name);
  free(o->decision_note);
  free(o->jurisdiction_code);
  memset(o, 0, sizeof *o);
}

void override_rule_labels(Buf *out, const char *rules) {
  const char *p = rules ? rules : "";
  int first = 1;
  while (*p) {
    size_t len = strcspn(p, ",");
    char code[64];
    snprintf(code, sizeof code, "%.*s", (int)(len < 63 ? len : 63), p);
    const AvoidRuleDef *d = avoid_rule_by_code(code);
    if (!first) buf_puts(out, "、");
    buf_puts(out, d ? d->label : code);
    first = 0;
    p += len;
    if (*p) p++;
  }
}

RoundResult override_request(Db *db, int64_t user_id, const Team *t,
                             int64_t staff_id, const char *position,
                             int64_t request_id, const char *reason,
                             int64_t *id, Buf *err) {
  AvoidHit *h = NULL;
  size_t nh = 0;
  Buf rules = BUF_INIT, facts = BUF_INIT;
  RoundResult res = ROUND_EINVALID;
  *id = 0;
  if (!team_position_label(position)) {
    buf_puts(err, "职务应为组长、副组长或成员");
    goto done;
  }
  if (!reason || !*reason || utf8_chars(reason) > 500) {
    buf_puts(err, "请填写申请理由（不超过 500 个字）");
    goto done;
  }
  Stmt *st = db_stmt(db, STMT_RND_STAFF_BRIEF);
  if (!st) goto db_fail;
  db_bind_int64(st, 1, staff_id);
  int rc = db_step(st);
  int within = rc == DB_ROW &&
               round_code_within(t->jurisdiction_code, db_column_text(st, 1));
  db_reset(st);
  if (rc != DB_ROW) {
    buf_puts(err, "人员不存在");
    res = rc == DB_DONE ? ROUND_EINVALID : ROUND_EDB;
    goto done;
  }
  if (!within) {
    buf_puts(err, "该人员不属于本轮巡察辖区的巡察力量库");
    goto done;
  }
  st = db_stmt(db, STMT_RND_TEAM_MEMBER_GET);
  if (!st) goto db_fail;
  db_bind_int64(st, 1, t->id);
  db_bind_int64(st, 2, staff_id);
  rc = db_step(st);
  db_reset(st);
  if (rc == DB_ROW) {
    buf_puts(err, "该人员已是本组成员");
    res = ROUND_ECONFLICT;
    goto done;
  }
  st = db_stmt(db, STMT_RND_OVR_PENDING);
  if (!st) goto db_fail;
  db_bind_int64(st, 1, t->id);
  db_bind_int64(st, 2, staff_id);
  rc = db_step(st);
  db_reset(st);
  if (rc == DB_ROW) {
    buf_puts(err, "已有待领导小组审批的回避例外申请");
    res = ROUND_ECONFLICT;
    goto done;
  }
  if (team_avoid_hits(db, t, staff_id, &h, &nh) != DB_OK) goto db_fail;
  if (!nh) {
    buf_puts(err, "该人员不触发回避规则，可直接选派，无需申请例外");
    res = ROUND_ECONFLICT;
    goto done;
  }
  for (size_t i = 0; i < nh; i++) {
    if (!strstr(buf_str(&rules), h[i].rule->code)) {
      if (rules.len) buf_puts(&rules, ",");
      buf_puts(&rules, h[i].rule->code);
    }
  }
  avoid_hits_text(&facts, h, nh);
  st = db_stmt(db, STMT_RND_OVR_INSERT);
  if (!st) goto db_fail;
  db_bind_int64(st, 1, t->id);
  db_bind_int64(st, 2, staff_id);
  db_bind_text(st, 3, buf_str(&rules));
  db_bind_text(st, 4, buf_str(&facts));
  db_bind_text(st, 5, reason);
  db_bind_int64(st, 6, user_id);
  db_bind_int64(st, 7, jx_now());
  db_bind_text(st, 8, position);
  if (request_id)
    db_bind_int64(st, 9, request_id);
  else
    db_bind_null(st, 9);
  rc = db_step(st);
  if (rc == DB_ROW) *id = db_column_int64(st, 0);
  db_reset(st);
  if (rc != DB_ROW) goto db_fail;
  res = ROUND_OK;
  goto done;
db_fail:
  buf_puts(err, "保存失败");
  res = ROUND_EDB;
done:
  avoid_hits_free(h, nh);
  buf_release(&rules);
  buf_release(&facts);
  return res;
}

RoundResult override_decide(Db *db, int64_t approver_id,
                            const AvoidOverride *o, int approve,
                            const char *note, Buf *err) {
  if (!str_eq(o->status, "pending")) {
    buf_puts(err, "该申请已处理");
    return ROUND_ECONFLICT;
  }
  if (o->requested_by == approver_id) {
    buf_puts(err, "不能审批本人提出的回避例外申请");
    return ROUND_EFORBIDDEN;
  }
  if (!approve && (!note || !*note)) {
    buf_puts(err, "驳回须填写理由");
    return ROUND_EINVALID;
  }
  if (note && utf8_chars(note) > 500) {
    buf_puts(err, "审批意见不能超过 500 个字");
    return ROUND_EINVALID;
  }
  Stmt *st = db_stmt(db, STMT_RND_OVR_DECIDE);
  if (!st) return ROUND_EDB;
  db_bind_text(st, 1, approve ? "approved" : "rejected");
  db_bind_int64(st, 2, approver_id);
  db_bind_int64(st, 3, jx_now());
  db_bind_text(st, 4, note ? note : "");
  db_bind_int64(st, 5, o->id);
  int rc = db_step(st);
  db_reset(st);
  if (rc != DB_DONE) {
    buf_puts(err, "保存失败");
    return ROUND_EDB;
  }
  if (db_changes(db) != 1) {
    buf_puts(err, "该申请已处理");
    return ROUND_ECONFLICT;
  }
  if (!approve) return ROUND_OK;
  /* Approval adds the member (the exception stands in for the 回避
   * check) and, for a selection, the request's answer. */
  st = db_stmt(db, STMT_RND_TEAM_GET_PLAIN);
  if (!st) return ROUND_EDB;
  db_bind_int64(st, 1, o->team_id);
  rc = db_step(st);
  Team t;
  memset(&t, 0, sizeof t);
  if (rc == DB_ROW) team_read_row(st, &t);
  db_reset(st);
  if (rc != DB_ROW) {
    buf_puts(err, "巡察组不存在");
    return ROUND_EDB;
  }
  RoundResult r = team_add_member(db, &t, o->staff_id, o->position, o->id,
                                  NULL, NULL, err);
  if (r == ROUND_OK && o->request_id) {
    StaffingRequest q;
    memset(&q, 0, sizeof q);
    st = db_stmt(db, STMT_RND_SREQ_GET_PLAIN);
    if (!st) {
      r = ROUND_EDB;
    } else {
      db_bind_int64(st, 1, o->request_id);
      rc = db_step(st);
      if (rc == DB_ROW) sreq_read_row(st, &q);
      db_reset(st);
      if (rc == DB_ROW && str_eq(q.status, "open"))
        r = sreq_record_answer(db, o->requested_by, q.id, q.count, o->staff_id,
                          err);
      sreq_clear(&q);
    }
  }
  team_clear(&t);
  return r;
}
