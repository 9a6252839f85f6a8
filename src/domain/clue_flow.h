/* clue_flow.h: the clue state machine — one table of every legal action.
**
** Each row of clue_actions[] (clue_flow.c) names an action, the states it
** may be taken from, the state it leads to (NULL: stays), the roles that
** may take it and what it requires (opinion, approver, meeting, date …).
** clue_act() is the only way a clue changes state: it finds the row,
** checks state, role, need-to-know and the requirements, applies the
** action's effect (access grants, numbers, dates, per-person records),
** writes a clue_event row and refreshes the clue's deadlines.  Anything
** not in the table is refused with a Chinese reason.
**
** The transfer approval chain (组长 → 巡察办主任 → 领导小组 by default) is
** the setting "clue.transfer_chain"; clue_transfer_chain() reads it.
*/
#ifndef JX_CLUE_FLOW_H
#define JX_CLUE_FLOW_H

#include "domain/clue.h"

/* Requirement bits of an action. */
enum {
  CR_OPINION = 1 << 0,     /* opinion text (意见/理由) */
  CR_APPROVER = 1 << 1,    /* approver's name as signed (批准人) */
  CR_MEETING = 1 << 2,     /* collective meeting reference (集体研究) */
  CR_DATE = 1 << 3,        /* business date (default today, not future) */
  CR_PERSON = 1 << 4,      /* one of the clue's persons (person_id) */
  CR_STATUS_VIEW = 1 << 5, /* may be taken with a "clue_status" grant
                              only (inspection office on external
                              transfers) */
  CR_ASSIST_OPEN = 1 << 6, /* an early-intervention request is open */
  CR_ASSIST_NONE = 1 << 7  /* no early-intervention request is open */
};

typedef struct ClueAction {
  const char *code;      /* "approve_transfer": the API path segment */
  const char *label;     /* 审批同意移交 */
  const char *from;      /* space-separated state codes ("*" = any open) */
  const char *to;        /* resulting state; NULL: unchanged */
  const char *roles;     /* comma-separated role codes; "@chain" = the
                            role of the pending approval step */
  unsigned requires;     /* CR_* bits */
  const char *help;      /* one Chinese sentence shown on the form */
} ClueAction;

extern const ClueAction clue_actions[];
extern const size_t n_clue_actions;
const ClueAction *clue_action(const char *code);

/* Everything an action may carry; which fields count is the action's
** business (its requires bits and its effect).  Unused fields NULL/0. */
typedef struct ClueActIn {
  const char *opinion, *approver, *meeting, *date;
  int64_t person_id;            /* clue_person.id */
  /* review (研判) */
  const char *participants, *conclusion;
  /* submit: destination code, and its name when "other" */
  const char *destination, *destination_name;
  /* approve_transfer: the next step's approver (app_user id; 0 = the
     only eligible user) */
  int64_t next_approver_id;
  /* assign: the handling office code */
  const char *handling_office;
  /* propose: disposal code; file: "party" | "super" | "both" */
  const char *disposal, *filing;
  /* sanction: measure code (clue_measures), note */
  const char *measure, *note;
  /* sanction dates: the sanction id for announce / execute */
  int64_t sanction_id;
  /* detention: measure id for extend / end; approval text */
  int64_t measure_id;
  /* assist: request text; assist_assign: user ids */
  const char *text;
  const int64_t *user_ids;
  size_t n_user_ids;
  /* assist_step: stage screen | clear | probe */
  const char *stage;
} ClueActIn;

/* Take action code on clue id as v (whose roles are v->who.roles).
** Runs in the caller's transaction; the caller audits ("clue.<code>").
** CLUE_ENOTFOUND when v may not see the clue; CLUE_EFORBIDDEN when v's
** roles may not take it (or not at this approval step); CLUE_ECONFLICT
** when the state does not allow it; CLUE_EINVALID for missing or bad
** input (*field).  *event_id (may be NULL) gets the clue_event row. */
ClueResult clue_act(Db *db, const ClueViewer *v, int64_t id,
                    const char *code, const ClueActIn *in, int64_t *event_id,
                    const char **field, Buf *err);

/* The actions v may take on c now (state and role fit), in table order,
** for the detail page's forms.  Returns how many were written to out. */
size_t clue_actions_available(Db *db, const ClueViewer *v, const Clue *c,
                              const ClueAction **out, size_t max);

/* The transfer approval chain: role codes in order (at most 5).  Returns
** the number of steps. */
size_t clue_transfer_chain(Db *db, const char *roles[5]);

/* Users who may approve step (1-based) of clue c: active users with the
** step's role inside c's jurisdiction.  DB_OK with ids/names (caller
** frees names with free()). */
int clue_step_candidates(Db *db, const Clue *c, int64_t step, int64_t **ids,
                         char ***names, size_t *n);

/* ---- history ---- */

typedef struct ClueEvent {
  int64_t id;
  char *action, *from_state, *to_state, *actor_name, *acted_on, *opinion,
      *approver, *meeting, *detail;
  jx_time created_at;
} ClueEvent;

void clue_events_free(ClueEvent *e, size_t n);
/* The events of clue id (visible to v), oldest first. */
ClueResult clue_events(Db *db, const ClueViewer *v, int64_t id,
                       ClueEvent **out, size_t *n);

#endif
