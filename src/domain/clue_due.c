/* clue_due.c: business dates, the deadline rules of transferred clues and
** the derivation of their clue_due rows (see clue_due.h).
**
** Dates are civil dates counted as days since 1970-01-01 with Howard
** Hinnant's days-from-civil algorithm: pure integer arithmetic, no time
** zone database, no gmtime/localtime (util/banned.h). */
#include "domain/clue_due.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/clue_due_int.h"
#include "domain/settings.h"

/* ---- business dates ---- */

static int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t yy = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)(yy + (*m <= 2));
}

static int is_leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m) {
  static const int n[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : n[m - 1];
}

/* Parse 'YYYY-MM-DD' strictly (digits and dashes in place, 1900–2999). */
static int date_parse(const char *s, int *y, int *m, int *d) {
  if (!s) return -1;
  for (int i = 0; i < 10; i++) {
    if (i == 4 || i == 7) {
      if (s[i] != '-') return -1;
    } else if (s[i] < '0' || s[i] > '9') {
      return -1;
    }
  }
  if (s[10] != '\0') return -1;
  *y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
       (s[3] - '0');
  *m = (s[5] - '0') * 10 + (s[6] - '0');
  *d = (s[8] - '0') * 10 + (s[9] - '0');
  if (*y < 1900 || *y > 2999 || *m < 1 || *m > 12 || *d < 1 ||
      *d > month_days(*y, *m))
    return -1;
  return 0;
}

/* y in 1900–2999, m 1–12, d 1–31 (callers keep them there). */
static void date_format(int y, int m, int d, char out[11]) {
  out[0] = (char)('0' + y / 1000 % 10);
  out[1] = (char)('0' + y / 100 % 10);
  out[2] = (char)('0' + y / 10 % 10);
  out[3] = (char)('0' + y % 10);
  out[4] = '-';
  out[5] = (char)('0' + m / 10 % 10);
  out[6] = (char)('0' + m % 10);
  out[7] = '-';
  out[8] = (char)('0' + d / 10 % 10);
  out[9] = (char)('0' + d % 10);
  out[10] = '\0';
}

int date_valid(const char *s) {
  int y, m, d;
  return date_parse(s, &y, &m, &d) == 0;
}

void date_of(jx_time t, char out[11]) {
  /* 北京时间 is UTC+8 all year (no daylight saving since 1991). */
  int64_t s = (int64_t)t + 8 * 3600;
  int64_t days = s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
  int y, m, d;
  civil_from_days(days, &y, &m, &d);
  date_format(y, m, d, out);
}

void date_today(char out[11]) { date_of(jx_now(), out); }

int date_add_months(const char *s, int months, char out[11]) {
  int y, m, d;
  if (date_parse(s, &y, &m, &d) != 0) return -1;
  int64_t idx = (int64_t)y * 12 + (m - 1) + months;
  int64_t ny = idx >= 0 ? idx / 12 : -((-idx + 11) / 12);
  int nm = (int)(idx - ny * 12) + 1;
  if (ny < 1900 || ny > 2999) return -1;
  int last = month_days((int)ny, nm);
  date_format((int)ny, nm, d > last ? last : d, out);
  return 0;
}

int date_add_days(const char *s, int days, char out[11]) {
  int y, m, d;
  if (date_parse(s, &y, &m, &d) != 0) return -1;
  civil_from_days(days_from_civil(y, m, d) + days, &y, &m, &d);
  if (y < 1900 || y > 2999) return -1;
  date_format(y, m, d, out);
  return 0;
}

int date_diff_days(const char *a, const char *b) {
  int ya, ma, da, yb, mb, db;
  if (date_parse(a, &ya, &ma, &da) != 0 || date_parse(b, &yb, &mb, &db) != 0)
    return 0;
  return (int)(days_from_civil(yb, mb, db) - days_from_civil(ya, ma, da));
}

/* ---- the rule table ---- */

const ClueDueRule clue_due_rules[] = {
    {"fb_first", "首次反馈", "clue.feedback_first_months", "month", "移交日期",
     "巴中做法：移交后6个月内首次反馈；2015年巡视工作条例第二十九条为3个月"},
    {"fb_next", "定期反馈", "clue.feedback_every_months", "month",
     "首次反馈期限（此后每隔一个间隔反馈一次，直至办结）",
     "巴中做法：每半年反馈一次直至办结"},
    {"disposal", "处置意见", "clue.disposal_months", "month", "分办日期",
     "中国共产党纪律检查机关监督执纪工作规则 第二十一条第二款"},
    {"investigation", "审查调查", "clue.investigation_days", "day", "立案日期",
     "中国共产党纪律检查机关监督执纪工作规则（试行，2017）第二十八条；"
     "2019年规则对应条文未经核实"},
    {"trial", "审理", "clue.trial_months", "month", "移送审理日期",
     "中国共产党纪律检查机关监督执纪工作规则 第五十五条"},
    {"detention", "留置期限", "clue.detention_months", "month",
     "留置开始日期（经批准延长的顺延）", "中华人民共和国监察法 第四十八条"},
    {"announce", "处分宣布", "clue.announce_months", "month", "处分决定日期",
     "中央纪委国家监委案件审理室答问（处分决定作出后一个月内宣布）"},
    {"execute", "执行情况报告", "clue.execute_months", "month", "处分决定日期",
     "中央纪委国家监委案件审理室答问（执行情况报告）"},
};
const size_t n_clue_due_rules = JX_COUNT(clue_due_rules);

const ClueDueRule *clue_due_rule(const char *code) {
  for (size_t i = 0; i < n_clue_due_rules; i++)
    if (str_eq(clue_due_rules[i].code, code)) return &clue_due_rules[i];
  return NULL;
}

/* ---- deriving the deadlines ---- */

typedef struct DueRow {
  const char *rule;
  int64_t ref;
  char due[11], done[11];
} DueRow;

typedef struct DueSet {
  DueRow *rows;
  size_t n, cap;
} DueSet;

/* Add a deadline: anchor + the rule's period (+ extra periods for
** fb_next), done on done ("" open).  An invalid anchor adds nothing. */
static void due_add(DueSet *s, const char *rule, int64_t ref, const char *due,
                    const char *done) {
  if (!date_valid(due)) return;
  if (s->n == s->cap) {
    s->cap = s->cap ? s->cap * 2 : 16;
    s->rows = xrealloc(s->rows, s->cap * sizeof *s->rows);
  }
  DueRow *r = &s->rows[s->n++];
  r->rule = rule;
  r->ref = ref;
  memcpy(r->due, due, 11);
  snprintf(r->done, sizeof r->done, "%s", date_valid(done) ? done : "");
}

static void add_months_rule(DueSet *s, const char *rule, int64_t ref,
                            const char *anchor, int64_t months,
                            const char *done) {
  char due[11];
  if (date_add_months(anchor, (int)months, due) == 0)
    due_add(s, rule, ref, due, done);
}

static void col_date(Stmt *st, int col, char out[11]) {
  const char *v = db_column_text(st, col);
  snprintf(out, 11, "%s", v && date_valid(v) ? v : "");
}

/* Announcement and execution deadlines follow the measures that carry
** them (clue_measures[].announce: 党纪 and 政务处分). */
static int sanction_announced(const char *measure) {
  const ClueMeasure *m = clue_measure(measure);
  return m && m->announce;
}

int clue_due_refresh(Db *db, int64_t id) {
  enum { F_TRANSFERRED, F_ASSIGNED, F_DISPOSAL, F_FILED, F_TRIAL, F_DECIDED,
         F_CONCLUDED, F__N };
  char state[32] = "", f[F__N][11];
  DueSet s = {0};
  int rc;

  Stmt *st = db_stmt(db, STMT_CLUED_FACTS);
  if (!st) return DB_EERROR;
  db_bind_int64(st, 1, id);
  rc = db_step(st);
  if (rc == DB_ROW) {
    const char *v = db_column_text(st, 0);
    snprintf(state, sizeof state, "%s", v ? v : "");
    for (int i = 0; i < F__N; i++) col_date(st, i + 1, f[i]);
  }
  db_reset(st);
  if (rc != DB_ROW) return rc == DB_DONE ? DB_EERROR : rc;
  int concluded = f[F_CONCLUDED][0] != '\0';

  /* Feedback: due dates run from the transfer, never from when a report
  ** was actually sent, so a late or early report does not move the
  ** rhythm: seq j is due at transferred + N + (j-1)·M months. */
  if (f[F_TRANSFERRED][0]) {
    int64_t first = setting_int(db, "clue.feedback_first_months");
    int64_t every = setting_int(db, "clue.feedback_every_months");
    char (*sent)[11] = NULL;
    size_t k = 0, cap = 0;
    st = db_stmt(db, STMT_CLUED_FB_SENT);
    if (!st) return DB_EERROR;
    db_bind_int64(st, 1, id);
    while ((rc = db_step(st)) == DB_ROW) {
      /* a report that answered no deadline (the final report after
      ** conclusion) is not part of the rhythm */
      const char *answered = db_column_text(st, 2);
      if (!answered || !answered[0]) continue;
      if (k == cap) {
        cap = cap ? cap * 2 : 8;
        sent = xrealloc(sent, cap * sizeof *sent);
      }
      col_date(st, 1, sent[k++]);
    }
    db_reset(st);
    if (rc != DB_DONE) {
      free(sent);
      return rc;
    }
    if (k > 0 || !concluded)
      add_months_rule(&s, "fb_first", 0, f[F_TRANSFERRED], first,
                      k > 0 ? sent[0] : "");
    for (size_t j = 2; j <= k; j++)
      add_months_rule(&s, "fb_next", (int64_t)j, f[F_TRANSFERRED],
                      first + (int64_t)(j - 1) * every, sent[j - 1]);
    if (k > 0 && !concluded)
      add_months_rule(&s, "fb_next", (int64_t)k + 1, f[F_TRANSFERRED],
                      first + (int64_t)k * every, "");
    free(sent);
  }

  /* A step that ended without its usual successor (a clue closed while
  ** being handled) counts as done on the day the clue was concluded. */
  if (f[F_ASSIGNED][0])
    add_months_rule(&s, "disposal", 0, f[F_ASSIGNED],
                    setting_int(db, "clue.disposal_months"),
                    f[F_DISPOSAL][0] ? f[F_DISPOSAL] : f[F_CONCLUDED]);
  /* A clue sent back from 审理 (trial_return) is under investigation
  ** again: its investigation deadline reopens and no trial runs. */
  int back = str_eq(state, "investigating");
  if (f[F_FILED][0]) {
    char due[11];
    if (date_add_days(f[F_FILED], (int)setting_int(db, "clue.investigation_days"),
                      due) == 0)
      due_add(&s, "investigation", 0, due,
              !back && f[F_TRIAL][0] ? f[F_TRIAL] : f[F_CONCLUDED]);
  }
  if (f[F_TRIAL][0] && !back)
    add_months_rule(&s, "trial", 0, f[F_TRIAL],
                    setting_int(db, "clue.trial_months"),
                    f[F_DECIDED][0] ? f[F_DECIDED] : f[F_CONCLUDED]);

  st = db_stmt(db, STMT_CLUED_DETENTIONS);
  if (!st) goto fail;
  db_bind_int64(st, 1, id);
  while ((rc = db_step(st)) == DB_ROW) {
    char limit[11], ended[11];
    col_date(st, 1, limit);
    col_date(st, 2, ended);
    due_add(&s, "detention", db_column_int64(st, 0), limit, ended);
  }
  db_reset(st);
  if (rc != DB_DONE) goto fail;

  st = db_stmt(db, STMT_CLUED_SANCTIONS);
  if (!st) goto fail;
  db_bind_int64(st, 1, id);
  int64_t announce = setting_int(db, "clue.announce_months");
  int64_t execute = setting_int(db, "clue.execute_months");
  while ((rc = db_step(st)) == DB_ROW) {
    char decided[11], announced[11], executed[11];
    if (!sanction_announced(db_column_text(st, 2))) continue;
    int64_t sid = db_column_int64(st, 0);
    col_date(st, 3, decided);
    col_date(st, 4, announced);
    col_date(st, 5, executed);
    add_months_rule(&s, "announce", sid, decided, announce, announced);
    add_months_rule(&s, "execute", sid, decided, execute, executed);
  }
  db_reset(st);
  if (rc != DB_DONE) goto fail;

  /* Rewrite the rows and the clue's earliest open deadline. */
  st = db_stmt(db, STMT_CLUED_DELETE);
  if (!st) goto fail;
  db_bind_int64(st, 1, id);
  rc = db_step(st);
  db_reset(st);
  if (rc != DB_DONE) goto fail;
  const DueRow *next = NULL;
  for (size_t i = 0; i < s.n; i++) {
    const DueRow *r = &s.rows[i];
    st = db_stmt(db, STMT_CLUED_INSERT);
    if (!st) goto fail;
    db_bind_int64(st, 1, id);
    db_bind_text(st, 2, r->rule);
    db_bind_int64(st, 3, r->ref);
    db_bind_text(st, 4, r->due);
    db_bind_text(st, 5, r->done);
    rc = db_step(st);
    db_reset(st);
    if (rc != DB_DONE) goto fail;
    if (!r->done[0] && (!next || strcmp(r->due, next->due) < 0)) next = r;
  }
  st = db_stmt(db, STMT_CLUED_SET_NEXT);
  if (!st) goto fail;
  db_bind_text(st, 1, next ? next->due : "");
  db_bind_text(st, 2, next ? next->rule : "");
  db_bind_int64(st, 3, id);
  rc = db_step(st);
  db_reset(st);
  if (rc != DB_DONE) goto fail;
  free(s.rows);
  return DB_OK;
fail:
  free(s.rows);
  return rc == DB_OK || rc == DB_ROW || rc == DB_DONE ? DB_EERROR : rc;
}

int clue_due_setting(const char *key) {
  for (size_t i = 0; key && i < n_clue_due_rules; i++)
    if (str_eq(clue_due_rules[i].setting, key)) return 1;
  return 0;
}

int clue_due_refresh_all(Db *db, int64_t *n) {
  int64_t *ids = NULL;
  size_t count = 0, cap = 0;
  if (n) *n = 0;
  /* ids first: the refresh runs other statements on this connection */
  Stmt *st = db_stmt(db, STMT_CLUED_REFRESH_IDS);
  if (!st) return DB_EERROR;
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    if (count == cap) {
      cap = cap ? cap * 2 : 64;
      ids = xrealloc(ids, cap * sizeof *ids);
    }
    ids[count++] = db_column_int64(st, 0);
  }
  db_reset(st);
  if (rc != DB_DONE) {
    free(ids);
    return rc;
  }
  for (size_t i = 0; i < count; i++) {
    rc = clue_due_refresh(db, ids[i]);
    if (rc != DB_OK) {
      free(ids);
      return rc;
    }
  }
  free(ids);
  if (n) *n = (int64_t)count;
  return DB_OK;
}

