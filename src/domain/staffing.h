/* staffing.h: 回避 (recusal) rules and candidate ranking for teams.
**
** 同向调度力量: the inspection office states what a team needs (past
** posts such as "县区纪委常务副书记工作经历", expertise tags, how many
** people, the period); the commission answers by selecting (选派) people
** from a list jixun ranks by fit.  Every point of a candidate's score
** comes with a Chinese sentence, so the page shows why each ranks where
** it does.
**
** 回避: a staff member may not join a team that inspects
**   (1) a unit they worked in during the last N years (setting
**       org.avoid_years, default 5),
**   (2) a unit where a declared relative works (staff_tie 'relative'),
**   (3) a unit their own office supervises as its 派驻组
**       (unit.supervising_office_id = staff.office_id).
** The rules are one table (avoid_rules in staffing.c).  A refusal names
** the rule and the fact.  An exception needs the 领导小组's approval
** (avoidance_override); it is audited as team.avoid_override.
**
** The pure half (avoid_check, staffing_score, staffing_rank) works on
** facts in memory and has no database; the loaders and the team
** operations below it read and write migration 0007's tables
** (staffing.c: rules and exceptions; teams.c: facts, teams, requests).
*/
#ifndef JX_STAFFING_H
#define JX_STAFFING_H

#include <stdint.h>

#include "domain/rounds.h"
#include "store/store.h"
#include "util/util.h"

/* ---- facts about one staff member (strings borrowed or pooled) ---- */

typedef struct StaffPostFact {
  const char *title;     /* 县区纪委常务副书记 */
  const char *org_name;  /* where, as text ("" when unknown) */
  int64_t unit_id;       /* where, when a registered unit (0: none) */
  const char *unit_name; /* that unit's name ("" when none) */
  const char *from_date; /* 'YYYY-MM-DD' or "" */
  const char *to_date;   /* 'YYYY-MM-DD' or "" (still holds it) */
} StaffPostFact;

typedef struct StaffTieFact {
  const char *kind; /* relative | former | other */
  int64_t unit_id;
  const char *unit_name;
  const char *note; /* 配偶任副校长 */
  const char *from_date, *to_date;
} StaffTieFact;

typedef struct StaffWindow {
  const char *from_date, *to_date; /* inclusive */
} StaffWindow;

/* Another team the staff member is on, with its round's dates. */
typedef struct StaffBusy {
  int64_t team_id;
  const char *round_title, *team_name;
  const char *from_date, *to_date; /* "" open */
} StaffBusy;

/* Strings the loader copied; freed with the facts. */
typedef struct StrPool {
  char **s;
  size_t n, cap;
} StrPool;

typedef struct StaffFacts {
  int64_t id;
  const char *code, *name, *post, *rank;
  int64_t office_id; /* 0: none */
  const char *office_name;
  const char *jurisdiction_code;
  StaffPostFact *posts;
  size_t n_posts;
  StaffTieFact *ties;
  size_t n_ties;
  const char **expertise;
  size_t n_expertise;
  StaffWindow *windows;
  size_t n_windows;
  StaffBusy *busy;
  size_t n_busy;
  StrPool pool; /* owned strings, when loaded from the database */
} StaffFacts;

/* ---- 回避 ---- */

typedef enum AvoidRule {
  AVOID_WORKED = 1,    /* worked in the unit within N years */
  AVOID_RELATIVE = 2,  /* a declared relative works there */
  AVOID_SUPERVISED = 3 /* the unit is supervised by the staff's 派驻组 */
} AvoidRule;

typedef struct AvoidRuleDef {
  AvoidRule rule;
  const char *code;  /* stored in avoidance_override.rule */
  const char *label; /* 任职回避 … */
  const char *text;  /* the rule in one Chinese sentence ("%d" = years) */
} AvoidRuleDef;

extern const AvoidRuleDef avoid_rules[];
extern const size_t n_avoid_rules;

/* The rule with this code, or NULL. */
const AvoidRuleDef *avoid_rule_by_code(const char *code);

/* A unit the team inspects, as the rules need it. */
typedef struct AvoidUnit {
  int64_t id;
  const char *name;
  int64_t supervising_office_id; /* 0: none */
  const char *supervising_office_name;
} AvoidUnit;

typedef struct AvoidCtx {
  const AvoidUnit *units;
  size_t n_units;
  const char *ref_date; /* 'YYYY-MM-DD': the round's start, else today */
  int years;            /* org.avoid_years */
} AvoidCtx;

