/* rounds.c: the rules of rounds and phases (see rounds.h). */
#include "domain/rounds.h"

#include <stdlib.h>
#include <string.h>

/* DOMAIN.md §5.8 names the phases; the issue fixes their order (移交
** before 整改, as practised: the clue lists go out right after the
** feedback and rectification runs on from there). */
const PhaseDef round_phases[PHASE__COUNT] = {
    [PHASE_PREP] = {"prepare", "准备", "巡前准备"},
    [PHASE_LEARN] = {"understand", "了解", "巡察了解"},
    [PHASE_REPORT] = {"report", "报告", "巡察报告"},
    [PHASE_FEEDBACK] = {"feedback", "反馈", "巡察反馈"},
    [PHASE_TRANSFER] = {"transfer", "移交", "巡察移交"},
    [PHASE_RECTIFY] = {"rectify", "整改", "巡察整改"},
};

/* The only legal steps: forward, one at a time. */
const PhaseTransition round_transitions[] = {
    {PHASE_PREP, PHASE_LEARN},
    {PHASE_LEARN, PHASE_REPORT},
    {PHASE_REPORT, PHASE_FEEDBACK},
    {PHASE_FEEDBACK, PHASE_TRANSFER},
    {PHASE_TRANSFER, PHASE_RECTIFY},
};
const size_t n_round_transitions = JX_COUNT(round_transitions);

const RoundKindDef round_kinds[] = {
    {"regular", "常规"},  {"special", "专项"},  {"mobile", "机动"},
    {"elevated", "提级"}, {"revisit", "回头看"},
};
const size_t n_round_kinds = JX_COUNT(round_kinds);

int round_phase_from_code(const char *code) {
  for (int i = 0; i < PHASE__COUNT; i++)
    if (str_eq(round_phases[i].code, code)) return i;
  return -1;
}

const char *round_phase_label(int phase) {
  return phase >= 0 && phase < PHASE__COUNT ? round_phases[phase].label : "?";
}

int round_phase_next(int from) {
  for (size_t i = 0; i < n_round_transitions; i++)
    if ((int)round_transitions[i].from == from)
      return (int)round_transitions[i].to;
  return -1;
}

int round_phase_check(int from, int to, Buf *err) {
  if (to < 0 || to >= PHASE__COUNT) {
    buf_puts(err, "未知的巡察阶段");
    return -1;
  }
  if (from < 0) {
    if (to == PHASE_PREP) return 0;
    buf_printf(err, "被巡察单位须从“%s”阶段开始，不能直接进入“%s”阶段",
               round_phases[PHASE_PREP].label, round_phases[to].label);
    return -1;
  }
  for (size_t i = 0; i < n_round_transitions; i++)
    if ((int)round_transitions[i].from == from &&
        (int)round_transitions[i].to == to)
      return 0;
  if (to == from) {
    buf_printf(err, "该单位已处于“%s”阶段", round_phases[to].label);
  } else if (to < from) {
    buf_printf(err, "巡察阶段只能向前推进，不能从“%s”退回“%s”",
               round_phases[from].label, round_phases[to].label);
  } else {
    int next = round_phase_next(from);
    if (next < 0) {
      buf_printf(err, "“%s”已是最后一个阶段", round_phases[from].label);
    } else {
      buf_printf(err, "巡察阶段须依次推进：“%s”之后应为“%s”，不能跳至“%s”",
                 round_phases[from].label, round_phases[next].label,
                 round_phases[to].label);
    }
  }
  return -1;
}

const char *round_kind_label(const char *code) {
  for (size_t i = 0; i < n_round_kinds; i++)
    if (str_eq(round_kinds[i].code, code)) return round_kinds[i].label;
  return NULL;
}

void round_cn_number(Buf *out, int64_t n) {
  static const char *const digit[] = {"零", "一", "二", "三", "四",
                                      "五", "六", "七", "八", "九"};
  if (n < 1 || n > 99) {
    buf_printf(out, "%lld", (long long)n);
    return;
  }
  if (n >= 10) {
    if (n >= 20) buf_puts(out, digit[n / 10]);
    buf_puts(out, "十");
    if (n % 10) buf_puts(out, digit[n % 10]);
    return;
  }
  buf_puts(out, digit[n]);
}

