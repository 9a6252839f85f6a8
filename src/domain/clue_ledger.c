/* clue_ledger.c: the ledger (台账) of clues — one page of the clues a
** viewer may see, filtered and sorted in SQL (see clue.h).
**
** Performance: the count starts from the viewer's grants (CLUE_SEEN in
** stmts.def), so it costs one look-up per clue the viewer may see, not
** one per clue; the page is read either from the grants and sorted (few
** matches) or in the order's index with a per-clue access check,
** stopping after the page (many).  With a selective filter (state,
** round, unit, team, handling office) and a viewer who holds more grants
** than that filter has clues, both are driven from the filter's index
** instead (CLUE_LEDGER_DRIVE: a probe of the access list per clue of the
** filter; drive_pick).  A viewer with grants on most clues and no such
** filter is counted by scanning a covering index (count_wide).  The
** content columns and the "full" flag are computed for the page's rows
** only. */
#include "domain/clue.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "domain/clue_due.h"
#include "domain/org.h"
#include "domain/settings.h"

/* ---- figures ---- */

/* What each figure's click-through requires: the flags of CLUE_FIG_WHERE
** (stmts.def) in order. */
typedef struct FigPred {
  const char *code;
  int transferred, received, concluded, filed, base, sanctioned,
      procuratorate, detained, overdue;
} FigPred;

/* base: the 成案率 denominator (setting clue.filing_rate_base). */
static const FigPred fig_preds[] = {
    {"transferred", 1, 0, 0, 0, 0, 0, 0, 0, 0},
    {"received", 0, 1, 0, 0, 0, 0, 0, 0, 0},
    {"concluded", 0, 0, 1, 0, 0, 0, 0, 0, 0},
    {"concluded_rate", 0, 0, 1, 0, 0, 0, 0, 0, 0},
    {"filed", 0, 0, 0, 1, 0, 0, 0, 0, 0},
    {"filing_rate", 1, 0, 0, 1, 1, 0, 0, 0, 0},
    {"persons_filed", 0, 0, 0, 1, 0, 0, 0, 0, 0},
    {"persons_sanctioned", 0, 0, 0, 0, 0, 1, 0, 0, 0},
    {"persons_procuratorate", 0, 0, 0, 0, 0, 0, 1, 0, 0},
    {"persons_detained", 0, 0, 0, 0, 0, 0, 0, 1, 0},
    {"overdue", 0, 0, 0, 0, 0, 0, 0, 0, 1},
};

static const FigPred *fig_pred(const char *fig) {
  for (size_t i = 0; fig && i < JX_COUNT(fig_preds); i++)
    if (str_eq(fig_preds[i].code, fig)) return &fig_preds[i];
  return NULL;
}

int clue_fig_known(const char *fig) { return fig_pred(fig) != NULL; }

int clue_bind_fig(Db *db, Stmt *st, int i, const char *fig) {
  static const FigPred none = {0};
  const FigPred *f = fig && *fig ? fig_pred(fig) : &none;
  if (!f) return -1;
  int any = f != &none;
  char today[11];
  date_today(today);
  int64_t parked =
      f->concluded ? setting_int(db, "clue.concluded_counts_parked") : 0;
  /* Base 1 (default): clues transferred to the commission; 2: all. */
  int base = f->base && setting_int(db, "clue.filing_rate_base") == 1;
  db_bind_int64(st, i++, any);
  db_bind_int64(st, i++, f->transferred);
  db_bind_int64(st, i++, f->received);
  db_bind_int64(st, i++, f->concluded);
  db_bind_int64(st, i++, parked);
  db_bind_int64(st, i++, f->filed);
  db_bind_int64(st, i++, base);
  db_bind_int64(st, i++, f->sanctioned);
  db_bind_int64(st, i++, f->procuratorate);
  db_bind_int64(st, i++, f->detained);
  db_bind_int64(st, i++, f->overdue);
  db_bind_text(st, i++, today);
  return i;
}

/* ---- the ledger ---- */

/* Above this many matching clues a page is read in index order (the
** _SCAN form), at or below it from the viewer's grants (_SEEK); see
** clue.h.  The seek's cost grows with the matches (it sorts them), the
** scan's does not; they meet around a few thousand. */
int64_t clue_ledger_scan_min = 3000;

