/* clue_stats.c: the ledger's figures (see clue_stats.h).
**
** One aggregate statement per grouping (CLUES_STATS_* in stmts.def) sums
** every count figure at once with SUM(CASE WHEN CLUE_FIG_WHERE …): the
** ledger's own fig filter, bound by clue_bind_fig (clue_ledger.c) for
** each figure's code, so a number and its click-through count the same
** clues.  The visible set is the ledger's (need-to-know 'clue' or
** 'clue_status', inside the jurisdiction) driven from the viewer's grants.
** The total row of a grouped table is the sum of its groups in C (each
** clue lies in exactly one group), so a page costs one pass over the
** visible clues, not two.  Jurisdiction groups are subtrees (a city's row
** includes its counties, as the ledger's jurisdiction filter does),
** rolled up in C from the exact codes.
*/
#include "domain/clue_stats.h"

#include <stdlib.h>

#include "domain/clue_due.h"
#include "domain/settings.h"

/* What the visible-set predicate CLUES_SEEN needs: user, now, office,
** now (the halves of NTK_VISIBLE, by user and by office). */
static int bind_seen(Stmt *st, int i, const NtkSubject *who) {
  /* Office grants have user_id 0: nobody matches them by user id. */
  db_bind_int64(st, i++, who->user_id > 0 ? who->user_id : -1);
  db_bind_int64(st, i++, who->now);
  if (who->user_id > 0 && who->office_code[0])
    db_bind_text(st, i++, who->office_code);
  else
    db_bind_null(st, i++); /* matches no office */
  db_bind_int64(st, i++, who->now);
  return i;
}

/* ---- the figure table ---- */

/* A ratio's slot in ClueStatRow.value holds its denominator; 成案率's
** numerator (the ledger's fig=filing_rate: filed within the base) is kept
** in the first slot after the figures. */
#define SLOT_FILING_NUM 11

const ClueFigure clue_figures[] = {
    {"transferred", "移交线索数", "clues",
     "移交线索数 = 经移交审批链最后一步批准、已有移交日期的问题线索件数"
     "（不含整改建议）；统计期间按移交日期计。",
     "transferred"},
    {"received", "接收线索数", "clues",
     "接收线索数 = 移交后已由纪委监委案管室登记接收，或由组织部、其他单位"
     "确认接收的线索件数。",
     "received"},
    {"concluded", "办结线索数", "clues",
     "办结线索数 = 已进入办结状态（直接了结、查否了结、第一种形态处理、"
     "移送有关党组织、撤销案件、已结案）的线索件数。",
     "concluded"},
    {"concluded_rate", "办结率", "ratio",
     "办结率 = 办结线索数 ÷ 移交线索数。", "concluded"},
    {"filed", "成案线索数", "clues",
     "成案线索数 = 移交后至少一名被反映人被立案（党纪立案或监察立案）的"
     "线索件数。",
     "filed"},
    {"filing_rate", "成案率", "ratio",
     "成案率 = 移交后至少一人被立案的线索数 ÷ 成案率分母。", "filing_rate"},
    {"persons_filed", "立案人数", "persons",
     "立案人数 = 各线索中已被立案的被反映人人数之和（按人计；点击查看含"
     "立案人员的线索）。",
     "persons_filed"},
    {"persons_sanctioned", "处理处分人数", "persons",
     "处理处分人数 = 已作出党纪处分、政务处分、组织处理、问责或第一种形态"
     "处理等处理结果的被反映人人数之和（按人计）。",
     "persons_sanctioned"},
    {"persons_procuratorate", "移送检察机关人数", "persons",
     "移送检察机关人数 = 被移送检察机关依法审查起诉的被反映人人数之和"
     "（按人计）。",
     "persons_procuratorate"},
    {"persons_detained", "留置人数", "persons",
     "留置人数 = 当前处于留置期间（已采取、尚未解除）的被反映人人数之和"
     "（按人计）。",
     "persons_detained"},
    {"overdue", "逾期线索数", "clues",
     "逾期线索数 = 有未完成期限（首次反馈、定期反馈、处置意见、审查调查、"
     "审理、留置、处分宣布或执行报告）已过期的线索件数，按今天（北京时间）"
     "判断。",
     "overdue"},
};
const size_t n_clue_figures = JX_COUNT(clue_figures);
_Static_assert(JX_COUNT(clue_figures) <= SLOT_FILING_NUM,
               "ClueStatRow.value holds the figures and 成案率's numerator");

const ClueFigure *clue_figure(const char *code) {
  for (size_t i = 0; code && i < n_clue_figures; i++)
    if (str_eq(clue_figures[i].code, code)) return &clue_figures[i];
  return NULL;
}

static size_t fig_index(const char *code) {
  const ClueFigure *f = clue_figure(code);
  return f ? (size_t)(f - clue_figures) : 0;
}

