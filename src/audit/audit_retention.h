/* audit_retention.h: the retention job of the audit trail (SECURITY.md
** C5).  The server runs it at start and then daily; `jixun audit
** retention` runs it once.  It removes the records older than the
** setting audit.retention_days — never fewer than AUDIT_KEEP_DAYS: the
** setting's minimum says so and audit_purge_before refuses anything
** younger — and records the purge itself as an "audit.purge" event. */
#ifndef JX_AUDIT_RETENTION_H
#define JX_AUDIT_RETENTION_H

#include "audit/audit.h"

/* Purge what the setting no longer keeps, as actor "system" from source
** ("retention job", "cli").  Nothing is written when no record is old
** enough (no daily "purged 0" rows).  *purged gets the rows removed.
** DB_OK or a DB_E* code. */
int audit_retention_run(Db *db, const Keys *k, const char *source,
                        int64_t *purged);

/* The daily schedule in a thread of its own, with a connection from
** open_db (called on that thread).  stop wakes it and waits for it. */
int audit_retention_start(Db *(*open_db)(void), const Keys *k);
void audit_retention_stop(void);

#endif
