/* rounds.h: inspection rounds (巡察轮次) and the phase of each unit.
**
** A round ("五届市委第二轮巡察") has a term (届), a number (轮), a kind
** (常规 / 专项 / 机动 / 提级 / 回头看), dates and the units it covers —
** often several units of one sector in one batch (同批次系统巡察).  Each
** inspected unit moves through the phases of DOMAIN.md §5.8 on its own:
**
**   准备 → 了解 → 报告 → 反馈 → 移交 → 整改
**
** forward only, one step at a time.  The legal steps are one table
** (round_transitions in rounds.c); nothing else decides them.
**
** The pure rules (phases, kinds, names, input checks) need no database;
** the rest of the file reads and writes the round tables of migration
** 0007 through the statement catalogue.
*/
#ifndef JX_ROUNDS_H
#define JX_ROUNDS_H

#include <stdint.h>

#include "store/store.h"
#include "util/util.h"

/* ---- phases ---- */

typedef enum RoundPhase {
  PHASE_PREP = 0,  /* 巡前准备 */
  PHASE_LEARN,     /* 巡察了解 */
  PHASE_REPORT,    /* 巡察报告 */
  PHASE_FEEDBACK,  /* 巡察反馈 */
  PHASE_TRANSFER,  /* 巡察移交 */
  PHASE_RECTIFY,   /* 巡察整改 */
  PHASE__COUNT
} RoundPhase;

typedef struct PhaseDef {
  const char *code;  /* stored in round_unit_phase.phase: "prep" … */
  const char *label; /* short Chinese label: "准备" */
  const char *full;  /* full term: "巡前准备" */
} PhaseDef;

extern const PhaseDef round_phases[PHASE__COUNT];

/* One legal step of the phase machine. */
typedef struct PhaseTransition {
  RoundPhase from, to;
} PhaseTransition;

extern const PhaseTransition round_transitions[];
extern const size_t n_round_transitions;

/* The phase with this code, or -1. */
int round_phase_from_code(const char *code);
/* Short Chinese label of a phase ("准备"), "?" when out of range. */
const char *round_phase_label(int phase);
/* The phase after from, or -1 when from is the last (or invalid). */
int round_phase_next(int from);
/* May a unit in phase from move to phase to?  from is -1 for a unit that
** has no phase yet (only 准备 may start).  0, or -1 with the reason in
** Chinese in err (a skip names the phase skipped; a step back says that
** phases only move forward). */
int round_phase_check(int from, int to, Buf *err);

/* ---- kinds ---- */

typedef struct RoundKindDef {
  const char *code;  /* stored in round.kind */
  const char *label; /* 常规 … */
} RoundKindDef;

extern const RoundKindDef round_kinds[];
extern const size_t n_round_kinds;

/* Chinese label of a kind code, or NULL when the code is unknown. */
const char *round_kind_label(const char *code);

/* ---- names and input ---- */

/* Append n (1–99) in Chinese numerals ("五", "十二"); other values as
** decimal digits. */
void round_cn_number(Buf *out, int64_t n);
/* The customary name of a round: "五届市委第二轮巡察" for term 5, number
** 2 and committee "市委". */
void round_default_name(Buf *out, int64_t term, int64_t number,
                        const char *committee);

/* What a user submits to create or edit a round. */
typedef struct RoundIn {
  const char *title;       /* NULL or "": round_default_name */
  int64_t term;            /* 届, 1–99 */
  int64_t number;          /* 轮, 1–99 */
  const char *kind;        /* a round_kinds code */
  const char *sector_code; /* 同批次系统巡察 sector tag, NULL or "": none */
  const char *jurisdiction_code;
  const char *start_date;  /* 'YYYY-MM-DD' or "" (not yet fixed) */
  const char *end_date;    /* 'YYYY-MM-DD' or "" (open) */
} RoundIn;

#define ROUND_TITLE_MAX 60 /* characters */

/* Check a round's input (not its references: the caller looks those
** up).  0, or -1 with a Chinese reason in err and *field naming the
** input at fault. */
int round_check(const RoundIn *in, Buf *err, const char **field);

/* ---- dates ----
** Business dates are TEXT 'YYYY-MM-DD' (migration 0007), "" for none;
** as ISO dates they compare as strings. */