/* ---- reading deadlines ---- */

char *clued_col_dup(Stmt *st, int col) {
  const char *v = db_column_text(st, col);
  return xstrdup(v ? v : "");
}
#define col_dup clued_col_dup

int clued_bind_seen(Stmt *st, int i, const ClueViewer *v) {
  i = ntk_bind(st, i, &v->who);
  i = ntk_bind(st, i, &v->who);
  return ntk_bind_jur(st, i, &v->who, v->scope);
}
#define bind_seen clued_bind_seen

void clued_seen_clear(CluedSeen *c) {
  free(c->code);
  free(c->state);
  free(c->transferred_on);
  free(c->concluded_on);
  free(c->handling_office);
  free(c->unit_name);
  free(c->summary);
  free(c->jurisdiction_code);
  memset(c, 0, sizeof *c);
}

ClueResult clued_seen(Db *db, const ClueViewer *v, int64_t id, CluedSeen *c) {
  memset(c, 0, sizeof *c);
  if (!v || v->who.user_id <= 0 || id <= 0) return CLUE_ENOTFOUND;
  Stmt *st = db_stmt(db, STMT_CLUED_CLUE);
  if (!st) return CLUE_EDB;
  int i = ntk_bind(st, 1, &v->who);
  db_bind_int64(st, i++, id);
  bind_seen(st, i, v);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    c->code = col_dup(st, 0);
    c->state = col_dup(st, 1);
    c->transferred_on = col_dup(st, 2);
    c->concluded_on = col_dup(st, 3);
    c->handling_office = col_dup(st, 4);
    c->unit_name = col_dup(st, 5);
    c->full = db_column_int64(st, 7) != 0;
    c->summary = c->full ? col_dup(st, 6) : xstrdup("");
    c->jurisdiction_code = col_dup(st, 8);
  }
  db_reset(st);
  return rc == DB_ROW ? CLUE_OK : rc == DB_DONE ? CLUE_ENOTFOUND : CLUE_EDB;
}