void clue_rows_free(ClueRow *rows, size_t n) {
  for (size_t k = 0; rows && k < n; k++) {
    ClueRow *r = &rows[k];
    char *s[] = {r->code, r->kind, r->state, r->transfer_no, r->round_title,
                 r->unit_name, r->team_name, r->persons_text, r->summary,
                 r->transferred_on, r->destination, r->handling_office,
                 r->handling_office_name, r->disposal, r->filed_on,
                 r->outcome, r->concluded_on, r->next_due_on,
                 r->next_due_kind};
    for (size_t i = 0; i < JX_COUNT(s); i++) free(s[i]);
  }
  free(rows);
}

static const char *s_or(const char *s) { return s ? s : ""; }

/* Bind "(CAST(? AS TEXT) = '' OR col = ?)". */
static int bind_opt_text(Stmt *st, int i, const char *s) {
  db_bind_text(st, i++, s_or(s));
  db_bind_text(st, i++, s_or(s));
  return i;
}

static int bind_opt_int(Stmt *st, int i, int64_t v) {
  db_bind_int64(st, i++, v);
  db_bind_int64(st, i++, v);
  return i;
}

/* Bind CLUE_SEEN (stmts.def): the viewer's live grants by user and by
** office, as NTK_VISIBLE binds them (nobody: user -1, office NULL). */
static int bind_seen(Stmt *st, int i, const NtkSubject *who) {
  db_bind_int64(st, i++, who->user_id > 0 ? who->user_id : -1);
  db_bind_int64(st, i++, who->now);
  if (who->user_id > 0 && who->office_code[0])
    db_bind_text(st, i++, who->office_code);
  else
    db_bind_null(st, i++);
  db_bind_int64(st, i++, who->now);
  return i;
}

/* Bind CLUE_PROBED's probes (stmts.def): office, expiring, office, now,
** user, expiring, user, now, as bind_seen binds them; expiring: 1 when
** the viewer holds a live grant that expires (CLUE_LEDGER_EXPIRING). */
static int bind_probe(Stmt *st, int i, const NtkSubject *who, int expiring) {
  int64_t user = who->user_id > 0 ? who->user_id : -1;
  for (int k = 0; k < 2; k++) {
    if (who->user_id > 0 && who->office_code[0])
      db_bind_text(st, i++, who->office_code);
    else
      db_bind_null(st, i++);
    if (k == 0) db_bind_int64(st, i++, expiring);
  }
  db_bind_int64(st, i++, who->now);
  db_bind_int64(st, i++, user);
  db_bind_int64(st, i++, expiring);
  db_bind_int64(st, i++, user);
  db_bind_int64(st, i++, who->now);
  return i;
}

/* The forms of the visible set ledger_bind binds. */
enum { VIS_SEEN, VIS_SCAN, VIS_DRIVEN };

/* A filter the ledger can be driven from (CLUE_LEDGER_DRIVE in
** stmts.def): its statements and the value bound first. */
typedef struct Drive {
  StmtId size, count, desc, asc; /* desc/asc: transferred pages, or 0 */
  int weight; /* cost of a clue relative to the covered indexes' */
  int text;   /* value is f's text (else an id) */
  int today;  /* value is today's date (北京时间) */
  const char *s;
  int64_t id;
  int expiring; /* the viewer holds a live expiring grant (bind_probe) */
} Drive;

/* Bind the driven value (CLUE_LEDGER_SIZE_* / CLUE_PROBED's first ?). */
static int bind_drive(Stmt *st, int i, const Drive *d) {
  char today[11];
  if (d->today) {
    date_today(today);
    db_bind_text(st, i++, today);
  } else if (d->text)
    db_bind_text(st, i++, d->s);
  else
    db_bind_int64(st, i++, d->id);
  return i;
}

