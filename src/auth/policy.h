/* policy.h: the policy table — which role may do what, with what scope.
**
** One table (policy.c) answers "may a user with these roles perform
** this permission, and over which records?".  The route table names the
** permission each route needs; the dispatcher checks it before the
** handler runs; the handler then checks the record (need-to-know).
** Roles themselves are data (the role table); this table is code so
** that every change to it is reviewed and versioned.
*/
#ifndef JX_POLICY_H
#define JX_POLICY_H

#include "auth/auth.h"

typedef enum Perm {
  P_PUBLIC = 0,      /* anyone, no session */
  P_LOGIN,           /* any logged-in user with a current password */
  P_SELF,            /* logged in, even with a password change pending */
  P_USER_ADMIN,      /* accounts: create, lock, unlock, disable, reset */
  P_ROLE_GRANT,      /* grant and revoke roles (三员: secadmin) */
  P_POLICY_ADMIN,    /* password, lockout and session policy */
  P_AUDIT_READ,      /* search the audit trail */
  P_AUDIT_EXPORT,    /* export the audit trail */
  P_ACCESS_REQUEST,  /* ask to widen a record's 知悉范围 (auth/ntk.h) */
  P_ACCESS_APPROVE,  /* decide those requests, revoke grants; below
                        SCOPE_ALL only where a type's hook allows */
  P_ORG_READ,        /* registries: jurisdictions, offices, units, staff
                        pool, sector tags (domain/org.h) */
  P_ORG_EDIT,        /* create, edit and import those registries */
  P_PEOPLE_READ,     /* the people (干部) registry: confidential, reads
                        audited */
  P_ROUND_READ,      /* rounds, units' phases, teams, staffing requests */
  P_ROUND_EDIT,      /* create and edit rounds and teams, state staffing
                        needs, move phases (巡察办) */
  P_STAFFING_ANSWER, /* answer staffing requests: rank and select (选派) */
  P_AVOID_REQUEST,   /* ask the 领导小组 for a 回避 exception */
  P_AVOID_APPROVE,   /* decide 回避 exceptions (领导小组) */
  P_TRAINING_READ,   /* joint training sessions and training records */
  P_TRAINING_EDIT,   /* record sessions, lecturers and attendees */
  P_CLUE_READ,       /* clues on the user's access list, the ledger (台账),
                        deadlines, the 督办 inbox (domain/clue.h) */
  P_CLUE_RECORD,     /* record and edit clues in a team (发现) */
  P_CLUE_ACT,        /* take clue actions; which ones the state-machine
                        table (domain/clue_flow.c) says per role */
  P_CLUE_SUPERVISE,  /* issue 督办 notices (案管室) */
  P_CLUE_EXPORT,     /* export the ledger (XLSX; audited) */
  P_CLUE_STATS,      /* the figures (成案率, 办结率 …) */
  P__COUNT
} Perm;

typedef enum Scope {
  SCOPE_NONE = 0,         /* not allowed */
  SCOPE_OWN = 1,          /* own records (NTK_OWNED) within the subtree */
  SCOPE_JURISDICTION = 2, /* the user's jurisdiction subtree */
  SCOPE_ALL = 3           /* everything (still filtered by need-to-know) */
} Scope;

typedef struct PolicyRule {
  const char *role; /* role code */
  Perm perm;
  Scope scope;
} PolicyRule;

extern const PolicyRule policy_rules[];
extern const size_t n_policy_rules;

/* The widest scope any of roles_csv's roles has for perm. */
Scope policy_scope(const char *roles_csv, Perm perm);
/* Machine name of a permission ("audit.read"), for listings and tests. */
const char *perm_name(Perm p);
/* Chinese description of a permission. */
const char *perm_label(Perm p);

#endif
