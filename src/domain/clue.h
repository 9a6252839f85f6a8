/* clue.h: problem clues (问题线索) — records, the ledger (台账) query and
** the code tables (DOMAIN.md §3, §5, §6.3–6.4).
**
** A clue is recorded by an inspection team member during a round, judged
** (研判), transferred (移交) after an approval chain, registered and
** assigned by the commission's 案管室, handled by a 承办部门 (disposal,
** 立案, 审理, decisions per person) and concluded, with feedback owed to the
** inspection office on a fixed rhythm.  The actions and their rules are
** in clue_flow.h; deadlines, feedback and 督办 in clue_due.h; figures in
** clue_stats.h.
**
** Every read goes through need-to-know (auth/ntk.h): object type "clue"
** (the content) or "clue_status" (the inspection office's view of a clue
** it transferred: state and outcome codes only).  A clue the viewer may
** not see does not exist for them: CLUE_ENOTFOUND, absent from lists.
*/
#ifndef JX_CLUE_H
#define JX_CLUE_H

#include <stdint.h>

#include "auth/ntk.h"
#include "store/store.h"
#include "util/util.h"

/* ---- results ---- */

typedef enum ClueResult {
  CLUE_OK = 0,
  CLUE_EINVALID = 1,   /* bad input (400); *field names it */
  CLUE_ENOTFOUND = 2,  /* no such clue, or not visible (404) */
  CLUE_EFORBIDDEN = 3, /* visible, but this role/user may not (403) */
  CLUE_ECONFLICT = 4,  /* not allowed in the clue's current state (409) */
  CLUE_EDB = 5         /* database error (500) */
} ClueResult;

int clue_http_status(ClueResult r);

/* ---- code tables (one source of truth each; labels are Chinese) ---- */

typedef struct ClueCode {
  const char *code;
  const char *label;
} ClueCode;

/* States (clue.state).  Terminal ones have terminal = 1. */
typedef struct ClueState {
  const char *code;
  const char *label;
  const char *side;  /* "team" | "transfer" | "commission" | "external" */
  int terminal;      /* 1: 办结 state (DOMAIN §3.6) */
} ClueState;
extern const ClueState clue_states[];
extern const size_t n_clue_states;
const ClueState *clue_state(const char *code);

/* State codes, for the flow table and the tests:
**  draft 待研判 · reviewed 已研判 · pending 移交审批中 · suggestion 已转整改建议
**  transferred 已移交待接收 · registered 已登记 · assigned 已分办
**  proposed 已拟处置意见 · talk 谈话函询 · verify 初步核实 · parked 暂存待查
**  investigating 立案审查调查 · trial 审理 · decided 已作出处理决定
**  external 其他单位办理中 · closed_direct 直接了结 · closed_cleared 查否了结
**  first_form 第一种形态处理 · to_party 移送有关党组织 · withdrawn 撤销案件
**  concluded 已结案/办结 */

extern const ClueCode clue_categories[];   /* 问题类别 */
extern const size_t n_clue_categories;
extern const ClueCode clue_sources[];      /* 线索来源: interview 个别谈话 … */
extern const size_t n_clue_sources;
extern const ClueCode clue_destinations[]; /* commission | organisation | other */
extern const size_t n_clue_destinations;
extern const ClueCode clue_disposals[];    /* talk | verify | park | close */
extern const size_t n_clue_disposals;

/* A decision kind (clue_sanction.kind) and its measures, each with its
** 四种形态 form (DOMAIN §5.1–5.6). */
typedef struct ClueMeasure {
  const char *kind;    /* party | gov | org | account | procuratorate | first_form */
  const char *code;    /* e.g. "party_warning" */
  const char *label;   /* 警告 */
  int form;            /* 1–4 */
  int announce;        /* 1: the announcement and execution deadlines apply */
} ClueMeasure;
extern const ClueMeasure clue_measures[];
extern const size_t n_clue_measures;
extern const ClueCode clue_sanction_kinds[];
extern const size_t n_clue_sanction_kinds;
const ClueMeasure *clue_measure(const char *code);

/* Label of code in table (n entries), or code itself when unknown. */
const char *clue_code_label(const ClueCode *table, size_t n, const char *code);

/* ---- the viewer ---- */

/* Who looks, with the scope their role has for P_CLUE_READ. */
typedef struct ClueViewer {
  NtkSubject who;
  Scope scope;
} ClueViewer;