void round_default_name(Buf *out, int64_t term, int64_t number,
                        const char *committee) {
  round_cn_number(out, term);
  buf_printf(out, "届%s第", committee && *committee ? committee : "市委");
  round_cn_number(out, number);
  buf_puts(out, "轮巡察");
}

int round_check(const RoundIn *in, Buf *err, const char **field) {
  *field = NULL;
  if (in->title && utf8_chars(in->title) > ROUND_TITLE_MAX) {
    *field = "title";
    buf_printf(err, "轮次名称不能超过 %d 个字", ROUND_TITLE_MAX);
    return -1;
  }
  if (in->term < 1 || in->term > 99) {
    *field = "term";
    buf_puts(err, "届次应为 1 到 99 之间的整数");
    return -1;
  }
  if (in->number < 1 || in->number > 99) {
    *field = "number";
    buf_puts(err, "轮次应为 1 到 99 之间的整数");
    return -1;
  }
  if (!round_kind_label(in->kind)) {
    *field = "kind";
    buf_puts(err, "巡察类型应为常规、专项、机动、提级或回头看");
    return -1;
  }
  if (in->start_date && *in->start_date && !round_date_valid(in->start_date)) {
    *field = "start_date";
    buf_puts(err, "开始日期格式应为 YYYY-MM-DD");
    return -1;
  }
  if (in->end_date && *in->end_date && !round_date_valid(in->end_date)) {
    *field = "end_date";
    buf_puts(err, "结束日期格式应为 YYYY-MM-DD");
    return -1;
  }
  if (in->start_date && *in->start_date && in->end_date && *in->end_date &&
      strcmp(in->end_date, in->start_date) < 0) {
    *field = "end_date";
    buf_puts(err, "结束日期不能早于开始日期");
    return -1;
  }
  return 0;
}

static int is_leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Split a 'YYYY-MM-DD' into its numbers; 0, or -1 when it is not one. */
static int date_parts(const char *s, int *y, int *m, int *d) {
  if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return -1;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return -1;
  *y = atoi(s);
  *m = (s[5] - '0') * 10 + (s[6] - '0');
  *d = (s[8] - '0') * 10 + (s[9] - '0');
  if (*y < 1900 || *m < 1 || *m > 12 || *d < 1 || *d > month_days(*y, *m))
    return -1;
  return 0;
}

int round_date_valid(const char *s) {
  int y, m, d;
  return date_parts(s, &y, &m, &d) == 0;
}

void round_today(char out[11]) { /* the business date: 北京时间 */
  char local[20];
  time_local(jx_now(), local);
  snprintf(out, 11, "%.10s", local);
}

void round_years_before(const char *date, int n, char out[11]) {
  int y, m, d;
  out[0] = 0;
  if (date_parts(date, &y, &m, &d) != 0) return;
  y -= n;
  if (d > month_days(y, m)) d = month_days(y, m);
  snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
}

/* ---- results and fences ---- */

int round_http_status(RoundResult r) {
  switch (r) {
    case ROUND_OK: return 200;
    case ROUND_EINVALID: return 400;
    case ROUND_ENOTFOUND: return 404;
    case ROUND_ECONFLICT: return 409;
    case ROUND_EAVOID: return 409;
    case ROUND_EFORBIDDEN: return 403;
    case ROUND_EDB: return 500;
  }
  return 500;
}

int round_bind_subtree(Stmt *st, int i, const char *code) {
  char prefix[80];
  int n = snprintf(prefix, sizeof prefix, "%s.", code ? code : "");
  db_bind_text(st, i++, code);
  db_bind_int64(st, i++, n);
  db_bind_text(st, i++, prefix);
  return i;
}

int round_code_within(const char *root, const char *code) {
  size_t n = root ? strlen(root) : 0;
  if (!n || !code) return 0;
  return strncmp(root, code, n) == 0 && (code[n] == 0 || code[n] == '.');
}

/* ---- rounds ---- */

static char *col_dup(Stmt *st, int col) {
  const char *s = db_column_text(st, col);
  return xstrdup(s ? s : "");
}

