/* audit_queue.h: group commit for the audit records of reads.
**
** A read (a GET) has no transaction of its own to put its audit record
** in, so each one used to commit a transaction of one row: under load
** the commits, not the reads, set the pace (and on SQLite every commit
** empties the other connections' page caches).  The server hands those
** records to one writer thread instead; it appends everything that
** queued up while it was busy in one transaction and then tells each
** job how it went.  The reader's response is held until then (the
** server suspends the connection), so a read is still never answered
** without its audit record committed: fail closed, as before, only
** cheaper per row.  Changes never come here: their record stays in the
** change's own transaction (audit_append).
*/
#ifndef JX_AUDIT_QUEUE_H
#define JX_AUDIT_QUEUE_H

#include "audit/audit.h"

typedef struct AuditJob AuditJob;
struct AuditJob {
  AuditEvent ev;  /* its strings belong to the job (audit_job_new) */
  int rc;         /* DB_OK once committed, else the DB_E* code */
  /* Called on the writer thread once rc is set; the job is the caller's
   * again from then on (the writer never touches it after the call). */
  void (*done)(AuditJob *job);
  void *cls;      /* the caller's */
  AuditJob *next; /* the queue's */
};

/* A job holding copies of ev's strings. */
AuditJob *audit_job_new(const AuditEvent *ev);
void audit_job_free(AuditJob *job);

/* Start the writer.  open_db returns the connection of the calling thread
** (the writer calls it on its own thread); k signs the chain.  0 on
** success. */
int audit_queue_start(Db *(*open_db)(void), const Keys *k);

/* Queue job; its done() will be called exactly once, also when the
** writer cannot reach the database or has stopped (rc then says so; after
** the stop, done() is called before this returns). */
void audit_queue_submit(AuditJob *job);

/* Write what is queued, then stop the writer and wait for it. */
void audit_queue_stop(void);

/* Batches and rows written since start (for tests and the log). */
void audit_queue_stats(long long *batches, long long *rows);

#endif
