/* clue_due_int.h: helpers shared by clue_due.c (deadlines) and
** clue_notice.c (feedback, 督办 notices, the inbox); not for other
** modules. */
#ifndef JX_CLUE_DUE_INT_H
#define JX_CLUE_DUE_INT_H

#include "domain/clue_due.h"

/* A clue as the viewer sees it: what the deadline, feedback and notice
** operations check before they act.  summary is "" unless full. */
typedef struct CluedSeen {
  char *code, *state, *transferred_on, *concluded_on, *handling_office,
      *unit_name, *summary, *jurisdiction_code;
  int full;
} CluedSeen;

/* CLUE_OK and *c (release with clued_seen_clear), CLUE_ENOTFOUND when the
** clue is missing or v may not see it (need-to-know and jurisdiction),
** or CLUE_EDB. */
ClueResult clued_seen(Db *db, const ClueViewer *v, int64_t id, CluedSeen *c);
void clued_seen_clear(CluedSeen *c);
/* Bind stmts.def's CLUED_SEEN and JUR_WITHIN for v from index i; returns
** the next index. */
int clued_bind_seen(Stmt *st, int i, const ClueViewer *v);
/* Column col as a new string ("" for NULL). */
char *clued_col_dup(Stmt *st, int col);

#endif