void round_read_row(Stmt *st, Round *out) {
  out->id = db_column_int64(st, 0);
  out->term = db_column_int64(st, 1);
  out->number = db_column_int64(st, 2);
  out->kind = col_dup(st, 3);
  out->title = col_dup(st, 4);
  out->jurisdiction_code = col_dup(st, 5);
  out->jurisdiction_name = col_dup(st, 6);
  out->sector_code = col_dup(st, 7);
  out->sector_name = col_dup(st, 8);
  out->start_date = col_dup(st, 9);
  out->end_date = col_dup(st, 10);
  out->created_by = db_column_int64(st, 11);
  out->created_at = db_column_int64(st, 12);
  out->n_units = db_column_int64(st, 13);
  out->n_teams = db_column_int64(st, 14);
}

void round_clear(Round *r) {
  free(r->kind);
  free(r->title);
  free(r->jurisdiction_code);
  free(r->jurisdiction_name);
  free(r->sector_code);
  free(r->sector_name);
  free(r->start_date);
  free(r->end_date);
  memset(r, 0, sizeof *r);
}

/* Is there a row for stmt id with one text parameter?  1, 0, -1 (error). */
static int exists_text(Db *db, StmtId id, const char *v) {
  Stmt *st = db_stmt(db, id);
  if (!st) return -1;
  db_bind_text(st, 1, v);
  int rc = db_step(st);
  db_reset(st);
  return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* The checks create and update share: input, references, duplicates.
** title receives the title to store. */
static RoundResult round_validate(Db *db, const RoundIn *in, int64_t self,
                                  Buf *title, const char **field, Buf *err) {
  if (round_check(in, err, field) != 0) return ROUND_EINVALID;
  if (in->sector_code && *in->sector_code) {
    int e = exists_text(db, STMT_RND_TAG_NAME, in->sector_code);
    if (e < 0) return ROUND_EDB;
    if (!e) {
      *field = "sector_code";
      buf_puts(err, "所选系统（领域）不存在");
      return ROUND_EINVALID;
    }
  }
  Stmt *st = db_stmt(db, STMT_RND_DUPLICATE);
  if (!st) return ROUND_EDB;
  db_bind_text(st, 1, in->jurisdiction_code);
  db_bind_int64(st, 2, in->term);
  db_bind_int64(st, 3, in->number);
  db_bind_int64(st, 4, self);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    *field = "number";
    buf_printf(err, "本辖区已有同届同轮次的巡察：%s", db_column_text(st, 0));
  }
  db_reset(st);
  if (rc == DB_ROW) return ROUND_ECONFLICT;
  if (rc != DB_DONE) return ROUND_EDB;
  if (in->title && *in->title) {
    buf_puts(title, in->title);
  } else {
    /* A county's rounds are the county committee's (县委). */
    round_default_name(title, in->term, in->number,
                       strchr(in->jurisdiction_code, '.') ? "县委" : "市委");
  }
  return ROUND_OK;
}

RoundResult round_create(Db *db, int64_t user_id, const RoundIn *in,
                         int64_t *id, const char **field, Buf *err) {
  Buf title = BUF_INIT;
  *id = 0;
  *field = NULL;
  int e = exists_text(db, STMT_RND_JUR_NAME, in->jurisdiction_code);
  if (e <= 0) {
    *field = "jurisdiction_code";
    buf_puts(err, e < 0 ? "读取辖区失败" : "所选辖区不存在");
    return e < 0 ? ROUND_EDB : ROUND_EINVALID;
  }
  RoundResult r = round_validate(db, in, 0, &title, field, err);
  if (r != ROUND_OK) goto done;
  Stmt *st = db_stmt(db, STMT_RND_INSERT);
  r = ROUND_EDB;
  if (!st) goto done;
  db_bind_int64(st, 1, in->term);
  db_bind_int64(st, 2, in->number);
  db_bind_text(st, 3, in->kind);
  db_bind_text(st, 4, buf_str(&title));
  db_bind_text(st, 5, in->jurisdiction_code);
  if (in->sector_code && *in->sector_code)
    db_bind_text(st, 6, in->sector_code);
  else
    db_bind_null(st, 6);
  db_bind_text(st, 7, in->start_date ? in->start_date : "");
  db_bind_text(st, 8, in->end_date ? in->end_date : "");
  db_bind_int64(st, 9, user_id);
  db_bind_int64(st, 10, jx_now());
  if (db_step(st) == DB_ROW) {
    *id = db_column_int64(st, 0);
    r = ROUND_OK;
  } else {
    buf_puts(err, "保存巡察轮次失败");
  }
  db_reset(st);
done:
  buf_release(&title);
  return r;
}