/* Bind CLUE_LEDGER_WHERE from index i, its visible set as CLUE_VISIBLE
** (VIS_SCAN), CLUE_SEEN_WITHIN (VIS_SEEN) or CLUE_PROBED from d
** (VIS_DRIVEN), with or without CLUE_LEDGER_Q; the next index, or -1
** when a filter value is not known (state, figure). */
static int ledger_bind(Db *db, Stmt *st, int i, const ClueViewer *v,
                       const ClueFilter *f, int vis, const Drive *d,
                       int with_q) {
  int state_mode = 0; /* 0 any, 1 exact, 2 open, 3 terminal */
  if (f->state && *f->state) {
    if (str_eq(f->state, "open"))
      state_mode = 2;
    else if (str_eq(f->state, "terminal"))
      state_mode = 3;
    else if (clue_state(f->state))
      state_mode = 1;
    else
      return -1;
  }
  if (f->fig && *f->fig && !clue_fig_known(f->fig)) return -1;
  char today[11];
  date_today(today);
  if (vis == VIS_SCAN) { /* CLUE_VISIBLE */
    i = ntk_bind(st, i, &v->who);
    i = ntk_bind(st, i, &v->who);
  } else if (vis == VIS_DRIVEN) { /* CLUE_PROBED */
    i = bind_drive(st, i, d);
    i = bind_probe(st, i, &v->who, d->expiring);
  } else { /* CLUE_SEEN */
    i = bind_seen(st, i, &v->who);
  }
  i = ntk_bind_jur(st, i, &v->who, v->scope);
  i = bind_opt_int(st, i, f->round_id);
  i = bind_opt_int(st, i, f->unit_id);
  i = bind_opt_int(st, i, f->team_id);
  const char *j = s_or(f->jurisdiction);
  char prefix[80];
  int plen = snprintf(prefix, sizeof prefix, "%s.", j);
  db_bind_text(st, i++, j);
  db_bind_text(st, i++, j);
  db_bind_int64(st, i++, plen);
  db_bind_text(st, i++, prefix);
  i = bind_opt_text(st, i, f->destination);
  i = bind_opt_text(st, i, f->handling_office);
  db_bind_int64(st, i++, state_mode);
  db_bind_text(st, i++, state_mode == 1 ? f->state : "");
  db_bind_int64(st, i++, state_mode);
  db_bind_int64(st, i++, state_mode);
  db_bind_int64(st, i++, f->overdue ? 1 : 0);
  db_bind_text(st, i++, today);
  i = bind_opt_text(st, i, f->from);
  i = bind_opt_text(st, i, f->to);
  if (with_q) { /* CLUE_LEDGER_Q */
    db_bind_text(st, i++, s_or(f->q));
    org_bind_like(st, i++, f->q);
    org_bind_like(st, i++, f->q);
    org_bind_like(st, i++, f->q);
    i = ntk_bind(st, i, &v->who);
  }
  return clue_bind_fig(db, st, i, f->fig);
}

/* The page statements for f's sort order: [0] seeks from the grants,
** [1] scans the order's index (CLUE_LEDGER_PAGE in stmts.def). */
/* id[0] seeks from the grants, id[1] scans the order's index, id[2] seeks
** from the full-access grants only (a text search). */
static int ledger_stmts(const ClueFilter *f, StmtId id[3]) {
  /* Every order has an index to walk (0011–0016). */
  static const struct {
    const char *sort;
    int desc;
    StmtId seek, scan, text;
  } forms[] = {
      {"transferred", 1, STMT_CLUE_LEDGER_TRANSFERRED_DESC_SEEK,
       STMT_CLUE_LEDGER_TRANSFERRED_DESC_SCAN,
       STMT_CLUE_LEDGER_TRANSFERRED_DESC_TEXT},
      {"transferred", 0, STMT_CLUE_LEDGER_TRANSFERRED_ASC_SEEK,
       STMT_CLUE_LEDGER_TRANSFERRED_ASC_SCAN,
       STMT_CLUE_LEDGER_TRANSFERRED_ASC_TEXT},
      {"due", 1, STMT_CLUE_LEDGER_DUE_DESC_SEEK,
       STMT_CLUE_LEDGER_DUE_DESC_SCAN, STMT_CLUE_LEDGER_DUE_DESC_TEXT},
      {"due", 0, STMT_CLUE_LEDGER_DUE_ASC_SEEK, STMT_CLUE_LEDGER_DUE_ASC_SCAN,
       STMT_CLUE_LEDGER_DUE_ASC_TEXT},
      {"code", 1, STMT_CLUE_LEDGER_CODE_DESC_SEEK,
       STMT_CLUE_LEDGER_CODE_DESC_SCAN, STMT_CLUE_LEDGER_CODE_DESC_TEXT},
      {"code", 0, STMT_CLUE_LEDGER_CODE_ASC_SEEK,
       STMT_CLUE_LEDGER_CODE_ASC_SCAN, STMT_CLUE_LEDGER_CODE_ASC_TEXT},
      {"updated", 1, STMT_CLUE_LEDGER_UPDATED_DESC_SEEK,
       STMT_CLUE_LEDGER_UPDATED_DESC_SCAN,
       STMT_CLUE_LEDGER_UPDATED_DESC_TEXT},
      {"updated", 0, STMT_CLUE_LEDGER_UPDATED_ASC_SEEK,
       STMT_CLUE_LEDGER_UPDATED_ASC_SCAN, STMT_CLUE_LEDGER_UPDATED_ASC_TEXT},
  };
  /* No sort: the default order, newest transfer first. */
  const char *sort = f->sort && *f->sort ? f->sort : "transferred";
  int desc = f->sort && *f->sort ? f->desc != 0 : 1;
  for (size_t i = 0; i < JX_COUNT(forms); i++)
    if (str_eq(forms[i].sort, sort) && forms[i].desc == desc) {
      id[0] = forms[i].seek;
      id[1] = forms[i].scan;
      id[2] = forms[i].text;
      return 0;
    }
  return -1;
}

