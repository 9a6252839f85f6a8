/* demo.h: fictional demo data for `jixun demo`.
**
** Everything here is invented: the city of 明澜市, its counties, its
** units and people.  No real place's officials or names appear.
*/
#ifndef JX_DEMO_H
#define JX_DEMO_H

#include "store/store.h"

/* Load demo data in one transaction: one account per role with a fresh
** random password.  accounts receives a Chinese listing (login, name,
** role, password) for the operator.  0, or -1 with a reason in err;
** refuses when demo accounts already exist. */
int demo_load(Db *db, Buf *accounts, Buf *err);

/* The demo's problem clues (demo_clues.c), after the rounds: about thirty
** clues in every state, made through clue_create / clue_act.  0, or -1
** with a reason in err. */
int demo_clues_load(Db *db, Buf *err);

#endif