void clue_figure_definition(Db *db, const ClueFigure *f, Buf *out) {
  buf_puts(out, f->definition);
  int64_t parked = setting_int(db, "clue.concluded_counts_parked");
  int64_t base = setting_int(db, "clue.filing_rate_base");
  if (str_eq(f->code, "concluded") || str_eq(f->code, "concluded_rate")) {
    buf_printf(out,
               "（口径：设置 clue.concluded_counts_parked = %lld，%s；依据："
               "公开规定未见官方口径，采用“进入办结状态的线索 ÷ 全部移交"
               "线索”的建议口径）",
               (long long)parked,
               parked == 1 ? "暂存待查的线索计入办结"
                           : "暂存待查的线索不计入办结");
  } else if (str_eq(f->code, "filing_rate")) {
    buf_printf(out,
               "分母%s（口径：设置 clue.filing_rate_base = %lld；依据："
               "公开规定未见官方口径，%s）",
               base == 2 ? "为全部移交线索数" : "为移交纪委监委的线索数",
               (long long)base,
               base == 2 ? "采用“至少一人立案的线索 ÷ 全部移交线索”的建议口径"
                         : "默认只计移交纪委监委的线索，因移交组织部或其他"
                           "单位的线索不经纪检监察立案");
  }
}

/* ---- the aggregates ---- */

void clue_stat_rows_free(ClueStatRow *r, size_t n) {
  for (size_t i = 0; r && i < n; i++) {
    free(r[i].key);
    free(r[i].label);
  }
  free(r);
}

/* The statement and whether its key is a text code, per grouping. */
static int group_stmt(const char *group, StmtId *id, int *text_key) {
  *text_key = 0;
  if (!group || !*group) *id = STMT_CLUES_STATS_TOTAL;
  else if (str_eq(group, "round")) *id = STMT_CLUES_STATS_ROUND;
  else if (str_eq(group, "unit")) *id = STMT_CLUES_STATS_UNIT;
  else if (str_eq(group, "team")) *id = STMT_CLUES_STATS_TEAM;
  else if (str_eq(group, "jurisdiction")) {
    *id = STMT_CLUES_STATS_JUR;
    *text_key = 1;
  } else {
    return -1;
  }
  return 0;
}

/* The statement's columns after key, label and n, in order: the
** CLUE_FIG_WHERE sums by figure code, 成案率's base, the person sums. */
static const char *const fig_sums[] = {"transferred", "received",
                                       "concluded",   "filed",
                                       "filing_rate", "overdue"};

static void read_values(Stmt *st, ClueStatRow *r) {
  int col = 3;
  for (size_t k = 0; k < JX_COUNT(fig_sums); k++) {
    int64_t v = db_column_int64(st, col++);
    if (str_eq(fig_sums[k], "filing_rate"))
      r->value[SLOT_FILING_NUM] = v;
    else
      r->value[fig_index(fig_sums[k])] = v;
  }
  r->value[fig_index("filing_rate")] = db_column_int64(st, col++);
  static const char *const persons[] = {"persons_filed", "persons_sanctioned",
                                        "persons_procuratorate",
                                        "persons_detained"};
  for (size_t k = 0; k < JX_COUNT(persons); k++)
    r->value[fig_index(persons[k])] = db_column_int64(st, col++);
  /* 办结率's denominator is the transferred count. */
  r->value[fig_index("concluded_rate")] = r->value[fig_index("transferred")];
}

/* Bind a CLUES_STATS_* statement; the next index, or -1. */
static int bind_stats(Stmt *st, int i, const ClueViewer *v,
                      const ClueFilter *f, Db *db) {
  const char *jur = f->jurisdiction ? f->jurisdiction : "";
  char sub[80];
  snprintf(sub, sizeof sub, "%s.", jur);
  for (size_t k = 0; k < JX_COUNT(fig_sums) && i > 0; k++)
    i = clue_bind_fig(db, st, i, fig_sums[k]);
  if (i < 0) return -1;
  /* 成案率's base: 1 = transferred to the commission, 2 = all. */
  db_bind_int64(st, i++, setting_int(db, "clue.filing_rate_base") == 1);
  i = bind_seen(st, i, &v->who);
  i = ntk_bind_jur(st, i, &v->who, v->scope);
  db_bind_int64(st, i++, f->round_id);
  db_bind_int64(st, i++, f->round_id);
  db_bind_int64(st, i++, f->unit_id);
  db_bind_int64(st, i++, f->unit_id);
  db_bind_int64(st, i++, f->team_id);
  db_bind_int64(st, i++, f->team_id);
  db_bind_text(st, i++, jur);
  db_bind_text(st, i++, jur);
  db_bind_int64(st, i++, (int64_t)strlen(sub));
  db_bind_text(st, i++, sub);
  db_bind_text(st, i++, f->from ? f->from : "");
  db_bind_text(st, i++, f->from ? f->from : "");
  db_bind_text(st, i++, f->to ? f->to : "");
  db_bind_text(st, i++, f->to ? f->to : "");
  return i;
}