/* One number from st (bound), or -1 on error. */
static int64_t count_of(Stmt *st) {
  int64_t n = db_step(st) == DB_ROW ? db_column_int64(st, 0) : -1;
  db_reset(st);
  return n;
}

/* Which filter, if any, the ledger is driven from for v (into *d): the
** given filter with the fewest clues, when the viewer holds more grants
** than it has clues (times 4 for unit, team and handling office, whose
** indexes do not cover the filters: each clue's row is read).  Measured
** on SQLite at 100,000 clues: a probe per clue of the filter costs about
** 2 us (8 us reading the row), a grant's look-up about 1.1 us —
** paid once for the count and, when the page is read from the grants,
** again for the page, which the driven form reads in index order.  The
** grants are counted only up to that many (an index-only read).  Only
** without q (the text search reads the rows anyway).  0: from the grants.
** clue_ledger_drive < 0 never drives (nor counts wide), > 0 always
** drives when a filter allows and counts wide otherwise (tests). */
int clue_ledger_drive = 0;

#define MAX_DRIVES 6

/* The filters of f a page could be driven from, into c; how many. */
static size_t drive_candidates(const ClueFilter *f, Drive c[MAX_DRIVES]) {
  size_t nc = 0;
  if (f->state && *f->state && clue_state(f->state))
    c[nc++] = (Drive){.size = STMT_CLUE_LEDGER_SIZE_STATE,
                      .count = STMT_CLUE_LEDGER_COUNT_STATE,
                      .desc = STMT_CLUE_LEDGER_TRANSFERRED_DESC_STATE,
                      .asc = STMT_CLUE_LEDGER_TRANSFERRED_ASC_STATE,
                      .weight = 1, .text = 1, .s = f->state};
  if (f->round_id)
    c[nc++] = (Drive){.size = STMT_CLUE_LEDGER_SIZE_ROUND,
                      .count = STMT_CLUE_LEDGER_COUNT_ROUND,
                      .desc = STMT_CLUE_LEDGER_TRANSFERRED_DESC_ROUND,
                      .asc = STMT_CLUE_LEDGER_TRANSFERRED_ASC_ROUND,
                      .weight = 1, .id = f->round_id};
  if (f->unit_id)
    c[nc++] = (Drive){.size = STMT_CLUE_LEDGER_SIZE_UNIT,
                      .count = STMT_CLUE_LEDGER_COUNT_UNIT, .weight = 4,
                      .id = f->unit_id};
  if (f->team_id)
    c[nc++] = (Drive){.size = STMT_CLUE_LEDGER_SIZE_TEAM,
                      .count = STMT_CLUE_LEDGER_COUNT_TEAM, .weight = 4,
                      .id = f->team_id};
  if (f->handling_office && *f->handling_office)
    c[nc++] = (Drive){.size = STMT_CLUE_LEDGER_SIZE_HANDLING,
                      .count = STMT_CLUE_LEDGER_COUNT_HANDLING, .weight = 4,
                      .text = 1, .s = f->handling_office};
  if (f->overdue)
    c[nc++] = (Drive){.size = STMT_CLUE_LEDGER_SIZE_OVERDUE,
                      .count = STMT_CLUE_LEDGER_COUNT_OVERDUE, .weight = 4,
                      .today = 1};
  return nc;
}