/* Fill v for the request's user.  -1 when nobody is logged in. */
int clue_viewer_from_request(const struct Request *req, ClueViewer *v);
/* The same for a user id (CLI, tests, demo). */
int clue_viewer_load(Db *db, int64_t user_id, const char *roles_csv,
                     ClueViewer *v);

/* ---- records ---- */

#define CLUE_SUMMARY_MAX 200   /* characters */
#define CLUE_FACTS_MAX 20000   /* characters */
#define CLUE_MAX_PERSONS 20

/* A person as recorded on a clue (被反映人). */
typedef struct CluePerson {
  int64_t id;        /* clue_person.id */
  int64_t person_id; /* registry id, 0 when typed */
  char *name, *post;
  int party_member, supervisory_object;
  char *filed_party_on, *filed_super_on; /* '' when not filed */
  char *outcome_note;
} CluePerson;

typedef struct Clue {
  int64_t id;
  char *code, *kind, *state;
  int64_t round_id, team_id, unit_id;
  char *round_title, *team_name, *unit_name;
  char *jurisdiction_code;
  char *category, *source, *summary, *facts;
  int cond_nature, cond_evidence, cond_facts;
  char *found_on;
  char *destination, *destination_name, *destination_office;
  int64_t transfer_step;
  char *transfer_no, *transferred_on, *register_no, *received_on;
  char *handling_office, *handling_office_name, *assigned_on;
  char *disposal, *disposal_on, *filed_on, *trial_on, *decided_on;
  char *concluded_on, *outcome;
  int64_t n_persons, n_filed, n_sanctioned, n_procuratorate, n_detained;
  char *next_due_on, *next_due_kind, *persons_text;
  int64_t created_by;
  char *created_by_name;
  jx_time created_at, updated_at;
  int full; /* 1: the viewer holds a "clue" grant (content visible);
               0: "clue_status" only — summary, facts and persons are
               blanked by clue_get and must not be shown */
  CluePerson *persons;
  size_t n_persons_loaded;
} Clue;

void clue_clear(Clue *c);

/* Load clue id for v: CLUE_OK, CLUE_ENOTFOUND (also when not visible).
** With only a "clue_status" grant, c->full is 0 and the content fields
** are "" (persons not loaded). */
ClueResult clue_get(Db *db, const ClueViewer *v, int64_t id, Clue *c);

/* A person as typed on the form. */
typedef struct CluePersonIn {
  int64_t person_id; /* registry person (its name, post and flags are
                        copied); 0: typed */
  const char *name, *post;
  int party_member, supervisory_object;
} CluePersonIn;

/* What the team records. */
typedef struct ClueIn {
  int64_t round_id, team_id, unit_id;
  const char *kind;     /* "clue" | "suggestion" ("" = clue) */
  const char *category, *source, *summary, *facts, *found_on;
  int cond_nature, cond_evidence, cond_facts;
  const CluePersonIn *persons;
  size_t n_persons;
} ClueIn;

/* Check in without touching the database.  0, or -1 with a Chinese
** reason in err and *field naming the input ("persons" for the list). */
int clue_check(const ClueIn *in, Buf *err, const char **field);

/* The one check of the clue domain's free text (facts, opinions,
** feedback, notices …): valid UTF-8, line breaks and tabs but no other
** control characters, at most max characters, and — when required — not
** blank.  0, or -1 with the Chinese reason, naming label, in err. */
int clue_text_check(const char *s, int required, size_t max,
                    const char *label, Buf *err);

/* Record a clue (the creator must be a member of the team, which must be
** of the round and cover the unit).  Its access list starts with the
** creator and the team's leader(s) (staff.user_id of team_member
** position 'leader'), without approval.  Runs in the caller's
** transaction; the caller audits.  CLUE_OK and *id. */
ClueResult clue_create(Db *db, const ClueViewer *v, const ClueIn *in,
                       int64_t *id, const char **field, Buf *err);

/* Edit while the clue is still with the team (draft, reviewed): the
** creator or the team's leader.  Same input as clue_create (round and
** team cannot change; unit may, within the team's units). */
ClueResult clue_update(Db *db, const ClueViewer *v, int64_t id,
                       const ClueIn *in, const char **field, Buf *err);

/* Recompute the denormalised columns of clue id (n_*, persons_text,
** next_due_*) after any change to its persons, sanctions, measures,
** feedback or dates.  Calls clue_due_refresh (clue_due.h). */
int clue_refresh(Db *db, int64_t id);