RoundResult round_update(Db *db, const Round *rd, const RoundIn *in,
                         const char **field, Buf *err) {
  Buf title = BUF_INIT;
  RoundIn fixed = *in;
  *field = NULL;
  fixed.jurisdiction_code = rd->jurisdiction_code;
  RoundResult r = round_validate(db, &fixed, rd->id, &title, field, err);
  if (r != ROUND_OK) goto done;
  Stmt *st = db_stmt(db, STMT_RND_UPDATE);
  r = ROUND_EDB;
  if (!st) goto done;
  db_bind_int64(st, 1, in->term);
  db_bind_int64(st, 2, in->number);
  db_bind_text(st, 3, in->kind);
  db_bind_text(st, 4, buf_str(&title));
  if (in->sector_code && *in->sector_code)
    db_bind_text(st, 5, in->sector_code);
  else
    db_bind_null(st, 5);
  db_bind_text(st, 6, in->start_date ? in->start_date : "");
  db_bind_text(st, 7, in->end_date ? in->end_date : "");
  db_bind_int64(st, 8, rd->id);
  if (db_step(st) == DB_DONE)
    r = ROUND_OK;
  else
    buf_puts(err, "保存巡察轮次失败");
  db_reset(st);
done:
  buf_release(&title);
  return r;
}

/* ---- units and phases ---- */

void round_units_free(RoundUnit *u, size_t n) {
  for (size_t i = 0; i < n; i++) {
    free(u[i].code);
    free(u[i].name);
    free(u[i].entered_on);
    free(u[i].team_name);
    for (int k = 0; k < u[i].n_steps; k++) {
      free(u[i].steps[k].entered_on);
      free(u[i].steps[k].entered_by);
    }
  }
  free(u);
}

static int cmp_step(const void *a, const void *b) {
  return ((const PhaseStep *)a)->phase - ((const PhaseStep *)b)->phase;
}

int round_units_load(Db *db, int64_t round_id, RoundUnit **out, size_t *n) {
  RoundUnit *v = NULL;
  size_t len = 0;
  int rc;
  *out = NULL;
  *n = 0;
  Stmt *st = db_stmt(db, STMT_RND_UNITS);
  if (!st) return DB_EERROR;
  db_bind_int64(st, 1, round_id);
  while ((rc = db_step(st)) == DB_ROW) {
    v = xrealloc(v, (len + 1) * sizeof *v);
    RoundUnit *u = &v[len++];
    memset(u, 0, sizeof *u);
    u->unit_id = db_column_int64(st, 0);
    u->code = col_dup(st, 1);
    u->name = col_dup(st, 2);
    u->phase = round_phase_from_code(db_column_text(st, 3));
    u->entered_on = col_dup(st, 4);
    u->team_name = col_dup(st, 5);
  }
  db_reset(st);
  if (rc != DB_DONE) goto fail;
  st = db_stmt(db, STMT_RND_UNIT_HISTORY);
  if (!st) goto fail;
  db_bind_int64(st, 1, round_id);
  while ((rc = db_step(st)) == DB_ROW) {
    int64_t uid = db_column_int64(st, 0);
    int ph = round_phase_from_code(db_column_text(st, 1));
    for (size_t i = 0; i < len; i++) {
      RoundUnit *u = &v[i];
      if (u->unit_id != uid || ph < 0 || u->n_steps == PHASE__COUNT) continue;
      PhaseStep *s = &u->steps[u->n_steps++];
      s->phase = ph;
      s->entered_on = col_dup(st, 2);
      s->entered_at = db_column_int64(st, 3);
      s->entered_by = col_dup(st, 4);
    }
  }
  db_reset(st);
  if (rc != DB_DONE) goto fail;
  for (size_t i = 0; i < len; i++)
    qsort(v[i].steps, (size_t)v[i].n_steps, sizeof v[i].steps[0], cmp_step);
  *out = v;
  *n = len;
  return DB_OK;
fail:
  round_units_free(v, len);
  return DB_EERROR;
}