/* *slot gets the index of the chosen candidate (for the totals cache). */
static int drive_pick(Db *db, const ClueViewer *v, const ClueFilter *f,
                      Drive *d, int *slot) {
  if (clue_ledger_drive < 0 || (f->q && *f->q)) return 0;
  Drive c[MAX_DRIVES];
  size_t nc = drive_candidates(f, c);
  int64_t best = -1;
  for (size_t k = 0; k < nc; k++) {
    Stmt *st = db_stmt(db, c[k].size);
    if (!st) return 0;
    bind_drive(st, 1, &c[k]);
    int64_t size = count_of(st);
    if (size >= 0) size *= c[k].weight;
    if (size >= 0 && (best < 0 || size < best)) {
      best = size;
      *d = c[k];
      *slot = (int)k;
    }
  }
  if (best < 0) return 0;
  Stmt *st;
  if (clue_ledger_drive <= 0) {
    int64_t enough = best + 1;
    st = db_stmt(db, STMT_CLUE_LEDGER_SEEN_UPTO);
    if (!st) return 0;
    int i = bind_seen(st, 1, &v->who);
    db_bind_int64(st, i, enough);
    if (count_of(st) < enough) return 0;
  }
  st = db_stmt(db, STMT_CLUE_LEDGER_EXPIRING);
  if (!st) return 0;
  bind_seen(st, 1, &v->who);
  int64_t expiring = count_of(st);
  if (expiring < 0) return 0;
  d->expiring = expiring > 0;
  return 1;
}

/* Not driven: count by scanning (CLUE_LEDGER_COUNT_WIDE) when the viewer
** holds grants on at least half the clues (by MAX(id)) and there is no
** q; scanning costs about 0.5 us a clue, a grant's look-up 1.1 us. */
static int count_wide(Db *db, const ClueViewer *v, const ClueFilter *f) {
  if (clue_ledger_drive < 0 || (f->q && *f->q)) return 0;
  if (clue_ledger_drive > 0) return 1;
  Stmt *st = db_stmt(db, STMT_CLUE_LEDGER_MAX_ID);
  if (!st) return 0;
  int64_t half = count_of(st) / 2 + 1;
  if (half <= 1) return 0;
  st = db_stmt(db, STMT_CLUE_LEDGER_SEEN_UPTO);
  if (!st) return 0;
  int i = bind_seen(st, 1, &v->who);
  db_bind_int64(st, i, half);
  return count_of(st) >= half;
}

static char *col(Stmt *st, int i) {
  const char *s = db_column_text(st, i);
  return xstrdup(s ? s : "");
}

static void row_read(Stmt *st, ClueRow *r) {
  int i = 0;
  r->id = db_column_int64(st, i++);
  r->code = col(st, i++);
  r->kind = col(st, i++);
  r->state = col(st, i++);
  r->transfer_no = col(st, i++);
  r->round_title = col(st, i++);
  r->unit_name = col(st, i++);
  r->team_name = col(st, i++);
  r->persons_text = col(st, i++);
  r->summary = col(st, i++);
  r->transferred_on = col(st, i++);
  r->destination = col(st, i++);
  r->handling_office = col(st, i++);
  r->handling_office_name = col(st, i++);
  r->disposal = col(st, i++);
  r->filed_on = col(st, i++);
  r->outcome = col(st, i++);
  r->concluded_on = col(st, i++);
  r->next_due_on = col(st, i++);
  r->next_due_kind = col(st, i++);
  r->n_persons = db_column_int64(st, i++);
  r->n_filed = db_column_int64(st, i++);
  r->n_sanctioned = db_column_int64(st, i++);
  r->full = db_column_int64(st, i++) == 1;
}