/* 1 when s is a real calendar date 'YYYY-MM-DD'. */
int round_date_valid(const char *s);
/* Today (jx_now(), 北京时间) as 'YYYY-MM-DD' into out[11]. */
void round_today(char out[11]);
/* The same calendar day n years before date (29 Feb → 28 Feb) into
** out[11]; "" when date is not valid. */
void round_years_before(const char *date, int n, char out[11]);

/* ---- results ---- */

/* The outcome of a round, team, staffing or training operation; each
** gives a Chinese reason in err for anything but ROUND_OK. */
typedef enum RoundResult {
  ROUND_OK = 0,
  ROUND_EINVALID = 1,  /* bad input: 400 */
  ROUND_ENOTFOUND = 2, /* no such record: 404 */
  ROUND_ECONFLICT = 3, /* the state forbids it (phase order, duplicate): 409 */
  ROUND_EAVOID = 4,    /* a 回避 rule applies: 409, err names rule and fact */
  ROUND_EFORBIDDEN = 5,/* not this user's to do (e.g. approve own request): 403 */
  ROUND_EDB = 6        /* database error: 500 */
} RoundResult;

/* The HTTP status that goes with r. */
int round_http_status(RoundResult r);

/* Bind RND_SUBTREE's three parameters for code from index i; returns
** the next index. */
int round_bind_subtree(Stmt *st, int i, const char *code);
/* 1 when code is root or below it (dotted paths). */
int round_code_within(const char *root, const char *code);

/* ---- rounds in the database ---- */

/* A round as RND_ROUND_COLS reads it (stmts.def). */
typedef struct Round {
  int64_t id, term, number;
  char *kind, *title, *jurisdiction_code, *jurisdiction_name;
  char *sector_code, *sector_name; /* "" when none */
  char *start_date, *end_date;     /* "" when not set */
  int64_t created_by;
  jx_time created_at;
  int64_t n_units, n_teams;
} Round;

/* Read the current row of an RND_LIST / RND_GET statement. */
void round_read_row(Stmt *st, Round *out);
void round_clear(Round *r);

/* Create a round in the caller's transaction.  The caller has checked
** that in->jurisdiction_code lies in the user's scope.  ROUND_OK and *id,
** or an error with *field naming the input. */
RoundResult round_create(Db *db, int64_t user_id, const RoundIn *in,
                         int64_t *id, const char **field, Buf *err);
/* Edit round id (its jurisdiction stays). */
RoundResult round_update(Db *db, const Round *r, const RoundIn *in,
                         const char **field, Buf *err);

/* One step of a unit's phase history. */
typedef struct PhaseStep {
  int phase;
  char *entered_on; /* business date */
  jx_time entered_at;
  char *entered_by; /* display name ("" when unknown) */
} PhaseStep;

/* A unit of a round with its current phase and history (in phase
** order). */
typedef struct RoundUnit {
  int64_t unit_id;
  char *code, *name;
  int phase;         /* current */
  char *entered_on;  /* when the current phase began */
  char *team_name;   /* the team covering it ("" none) */
  PhaseStep steps[PHASE__COUNT];
  int n_steps;
} RoundUnit;

/* The units of round_id.  DB_OK with *out (free with round_units_free). */
int round_units_load(Db *db, int64_t round_id, RoundUnit **out, size_t *n);
void round_units_free(RoundUnit *u, size_t n);

/* Add unit_id to round r in phase 准备 entered on entered_on ("" today).
** The unit must lie in the round's jurisdiction subtree and, when the
** round is a 同批次系统巡察 of a sector, carry that sector's tag. */
RoundResult round_add_unit(Db *db, int64_t user_id, const Round *r,
                           int64_t unit_id, const char *entered_on,
                           Buf *err);
/* Take unit_id out of round r: only while it is in 准备 and no team
** covers it. */
RoundResult round_remove_unit(Db *db, const Round *r, int64_t unit_id,
                              Buf *err);
/* Move unit_id of round r to phase to_code (only the next phase; see
** round_phase_check), entered on entered_on ("" today; not before the
** current phase began).  *from / *to (may be NULL) get the phases. */
RoundResult round_advance(Db *db, int64_t user_id, const Round *r,
                          int64_t unit_id, const char *to_code,
                          const char *entered_on, int *from, int *to,
                          Buf *err);

/* ---- demo data (demo_rounds.c) ---- */

/* Two past rounds and the current one of 明澜市 with teams of demo staff,
** staffing requests and joint training; after demo_org_load, in the
** caller's transaction.  0, or -1 with a Chinese reason in err. */
int demo_rounds_load(Db *db, Buf *err);

#endif