/* The next number of counter (jur, kind, year) in table clue_seq (kind:
** 'clue', 'transfer', 'register'): created at 1 or incremented in one
** statement inside the caller's transaction.  DB_OK and *out. */
int clue_next_seq(Db *db, const char *jur, const char *kind, int year,
                  int64_t *out);

/* The one message for a clue that is missing or not visible (404). */
extern const char *const clue_err_notfound;

/* auth/ntk.c's hooks for object type "clue".  clue_exists: 1, 0 or -1
** (error).  clue_may_approve: 1 when approver may decide access requests
** for clue id below SCOPE_ALL — a leader of the clue's team (staff.user_id)
** while the clue is with the team (draft, reviewed, suggestion, pending),
** a user with role ags (案管室) of the clue's jurisdiction once it has
** been transferred; else 0. */
int clue_exists(Db *db, int64_t id);
int clue_may_approve(Db *db, const NtkSubject *approver, int64_t id);

/* ---- the ledger (台账) ---- */

/* Filters; zero / NULL / "" = no filter. */
typedef struct ClueFilter {
  int64_t round_id, unit_id, team_id;
  const char *jurisdiction; /* subtree root code */
  const char *destination;
  const char *handling_office;
  const char *state;        /* a state code, or "open" / "terminal" */
  int overdue;              /* 1: next_due_on before today */
  const char *from, *to;    /* period on transferred_on, inclusive */
  const char *q;            /* text in code, summary or persons (only
                               over clues with full access) */
  const char *fig;          /* a figure code (clue_stats.h): exactly the
                               clues that figure counts */
  const char *sort;         /* "transferred" (default) | "due" | "code" |
                               "updated" */
  int desc;                 /* 1: descending; ignored when sort is NULL
                               or "" (the default order is transferred_on
                               descending, newest first) */
} ClueFilter;

/* One ledger row (DOMAIN §6.4 columns).  With full = 0 the summary and
** persons are "". */
typedef struct ClueRow {
  int64_t id;
  char *code, *kind, *state, *transfer_no, *round_title, *unit_name,
      *team_name, *persons_text, *summary, *transferred_on, *destination,
      *handling_office, *handling_office_name, *disposal, *filed_on,
      *outcome, *concluded_on, *next_due_on, *next_due_kind;
  int64_t n_persons, n_filed, n_sanctioned;
  int full;
} ClueRow;

void clue_rows_free(ClueRow *rows, size_t n);

/* 1 when fig is a figure code the ledger filters by (clue_stats.h):
** transferred received concluded concluded_rate filed filing_rate
** persons_filed persons_sanctioned persons_procuratorate persons_detained
** overdue. */
int clue_fig_known(const char *fig);
/* Bind the parameters of stmts.def's CLUE_FIG_WHERE (the one definition
** of what each figure counts, for the ledger and the figures) for fig
** (NULL or "": no figure) from index first, reading the settings
** clue.concluded_counts_parked and clue.filing_rate_base.  Returns the
** next index, or -1 when fig is not known. */
int clue_bind_fig(Db *db, Stmt *st, int first, const char *fig);

/* One page of the ledger for v, need-to-know applied in SQL; *total
** counts every matching clue.  CLUE_OK with *out (free with
** clue_rows_free). */
ClueResult clue_ledger(Db *db, const ClueViewer *v, const ClueFilter *f,
                       int64_t limit, int64_t offset, ClueRow **out,
                       size_t *n, int64_t *total);

/* Above this many matches a ledger page is read in the sort order's
** index (stopping after the page), at or below it from the viewer's
** grants and sorted.  Both give the same rows; tests set it to 0 to run
** the index form on small data. */
extern int64_t clue_ledger_scan_min;
/* With a selective filter the ledger walks the filter's index and checks
** each clue's access list instead of reading all the viewer's grants;
** clue_ledger.c decides by size.  Tests force it: < 0 never, > 0 always. */
extern int clue_ledger_drive;

/* Ledger totals are cached per (viewer, filter) until the next call of
** this (the router makes it after every committed web write) or for two
** seconds at most (clue_ledger.c explains).  clue_ledger_cache = 0 turns
** the cache off (tests comparing plans). */
void clue_data_changed(void);
extern int clue_ledger_cache;

#endif