/* ---- the totals cache ----
** Counting what a viewer may see is most of a ledger page's cost at
** 100,000 clues, and paging or re-sorting asks the same count again.  So
** the count and the plan chosen for it are kept per (viewer, filter) —
** the key holds everything the count depends on: user, office,
** jurisdiction and scope (the visible set), every filter, today (overdue)
** and the settings the figure predicates read — until the next write
** through the web (the router calls clue_data_changed() after every
** committed non-GET request: actions, grants, revocations, edits) or
** TOTAL_TTL_MS, which bounds what no request announces: a grant expiring
** by time, another process writing the same database.  The rows of the
** page are always read live, so a cached total never shows content. */
#define TOTAL_SLOTS 512
#define TOTAL_KEY_MAX 512
#define TOTAL_TTL_MS 2000.0

typedef struct TotalSlot {
  char key[TOTAL_KEY_MAX];
  unsigned gen;
  double at;
  int64_t total;
  int driven, slot, expiring, wide;
} TotalSlot;

static TotalSlot totals[TOTAL_SLOTS];
static pthread_mutex_t totals_mu = PTHREAD_MUTEX_INITIALIZER;
static atomic_uint data_gen;
int clue_ledger_cache = 1;

void clue_data_changed(void) { atomic_fetch_add(&data_gen, 1); }

static void key_str(Buf *k, const char *s) {
  s = s ? s : "";
  buf_printf(k, "%zu:%s|", strlen(s), s);
}

/* The cache key of (v, f); 0, or -1 when it does not fit (not cached). */
static int total_key(Db *db, const ClueViewer *v, const ClueFilter *f,
                     char out[TOTAL_KEY_MAX]) {
  Buf k = BUF_INIT;
  char today[11];
  date_today(today);
  buf_printf(&k, "%lld|%d|%lld|%lld|%lld|%lld|%lld|%d|", (long long)v->who.user_id,
             (int)v->scope, (long long)f->round_id, (long long)f->unit_id,
             (long long)f->team_id,
             (long long)setting_int(db, "clue.concluded_counts_parked"),
             (long long)setting_int(db, "clue.filing_rate_base"), f->overdue);
  const char *strs[] = {v->who.office_code, v->who.jurisdiction_code, today,
                        f->jurisdiction, f->destination, f->handling_office,
                        f->state, f->from, f->to, f->q, f->fig};
  for (size_t i = 0; i < JX_COUNT(strs); i++) key_str(&k, strs[i]);
  int fits = k.len < TOTAL_KEY_MAX;
  if (fits) memcpy(out, buf_str(&k), k.len + 1);
  buf_release(&k);
  return fits ? 0 : -1;
}

static size_t total_slot(const char *key) {
  uint32_t h = 2166136261u; /* FNV-1a */
  for (const unsigned char *p = (const unsigned char *)key; *p; p++)
    h = (h ^ *p) * 16777619u;
  return h % TOTAL_SLOTS;
}

static int total_get(const char *key, TotalSlot *out) {
  if (!clue_ledger_cache) return 0;
  TotalSlot *t = &totals[total_slot(key)];
  pthread_mutex_lock(&totals_mu);
  int hit = t->at > 0 && t->gen == atomic_load(&data_gen) &&
            jx_monotonic_ms() - t->at < TOTAL_TTL_MS && str_eq(t->key, key);
  if (hit) *out = *t;
  pthread_mutex_unlock(&totals_mu);
  return hit;
}

/* gen: the generation read before the count ran, so a write that
** committed meanwhile leaves the entry already stale. */
static void total_put(const char *key, unsigned gen, const TotalSlot *v) {
  if (!clue_ledger_cache) return;
  TotalSlot *t = &totals[total_slot(key)];
  pthread_mutex_lock(&totals_mu);
  *t = *v;
  memcpy(t->key, key, strlen(key) + 1);
  t->gen = gen;
  t->at = jx_monotonic_ms();
  pthread_mutex_unlock(&totals_mu);
}

