/* clue_flow_int.h: what clue_flow.c (the table and the engine) and
** clue_flow_apply.c (the per-action effects) share.  Not for other
** modules: they use clue_flow.h. */
#ifndef JX_CLUE_FLOW_INT_H
#define JX_CLUE_FLOW_INT_H

#include <jansson.h>

#include "domain/clue_flow.h"

/* The clue columns the flow writes, in the order of STMT_CLUEF_GET and
** STMT_CLUEF_UPDATE. */
enum {
  CF_KIND,
  CF_STATE,
  CF_DESTINATION,
  CF_DESTINATION_NAME,
  CF_DESTINATION_OFFICE,
  CF_TRANSFER_NO,
  CF_TRANSFERRED_ON,
  CF_REGISTER_NO,
  CF_RECEIVED_ON,
  CF_HANDLING_OFFICE,
  CF_ASSIGNED_ON,
  CF_DISPOSAL,
  CF_DISPOSAL_ON,
  CF_FILED_ON,
  CF_TRIAL_ON,
  CF_DECIDED_ON,
  CF_CONCLUDED_ON,
  CF_OUTCOME,
  CF__TEXT
};

typedef struct CfPerson {
  int64_t id; /* clue_person.id */
  char *name, *filed_party_on, *filed_super_on, *outcome_note;
  int64_t n_sanctions;
  int party_member, supervisory_object; /* who may be filed how */
} CfPerson;

typedef struct CfFlow {
  int64_t id;
  char *s[CF__TEXT];
  int64_t transfer_step; /* written too */
  int64_t transfer_approver; /* written too: who decides the open step */
  /* read only */
  char *jur, *found_on, *code;
  int64_t round_id, unit_id, team_id;
  int cond_nature, cond_evidence, cond_facts;
  CfPerson *persons;
  size_t n_persons;
} CfFlow;

/* One action being taken. */
typedef struct CfAct {
  Db *db;
  const ClueViewer *v;
  const ClueAction *a;
  const ClueActIn *in;
  CfFlow f;
  char date[11], today[11]; /* the business date acted on; today */
  json_t *detail;           /* action-specific values for clue_event */
  const char *to;           /* resulting state (NULL: f's state stays) */
  const char **field;
  Buf *err;
} CfAct;

/* What the gate needs to know of a clue. */
typedef struct CfGateIn {
  int64_t id;
  const char *state, *destination;
  int64_t transfer_step;
  int full;
} CfGateIn;

ClueResult cf_gate(Db *db, const ClueViewer *v, const CfGateIn *g,
                   const ClueAction *a, Buf *err);
/* Apply x->a's effect: checks first, then writes (clue_flow_apply.c). */
ClueResult cf_apply(CfAct *x);

void cf_flow_clear(CfFlow *f);
void cf_set(CfFlow *f, int field, const char *value);
CfPerson *cf_person(CfFlow *f, int64_t clue_person_id);
const char *cf_step_role(Db *db, int64_t step, size_t *n_steps);
/* The clue's open early-intervention request: its id, 0 if none, -1 on a
** database error. */
int64_t cf_open_assist(Db *db, int64_t clue_id);
/* clue_text_check for an action's input field name (x->field on error). */
ClueResult cf_text(CfAct *x, const char *name, const char *label,
                   const char *value, int required, size_t max);
int cf_word_in(const char *list, const char *word, char sep);
const char *cf_state_label(const char *code);
int cf_terminal(const char *state);

#endif