/* Largest first (as the statements order), then by key. */
static int by_transferred(const void *a, const void *b) {
  const ClueStatRow *x = a, *y = b;
  size_t t = fig_index("transferred");
  if (x->value[t] != y->value[t]) return x->value[t] > y->value[t] ? -1 : 1;
  return strcmp(x->key, y->key);
}

/* 1 when code lies in the subtree rooted at root. */
static int jur_under(const char *code, const char *root) {
  size_t n = strlen(root);
  return str_eq(code, root) ||
         (strncmp(code, root, n) == 0 && code[n] == '.');
}

ClueResult clue_stats(Db *db, const ClueViewer *v, const ClueFilter *f,
                      const char *group, ClueStatRow **out, size_t *n) {
  StmtId id;
  int text_key;
  *out = NULL;
  *n = 0;
  if (group_stmt(group, &id, &text_key) != 0) return CLUE_EINVALID;
  if (v->who.user_id <= 0 || v->scope == SCOPE_NONE) {
    /* Nobody, or a role without the permission: zeros. */
    ClueStatRow *t = xcalloc(1, sizeof *t);
    t->key = xstrdup("");
    t->label = xstrdup("合计");
    *out = t;
    *n = 1;
    return CLUE_OK;
  }
  Stmt *st = db_stmt(db, id);
  if (!st) return CLUE_EDB;
  if (bind_stats(st, 1, v, f, db) < 0) {
    db_reset(st);
    return CLUE_EDB;
  }
  size_t cap = 16, cnt = 0;
  ClueStatRow *rows = xcalloc(cap, sizeof *rows);
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    if (cnt + 1 >= cap) {
      cap *= 2;
      ClueStatRow *bigger = xcalloc(cap, sizeof *rows);
      memcpy(bigger, rows, cnt * sizeof *rows);
      free(rows);
      rows = bigger;
    }
    ClueStatRow *r = &rows[cnt++];
    if (!*group) {
      r->key = xstrdup("");
    } else if (text_key) {
      const char *k = db_column_text(st, 0);
      r->key = xstrdup(k ? k : "");
    } else if (db_column_is_null(st, 0)) {
      r->key = xstrdup("");
    } else {
      char k[24];
      snprintf(k, sizeof k, "%lld", (long long)db_column_int64(st, 0));
      r->key = xstrdup(k);
    }
    const char *label = db_column_text(st, 1);
    r->label = xstrdup(label && *label ? label : "（未指定）");
    read_values(st, r);
    /* A group of clues none of which is in any figure (drafts still
     * with the team) is left out: every figure implies a transfer. */
    int any = !*group;
    for (size_t k = 0; k < JX_COUNT(r->value) && !any; k++)
      any = r->value[k] != 0;
    if (!any) {
      free(r->key);
      free(r->label);
      cnt--;
    }
  }
  db_reset(st);
  if (rc != DB_DONE) {
    clue_stat_rows_free(rows, cnt);
    return CLUE_EDB;
  }
  if (!*group) {
    /* One row even when no clue is visible (the sums are NULL: 0). */
    if (cnt == 0) {
      rows[0].key = xstrdup("");
      cnt = 1;
    }
    free(rows[0].label);
    rows[0].label = xstrdup("合计");
    *out = rows;
    *n = 1;
    return CLUE_OK;
  }
  ClueStatRow *total = &rows[cnt];
  memset(total, 0, sizeof *total);
  total->key = xstrdup("");
  total->label = xstrdup("合计");
  for (size_t r = 0; r < cnt; r++)
    for (size_t k = 0; k < JX_COUNT(total->value); k++)
      total->value[k] += rows[r].value[k];
  if (text_key) {
    /* Subtree roll-up: each code's row counts its descendants too, as the
     * ledger's jurisdiction filter (a subtree) does. */
    int64_t(*exact)[16] = xcalloc(cnt, sizeof *exact);
    for (size_t r = 0; r < cnt; r++)
      memcpy(exact[r], rows[r].value, sizeof exact[r]);
    for (size_t r = 0; r < cnt; r++)
      for (size_t o = 0; o < cnt; o++)
        if (o != r && jur_under(rows[o].key, rows[r].key))
          for (size_t k = 0; k < 16; k++) rows[r].value[k] += exact[o][k];
    free(exact);
    qsort(rows, cnt, sizeof *rows, by_transferred);
  }
  *out = rows;
  *n = cnt + 1;
  return CLUE_OK;
}

int clue_stat_ratio(const ClueFigure *f, const ClueStatRow *row,
                    int64_t *num, int64_t *den) {
  *num = *den = 0;
  if (!f || !str_eq(f->kind, "ratio")) return -1;
  *num = str_eq(f->code, "filing_rate") ? row->value[SLOT_FILING_NUM]
                                        : row->value[fig_index(f->drill)];
  *den = row->value[f - clue_figures];
  if (*den <= 0) return -1;
  /* Per mille, rounded half up. */
  return (int)((*num * 1000 + *den / 2) / *den);
}