ClueResult clue_ledger(Db *db, const ClueViewer *v, const ClueFilter *f,
                       int64_t limit, int64_t offset, ClueRow **out,
                       size_t *n, int64_t *total) {
  static const ClueFilter nofilter = {0};
  *out = NULL;
  *n = 0;
  *total = 0;
  if (!f) f = &nofilter;
  if (v->who.user_id <= 0) return CLUE_OK;
  StmtId sid[3];
  if (ledger_stmts(f, sid) != 0) return CLUE_EINVALID;
  int text = f->q && *f->q;
  if (limit <= 0) limit = 50;
  if (offset < 0) offset = 0;
  Drive d = {0};
  char key[TOTAL_KEY_MAX];
  int keyed = total_key(db, v, f, key) == 0;
  TotalSlot hit;
  int driven, wide, rc;
  Stmt *st;
  if (keyed && total_get(key, &hit)) {
    *total = hit.total;
    driven = hit.driven;
    wide = hit.wide;
    if (driven) {
      Drive c[MAX_DRIVES];
      size_t nc = drive_candidates(f, c);
      if (hit.slot < 0 || (size_t)hit.slot >= nc) return CLUE_EDB;
      d = c[hit.slot];
      d.expiring = hit.expiring;
    }
  } else {
    unsigned gen = atomic_load(&data_gen);
    int slot = -1;
    driven = drive_pick(db, v, f, &d, &slot);
    wide = !driven && count_wide(db, v, f);
    st = db_stmt(db, driven ? d.count
                     : wide ? STMT_CLUE_LEDGER_COUNT_WIDE
                     : text ? STMT_CLUE_LEDGER_COUNT_TEXT
                            : STMT_CLUE_LEDGER_COUNT);
    if (!st) return CLUE_EDB;
    if (ledger_bind(db, st, 1, v, f, driven ? VIS_DRIVEN : VIS_SEEN, &d,
                    !driven && !wide) < 0) {
      db_reset(st);
      return CLUE_EINVALID;
    }
    rc = db_step(st);
    if (rc == DB_ROW) *total = db_column_int64(st, 0);
    db_reset(st);
    if (rc != DB_ROW) return CLUE_EDB;
    if (keyed) {
      TotalSlot put = {.total = *total, .driven = driven, .slot = slot,
                       .expiring = d.expiring, .wide = wide};
      total_put(key, gen, &put);
    }
  }
  if (*total <= offset) return CLUE_OK;
  /* Many matches: walk the order's index and stop after the page; few:
   * fetch them from the grants and sort (walking the index would read
   * most of the table to find them) — for a text search, from the
   * full-access grants only. */
  int vis = *total > clue_ledger_scan_min ? VIS_SCAN : VIS_SEEN;
  StmtId page = vis == VIS_SCAN ? sid[1] : text ? sid[2] : sid[0];
  /* Driven, in the transferred order the driving index also serves: walk
   * it and stop after the page. */
  if (driven && d.desc && (page == STMT_CLUE_LEDGER_TRANSFERRED_DESC_SEEK ||
                           page == STMT_CLUE_LEDGER_TRANSFERRED_DESC_SCAN)) {
    page = d.desc;
    vis = VIS_DRIVEN;
  } else if (driven && d.asc &&
             (page == STMT_CLUE_LEDGER_TRANSFERRED_ASC_SEEK ||
              page == STMT_CLUE_LEDGER_TRANSFERRED_ASC_SCAN)) {
    page = d.asc;
    vis = VIS_DRIVEN;
  }
  st = db_stmt(db, page);
  if (!st) return CLUE_EDB;
  /* The page's content check comes first (CLUE_LEDGER_PAGE_W). */
  int i = ntk_bind(st, 1, &v->who);
  i = ledger_bind(db, st, i, v, f, vis, &d, vis != VIS_DRIVEN);
  db_bind_int64(st, i++, limit);
  db_bind_int64(st, i++, offset);
  size_t cap = 0;
  ClueRow *rows = NULL;
  while ((rc = db_step(st)) == DB_ROW) {
    if (*n == cap) {
      cap = cap ? cap * 2 : 16;
      rows = xrealloc(rows, cap * sizeof *rows);
    }
    memset(&rows[*n], 0, sizeof *rows);
    row_read(st, &rows[(*n)++]);
  }
  db_reset(st);
  if (rc != DB_DONE) {
    clue_rows_free(rows, *n);
    *n = 0;
    return CLUE_EDB;
  }
  *out = rows;
  return CLUE_OK;
}
