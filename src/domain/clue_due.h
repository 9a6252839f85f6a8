/* clue_due.h: deadlines of transferred clues, the feedback they owe and
** the 督办 notices that chase them (件件有督办、件件有结果、件件有回音).
**
** The deadline rules are one table (clue_due_rules[] in clue_due.c):
** code, Chinese label, the setting that holds the period (so a deployment
** can follow the 2015 条例's 3 months or the seed article's 6), the unit
** (months / days), the anchor date it runs from and the source of the
** default.  clue_due_refresh() derives every deadline of a clue from its
** facts and rewrites the clue's clue_due rows; lists of what falls due
** read those rows.  "Today" is the business date in 北京时间 of jx_now()
** (date_today), so tests drive everything with a fixed clock.
**
** Month arithmetic keeps the anchor's day and clamps to the month's last
** day: a transfer on 2026-08-31 owes its first feedback (6 months) on
** 2027-02-28, and the one after (every 6 months) on 2027-08-31 — each
** due date is anchor + (N + k·M) months, so clamping never drifts.
*/
#ifndef JX_CLUE_DUE_H
#define JX_CLUE_DUE_H

#include "domain/clue.h"

/* ---- business dates ('YYYY-MM-DD', 北京时间) ---- */

/* 1 when s is a real calendar date in 'YYYY-MM-DD' form (1900–2999). */
int date_valid(const char *s);
/* Today in 北京时间 (UTC+8) for jx_now(). */
void date_today(char out[11]);
/* The business date of instant t in 北京时间. */
void date_of(jx_time t, char out[11]);
/* d + months, clamped to the last day of the month.  0, or -1 when d is
** not a valid date. */
int date_add_months(const char *d, int months, char out[11]);
/* d + days (may be negative).  0 or -1. */
int date_add_days(const char *d, int days, char out[11]);
/* Days from a to b (b - a).  Both must be valid. */
int date_diff_days(const char *a, const char *b);

/* ---- the rule table ---- */

typedef struct ClueDueRule {
  const char *code;        /* clue_due.rule */
  const char *label;       /* 首次反馈 */
  const char *setting;     /* settings key holding the period */
  const char *unit;        /* "month" | "day" */
  const char *anchor;      /* Chinese: what the period runs from */
  const char *source;      /* the rule behind the default */
} ClueDueRule;

extern const ClueDueRule clue_due_rules[];
extern const size_t n_clue_due_rules;
const ClueDueRule *clue_due_rule(const char *code);

/* Rule codes: fb_first 首次反馈 · fb_next 定期反馈 (ref_id = the feedback
** seq it expects) · disposal 处置意见 · investigation 审查调查 · trial 审理 ·
** detention 留置期限 (ref_id = clue_measure.id) · announce 处分宣布
** (ref_id = clue_sanction.id) · execute 执行情况报告 (ref_id = sanction). */

/* Derive the deadlines of clue id from its current facts and rewrite its
** clue_due rows; sets clue.next_due_on / next_due_kind.  Runs in the
** caller's transaction.  DB_OK or a DB_E* code. */
int clue_due_refresh(Db *db, int64_t id);
/* After a change to a period setting (clue_due_setting): refresh every
** transferred clue still open or with an open deadline (concluded clues
** with nothing open keep the deadlines they were handled under).  Runs
** in the caller's transaction.  DB_OK and *n (may be NULL) clues. */
int clue_due_refresh_all(Db *db, int64_t *n);
/* 1 when settings key holds the period of a deadline rule. */
int clue_due_setting(const char *key);

/* One deadline, for the detail page and the lists. */
typedef struct ClueDue {
  int64_t clue_id;
  char *clue_code, *unit_name, *summary; /* summary "" without full view */
  char *rule, *due_on, *done_on;
  int64_t ref_id;
  int days_left; /* due_on - today (negative: overdue) */
  int full;
} ClueDue;

void clue_dues_free(ClueDue *d, size_t n);
/* The deadlines of clue id, open and done, by due date. */
ClueResult clue_dues_of(Db *db, const ClueViewer *v, int64_t id,
                        ClueDue **out, size_t *n);
/* Open deadlines of the clues v may see that are overdue (window < 0),
** or fall due within window days from today (window >= 0: today up to
** today + window; overdue ones are not included), by due date; one page
** (limit at most 1000; limit 0: *total only, no rows), *total counts all. */
ClueResult clue_dues_list(Db *db, const ClueViewer *v, int window,
                          int64_t limit, int64_t offset, ClueDue **out,
                          size_t *n, int64_t *total);

/* ---- feedback (反馈) ---- */

typedef struct ClueFeedback {
  int64_t id, seq;
  char *due_on, *sent_on, *content, *by_name;
  int final;
  jx_time created_at;
} ClueFeedback;

void clue_feedback_free(ClueFeedback *f, size_t n);
/* Record a feedback report on clue id (seq = next; due_on = the open
** feedback deadline it answers).  final = 1 for the concluding report.
** Who may: the flow table's "feedback" action (clue_act calls this).
** Refreshes the deadlines. */
ClueResult clue_feedback_add(Db *db, const ClueViewer *v, int64_t id,
                             const char *sent_on, const char *content,
                             int final, int64_t *fb_id, const char **field,
                             Buf *err);
ClueResult clue_feedback_list(Db *db, const ClueViewer *v, int64_t id,
                              ClueFeedback **out, size_t *n);

/* ---- 督办 notices and the inbox ---- */

typedef struct ClueNoticeIn {
  const char *kind;     /* reminder 提醒 | escalation 挂牌督办 */
  const char *rule;     /* the deadline it concerns ("" none) */
  int64_t to_user_id;   /* a user, or */
  const char *to_office;/* an office ("" = the clue's handling office) */
  const char *text;
  const char *due_on;   /* 要求办理期限 ("" none) */
} ClueNoticeIn;

typedef struct ClueNotice {
  int64_t id, clue_id;
  char *clue_code, *kind, *rule, *to_office, *to_user_name, *text, *due_on,
      *from_name;
  jx_time created_at, read_at;
} ClueNotice;

void clue_notices_free(ClueNotice *n, size_t count);
/* Issue a 督办 notice on clue id (P_CLUE_SUPERVISE checked by the route;
** the clue must be visible to v, transferred and not concluded).  A
** notice to someone who cannot see the clue is refused (CLUE_EINVALID,
** field "to"): a notice never widens the 知悉范围. */
ClueResult clue_notice_add(Db *db, const ClueViewer *v, int64_t id,
                           const ClueNoticeIn *in, int64_t *notice_id,
                           const char **field, Buf *err);
/* The notices of clue id, newest first (its 督办 history). */
ClueResult clue_notices_of(Db *db, const ClueViewer *v, int64_t id,
                           ClueNotice **out, size_t *n);
/* v's inbox: notices to v or v's office about clues v may still see,
** newest first; unread_only.  *total counts the matching notices,
** *unread the unread ones; limit 0 fills the counts only (no rows). */
ClueResult clue_inbox(Db *db, const ClueViewer *v, int unread_only,
                      int64_t limit, int64_t offset, ClueNotice **out,
                      size_t *n, int64_t *total, int64_t *unread);
/* Mark notice nid read (it must be in v's inbox). */
ClueResult clue_notice_read(Db *db, const ClueViewer *v, int64_t nid);

#endif