/* The business date a phase step records: as given, or today. */
static int step_date(const char *given, char out[11], Buf *err) {
  if (!given || !*given) {
    round_today(out);
    return 0;
  }
  if (!round_date_valid(given)) {
    buf_puts(err, "日期格式应为 YYYY-MM-DD");
    return -1;
  }
  str_copy(out, given, 11);
  return 0;
}

static int insert_step(Db *db, int64_t round_id, int64_t unit_id, int phase,
                       const char *on, int64_t user_id) {
  Stmt *st = db_stmt(db, STMT_RND_UNIT_PHASE_INSERT);
  if (!st) return -1;
  db_bind_int64(st, 1, round_id);
  db_bind_int64(st, 2, unit_id);
  db_bind_text(st, 3, round_phases[phase].code);
  db_bind_text(st, 4, on);
  db_bind_int64(st, 5, jx_now());
  db_bind_int64(st, 6, user_id);
  int rc = db_step(st);
  db_reset(st);
  return rc == DB_DONE ? 0 : -1;
}

RoundResult round_add_unit(Db *db, int64_t user_id, const Round *r,
                           int64_t unit_id, const char *entered_on,
                           Buf *err) {
  char on[11];
  if (step_date(entered_on, on, err) != 0) return ROUND_EINVALID;
  Stmt *st = db_stmt(db, STMT_RND_UNIT_INFO);
  if (!st) return ROUND_EDB;
  db_bind_text(st, 1, r->sector_code);
  db_bind_int64(st, 2, unit_id);
  int rc = db_step(st);
  if (rc != DB_ROW) {
    db_reset(st);
    if (rc != DB_DONE) return ROUND_EDB;
    buf_puts(err, "被巡察单位不存在");
    return ROUND_ENOTFOUND;
  }
  char *name = col_dup(st, 0);
  int within = round_code_within(r->jurisdiction_code, db_column_text(st, 1));
  int tagged = db_column_int64(st, 2) > 0;
  db_reset(st);
  RoundResult res = ROUND_EINVALID;
  if (!within) {
    buf_printf(err, "%s不在本轮巡察的辖区（%s）内", name,
               r->jurisdiction_name);
    goto done;
  }
  if (*r->sector_code && !tagged) {
    buf_printf(err, "本轮为“%s”系统同批次巡察，%s不属于该系统", r->sector_name,
               name);
    goto done;
  }
  st = db_stmt(db, STMT_RND_UNIT_PHASE);
  if (!st) goto db_fail;
  db_bind_int64(st, 1, r->id);
  db_bind_int64(st, 2, unit_id);
  rc = db_step(st);
  db_reset(st);
  if (rc == DB_ROW) {
    buf_printf(err, "%s已在本轮巡察中", name);
    res = ROUND_ECONFLICT;
    goto done;
  }
  st = db_stmt(db, STMT_RND_UNIT_INSERT);
  if (!st) goto db_fail;
  db_bind_int64(st, 1, r->id);
  db_bind_int64(st, 2, unit_id);
  rc = db_step(st);
  db_reset(st);
  if (rc != DB_DONE ||
      insert_step(db, r->id, unit_id, PHASE_PREP, on, user_id) != 0)
    goto db_fail;
  res = ROUND_OK;
  goto done;
db_fail:
  buf_puts(err, "保存失败");
  res = ROUND_EDB;
done:
  free(name);
  return res;
}