/* One refusal: the rule, the unit and the fact in Chinese, e.g.
** "回避：2022-03 至 2024-08 曾在明澜市住建局任职（5 年内）". */
typedef struct AvoidHit {
  const AvoidRuleDef *rule;
  int64_t unit_id;
  char *fact; /* owned */
} AvoidHit;

/* Every rule against every unit of ctx, in rule order.  Returns the
** number of hits; *out (free with avoid_hits_free) is NULL when 0. */
size_t avoid_check(const StaffFacts *s, const AvoidCtx *ctx, AvoidHit **out);
void avoid_hits_free(AvoidHit *h, size_t n);

/* ---- ranking ---- */

/* What a staffing request asks for. */
typedef struct StaffNeed {
  const char **posts; /* required past posts */
  size_t n_posts;
  const char **expertise; /* expertise tags */
  size_t n_expertise;
  const char *from_date, *to_date; /* the period ("" unknown / open) */
  int64_t team_id; /* the requesting team: its own membership is no conflict */
} StaffNeed;

/* One component of a score, with its reason. */
typedef struct ScoreLine {
  const char *component; /* post | expertise | availability | schedule | avoid */
  int points;
  int ok;     /* 1: in the candidate's favour, 0: against */
  char *text; /* owned: the reason in Chinese */
} ScoreLine;

typedef struct Candidate {
  const StaffFacts *staff; /* borrowed */
  int score;
  int avoid;               /* 1: a 回避 rule applies (ranked last) */
  ScoreLine *lines;
  size_t n_lines;
  AvoidHit *hits;
  size_t n_hits;
} Candidate;

/* The points of each component (one table, shown on the page). */
typedef struct StaffWeight {
  const char *component, *label;
  int points;       /* per required post / tag, or for a full match */
  const char *rule; /* how it is scored, in Chinese */
} StaffWeight;

extern const StaffWeight staffing_weights[];
extern const size_t n_staffing_weights;

/* Score s against need and the 回避 rules of ctx into *out (release with
** candidate_clear). */
void staffing_score(const StaffFacts *s, const StaffNeed *need,
                    const AvoidCtx *ctx, Candidate *out);
/* Sort: no 回避 first, then score (high first), then staff id. */
void staffing_rank(Candidate *c, size_t n);
void candidate_clear(Candidate *c);

/* Does a held post match a required one?  The required text may carry
** "工作经历" / "任职经历" / "经历"; either text may contain the other. */
int staffing_post_matches(const char *held, const char *required);

/* Split a '、' / ',' / '，' / ';' / newline separated list into trimmed,
** non-empty items (owned by *out; free with strv_free). */
size_t staffing_split(const char *list, char ***out);
void strv_free(char **v, size_t n);

/* "2022-03" from a date, "" for ""; out[8]. */
void staffing_month(const char *date, char out[8]);

/* ---- database half ---- */

/* A pooled copy of s ("" for NULL), freed with the facts. */
const char *strpool_dup(StrPool *p, const char *s);
/* Free what a loader allocated (not s itself). */
void staff_facts_clear(StaffFacts *s);

/* Load staff_id's facts (posts, ties, expertise, windows, other teams).
** DB_OK, DB_DONE when there is no such staff member, or a DB_E* code. */
int staff_facts_load(Db *db, int64_t staff_id, StaffFacts *out);


/* ---- teams, requests and exceptions in the database ----
** The web layer fetches the team / request / override through its
** jurisdiction fence first (404 outside it), then calls these in the
** request's transaction.  Results and their statuses: rounds.h. */

typedef struct TeamPosition {
  const char *code;  /* team_member.position */
  const char *label; /* 组长 | 副组长 | 成员 */
} TeamPosition;

extern const TeamPosition team_positions[];
extern const size_t n_team_positions;

/* Chinese label of a position code, or NULL when unknown. */
const char *team_position_label(const char *code);

/* A team as RND_TEAM_COLS reads it. */
typedef struct Team {
  int64_t id, round_id;
  char *name, *leader_note, *round_title, *jurisdiction_code;
  char *start_date, *end_date; /* the round's */
  jx_time created_at;
  int64_t n_members;
} Team;

void team_read_row(Stmt *st, Team *out);
void team_clear(Team *t);

/* Create a team of round r. */
RoundResult team_create(Db *db, const Round *r, const char *name,
                        const char *note, int64_t *id, const char **field,
                        Buf *err);