void clue_dues_free(ClueDue *d, size_t n) {
  if (!d) return;
  for (size_t i = 0; i < n; i++) {
    free(d[i].clue_code);
    free(d[i].unit_name);
    free(d[i].summary);
    free(d[i].rule);
    free(d[i].due_on);
    free(d[i].done_on);
  }
  free(d);
}

ClueResult clue_dues_of(Db *db, const ClueViewer *v, int64_t id,
                        ClueDue **out, size_t *n) {
  CluedSeen c;
  *out = NULL;
  *n = 0;
  ClueResult r = clued_seen(db, v, id, &c);
  if (r != CLUE_OK) return r;
  char today[11];
  date_today(today);
  Stmt *st = db_stmt(db, STMT_CLUED_OF);
  if (!st) {
    clued_seen_clear(&c);
    return CLUE_EDB;
  }
  db_bind_int64(st, 1, id);
  size_t cap = 0;
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    if (*n == cap) {
      cap = cap ? cap * 2 : 8;
      *out = xrealloc(*out, cap * sizeof **out);
    }
    ClueDue *d = &(*out)[(*n)++];
    d->clue_id = id;
    d->clue_code = xstrdup(c.code);
    d->unit_name = xstrdup(c.unit_name);
    d->summary = xstrdup(c.summary);
    d->rule = col_dup(st, 0);
    d->ref_id = db_column_int64(st, 1);
    d->due_on = col_dup(st, 2);
    d->done_on = col_dup(st, 3);
    d->days_left = date_diff_days(today, d->due_on);
    d->full = c.full;
  }
  db_reset(st);
  clued_seen_clear(&c);
  if (rc != DB_DONE) {
    clue_dues_free(*out, *n);
    *out = NULL;
    *n = 0;
    return CLUE_EDB;
  }
  return CLUE_OK;
}