RoundResult round_remove_unit(Db *db, const Round *r, int64_t unit_id,
                              Buf *err) {
  Stmt *st = db_stmt(db, STMT_RND_UNIT_PHASE);
  if (!st) return ROUND_EDB;
  db_bind_int64(st, 1, r->id);
  db_bind_int64(st, 2, unit_id);
  int rc = db_step(st);
  if (rc != DB_ROW) {
    db_reset(st);
    buf_puts(err, "该单位不在本轮巡察中");
    return rc == DB_DONE ? ROUND_ENOTFOUND : ROUND_EDB;
  }
  int phase = round_phase_from_code(db_column_text(st, 0));
  char *name = col_dup(st, 1);
  db_reset(st);
  RoundResult res = ROUND_ECONFLICT;
  if (phase != PHASE_PREP) {
    buf_printf(err, "%s已进入“%s”阶段，不能移出本轮巡察", name,
               round_phase_label(phase));
    goto done;
  }
  st = db_stmt(db, STMT_RND_UNIT_TEAMS);
  if (!st) goto db_fail;
  db_bind_int64(st, 1, r->id);
  db_bind_int64(st, 2, unit_id);
  rc = db_step(st);
  int64_t teams = rc == DB_ROW ? db_column_int64(st, 0) : -1;
  db_reset(st);
  if (teams < 0) goto db_fail;
  if (teams > 0) {
    buf_printf(err, "%s已分配给巡察组，不能移出本轮巡察", name);
    goto done;
  }
  st = db_stmt(db, STMT_RND_UNIT_PHASES_DELETE);
  if (!st) goto db_fail;
  db_bind_int64(st, 1, r->id);
  db_bind_int64(st, 2, unit_id);
  rc = db_step(st);
  db_reset(st);
  if (rc != DB_DONE) goto db_fail;
  st = db_stmt(db, STMT_RND_UNIT_DELETE);
  if (!st) goto db_fail;
  db_bind_int64(st, 1, r->id);
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
  free(name);
  return res;
}

RoundResult round_advance(Db *db, int64_t user_id, const Round *r,
                          int64_t unit_id, const char *to_code,
                          const char *entered_on, int *from, int *to,
                          Buf *err) {
  char on[11];
  int cur, target = round_phase_from_code(to_code);
  if (from) *from = -1;
  if (to) *to = target;
  if (target < 0) {
    buf_puts(err, "未知的巡察阶段");
    return ROUND_EINVALID;
  }
  if (step_date(entered_on, on, err) != 0) return ROUND_EINVALID;
  Stmt *st = db_stmt(db, STMT_RND_UNIT_PHASE);
  if (!st) return ROUND_EDB;
  db_bind_int64(st, 1, r->id);
  db_bind_int64(st, 2, unit_id);
  int rc = db_step(st);
  if (rc != DB_ROW) {
    db_reset(st);
    buf_puts(err, "该单位不在本轮巡察中");
    return rc == DB_DONE ? ROUND_ENOTFOUND : ROUND_EDB;
  }
  cur = round_phase_from_code(db_column_text(st, 0));
  char since[11];
  str_copy(since, db_column_text(st, 2) ? db_column_text(st, 2) : "",
           sizeof since);
  db_reset(st);
  if (from) *from = cur;
  if (round_phase_check(cur, target, err) != 0) return ROUND_ECONFLICT;
  if (*since && strcmp(on, since) < 0) {
    buf_printf(err, "进入“%s”阶段的日期不能早于“%s”阶段的开始日期 %s",
               round_phases[target].label, round_phase_label(cur), since);
    return ROUND_EINVALID;
  }
  /* Compare-and-set: a concurrent step makes this one change nothing. */
  st = db_stmt(db, STMT_RND_UNIT_SET_PHASE);
  if (!st) return ROUND_EDB;
  db_bind_text(st, 1, round_phases[target].code);
  db_bind_int64(st, 2, r->id);
  db_bind_int64(st, 3, unit_id);
  db_bind_text(st, 4, round_phases[cur].code);
  rc = db_step(st);
  db_reset(st);
  if (rc != DB_DONE) return ROUND_EDB;
  if (db_changes(db) != 1) {
    buf_puts(err, "该单位的阶段已被他人更新，请刷新后重试");
    return ROUND_ECONFLICT;
  }
  if (insert_step(db, r->id, unit_id, target, on, user_id) != 0) {
    buf_puts(err, "保存失败");
    return ROUND_EDB;
  }
  return ROUND_OK;
}