/* Let team t cover unit_id (a unit of its round no other team covers);
** refused when a member would have to avoid it. */
RoundResult team_add_unit(Db *db, const Team *t, int64_t unit_id, Buf *err);
/* Add staff_id to team t at position.  Unless override_id is set (an
** approved exception), the 回避 rules run first: ROUND_EAVOID with every
** rule and fact in err, and the hits in *hits / *n_hits when those are
** not NULL (free with avoid_hits_free). */
RoundResult team_add_member(Db *db, const Team *t, int64_t staff_id,
                            const char *position, int64_t override_id,
                            AvoidHit **hits, size_t *n_hits, Buf *err);
RoundResult team_remove_member(Db *db, const Team *t, int64_t staff_id,
                               Buf *err);

/* The 回避 hits of staff_id against team t (t's units, the round's start
** date, org.avoid_years).  DB_OK with *hits / *n. */
int team_avoid_hits(Db *db, const Team *t, int64_t staff_id, AvoidHit **hits,
                    size_t *n);
/* "fact（rule）；fact（rule）" for a refusal. */
void avoid_hits_text(Buf *out, const AvoidHit *h, size_t n);

/* A staffing request as RND_SREQ_COLS reads it. */
typedef struct StaffingRequest {
  int64_t id, team_id, round_id;
  char *team_name, *round_title, *text, *required_posts, *required_expertise;
  int64_t count;
  char *position, *from_date, *to_date, *status;
  int64_t created_by;
  char *created_by_name;
  jx_time created_at;
  int64_t n_answers;
  char *round_start, *round_end, *jurisdiction_code;
} StaffingRequest;

void sreq_read_row(Stmt *st, StaffingRequest *out);
void sreq_clear(StaffingRequest *q);
/* The period a request asks for: its own dates, else the round's. */
const char *sreq_from(const StaffingRequest *q);
const char *sreq_to(const StaffingRequest *q);

typedef struct StaffingRequestIn {
  const char *text;               /* 组长人选 1 名，具有…工作经历 */
  const char *required_posts;     /* '、'-separated */
  const char *required_expertise; /* '、'-separated */
  const char *count;              /* as typed: 1–20 */
  const char *position;           /* leader | deputy | member */
  const char *from_date, *to_date;/* "" = the round's */
} StaffingRequestIn;

RoundResult sreq_create(Db *db, int64_t user_id, const Team *t,
                        const StaffingRequestIn *in, int64_t *id,
                        const char **field, Buf *err);

/* The ranked candidates for request q: every active staff member in the
** round's jurisdiction subtree not yet on the team, scored and sorted.
** *facts and *cands (n each) are freed with candidates_free. */
int sreq_candidates(Db *db, const StaffingRequest *q, StaffFacts **facts,
                    Candidate **cands, size_t *n);
void candidates_free(StaffFacts *facts, Candidate *cands, size_t n);

/* Select (选派) staff_id for request q: adds them to the team at the
** request's position (回避 checked as team_add_member does) and records
** the answer; the request is answered once count people are selected. */
RoundResult sreq_answer(Db *db, int64_t user_id, const StaffingRequest *q,
                        int64_t staff_id, AvoidHit **hits, size_t *n_hits,
                        Buf *err);

/* Record staff_id as an answer to request_id (selected by user_id) and
** close the request once it has count answers. */
RoundResult sreq_record_answer(Db *db, int64_t user_id, int64_t request_id,
                               int64_t count, int64_t staff_id, Buf *err);

/* A 回避 exception as RND_OVR_COLS reads it. */
typedef struct AvoidOverride {
  int64_t id, team_id, round_id, staff_id, request_id, requested_by,
      approved_by;
  char *team_name, *round_title, *staff_name, *rule, *fact, *reason,
      *position, *requested_by_name, *status, *approved_by_name,
      *decision_note, *jurisdiction_code;
  jx_time requested_at, approved_at;
} AvoidOverride;

void override_read_row(Stmt *st, AvoidOverride *out);
void override_clear(AvoidOverride *o);
/* "任职回避、派驻监督回避" for a stored comma-separated rule list. */
void override_rule_labels(Buf *out, const char *rules);

/* Ask the 领导小组 to let staff_id join team t despite the 回避 rules
** that apply now (stored with their facts).  request_id (0: none) is the
** staffing request they were selected for. */
RoundResult override_request(Db *db, int64_t user_id, const Team *t,
                             int64_t staff_id, const char *position,
                             int64_t request_id, const char *reason,
                             int64_t *id, Buf *err);
/* Approve (adds the member, and the request's answer) or reject o.  The
** approver may not decide their own request; note is required to
** reject. */
RoundResult override_decide(Db *db, int64_t approver_id,
                            const AvoidOverride *o, int approve,
                            const char *note, Buf *err);

#endif