ClueResult clue_dues_list(Db *db, const ClueViewer *v, int window,
                          int64_t limit, int64_t offset, ClueDue **out,
                          size_t *n, int64_t *total) {
  char today[11], lo[11], hi[11];
  *out = NULL;
  *n = 0;
  *total = 0;
  if (!v || v->who.user_id <= 0) return CLUE_OK;
  if (limit > 1000) limit = 1000;
  if (offset < 0) offset = 0;
  date_today(today);
  if (window < 0) { /* overdue: due before today */
    lo[0] = '\0';
    if (date_add_days(today, -1, hi) != 0) return CLUE_EINVALID;
  } else {
    memcpy(lo, today, sizeof lo);
    if (date_add_days(today, window, hi) != 0) return CLUE_EINVALID;
  }

  Stmt *st = db_stmt(db, STMT_CLUED_LIST_COUNT);
  if (!st) return CLUE_EDB;
  db_bind_text(st, 1, lo);
  db_bind_text(st, 2, hi);
  bind_seen(st, 3, v);
  int rc = db_step(st);
  if (rc == DB_ROW) *total = db_column_int64(st, 0);
  db_reset(st);
  if (rc != DB_ROW) return CLUE_EDB;
  if (limit <= 0) return CLUE_OK; /* the count only */

  st = db_stmt(db, STMT_CLUED_LIST);
  if (!st) return CLUE_EDB;
  int i = ntk_bind(st, 1, &v->who);
  i = ntk_bind(st, i, &v->who);
  db_bind_text(st, i++, lo);
  db_bind_text(st, i++, hi);
  i = bind_seen(st, i, v);
  db_bind_int64(st, i++, limit);
  db_bind_int64(st, i++, offset);
  size_t cap = 0;
  while ((rc = db_step(st)) == DB_ROW) {
    if (*n == cap) {
      cap = cap ? cap * 2 : 16;
      *out = xrealloc(*out, cap * sizeof **out);
    }
    ClueDue *d = &(*out)[(*n)++];
    d->clue_id = db_column_int64(st, 0);
    d->clue_code = col_dup(st, 1);
    d->unit_name = col_dup(st, 2);
    d->full = db_column_int64(st, 8) != 0;
    d->summary = d->full ? col_dup(st, 3) : xstrdup("");
    d->rule = col_dup(st, 4);
    d->due_on = col_dup(st, 5);
    d->done_on = col_dup(st, 6);
    d->ref_id = db_column_int64(st, 7);
    d->days_left = date_diff_days(today, d->due_on);
  }
  db_reset(st);
  if (rc != DB_DONE) {
    clue_dues_free(*out, *n);
    *out = NULL;
    *n = 0;
    return CLUE_EDB;
  }
  return CLUE_OK;
}
