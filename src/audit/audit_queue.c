/* audit_queue.c: one writer thread, one transaction per batch (see
** audit_queue.h).  A batch is whatever queued while the previous one was
** being written, so under no load a job is written alone and at once,
** and under load the cost of a commit is shared by many reads. */
#include "audit/audit_queue.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "util/util.h"

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static AuditJob *head, *tail;
static int started, stopping, exited;
static pthread_t writer;
static Db *(*writer_db)(void);
static const Keys *writer_keys;
static long long n_batches, n_rows;

static char *dup_or_null(const char *s) { return s ? xstrdup(s) : NULL; }

AuditJob *audit_job_new(const AuditEvent *ev) {
  AuditJob *job = xcalloc(1, sizeof *job);
  job->ev = *ev;
  job->ev.login = dup_or_null(ev->login);
  job->ev.role = dup_or_null(ev->role);
  job->ev.source = dup_or_null(ev->source);
  job->ev.action = dup_or_null(ev->action);
  job->ev.object_type = dup_or_null(ev->object_type);
  job->ev.summary = dup_or_null(ev->summary);
  return job;
}

void audit_job_free(AuditJob *job) {
  if (!job) return;
  free((char *)job->ev.login);
  free((char *)job->ev.role);
  free((char *)job->ev.source);
  free((char *)job->ev.action);
  free((char *)job->ev.object_type);
  free((char *)job->ev.summary);
  free(job);
}

/* Append every job of the list in one transaction.  When that fails as a
** whole (one bad event, a busy database), each job is tried alone so
** that one failure is not everyone's. */
static void write_batch(Db *db, AuditJob *list) {
  int rc = db ? db_begin(db) : DB_EERROR;
  for (AuditJob *j = list; rc == DB_OK && j; j = j->next)
    rc = audit_append(db, writer_keys, &j->ev);
  if (rc == DB_OK) rc = db_commit(db);
  if (rc == DB_OK) {
    for (AuditJob *j = list; j; j = j->next) j->rc = DB_OK;
  } else {
    if (db) db_rollback(db);
    for (AuditJob *j = list; j; j = j->next)
      j->rc = db ? audit_append(db, writer_keys, &j->ev) : DB_EERROR;
  }
  long long rows = 0;
  for (AuditJob *j = list; j; j = j->next) rows++;
  pthread_mutex_lock(&mu);
  n_batches++;
  n_rows += rows;
  pthread_mutex_unlock(&mu);
}

/* The shortest time between two batches.  Under load a batch of one
** would follow every read; waiting for the rest of this window lets the
** next reads join it.  On SQLite each commit also empties the page
** caches of the other connections, which is what made a read with its
** own commit cost twice a read without.  An idle server writes at once
** (the window has long passed). */
#define BATCH_WINDOW_MS 4.0

static void *writer_main(void *unused) {
  (void)unused;
  double last = 0;
  for (;;) {
    pthread_mutex_lock(&mu);
    while (!head && !stopping) pthread_cond_wait(&wake, &mu);
    double wait = last + BATCH_WINDOW_MS - jx_monotonic_ms();
    if (head && !stopping && wait > 0) {
      pthread_mutex_unlock(&mu);
      usleep((useconds_t)(wait * 1000));
      pthread_mutex_lock(&mu);
    }
    last = jx_monotonic_ms();
    AuditJob *list = head;
    head = tail = NULL;
    if (!list) exited = 1; /* stopping, and nothing left */
    pthread_mutex_unlock(&mu);
    if (!list) break;
    write_batch(writer_db(), list);
    while (list) {
      AuditJob *next = list->next; /* the job is not ours after done() */
      list->done(list);
      list = next;
    }
  }
  return NULL;
}

int audit_queue_start(Db *(*open_db)(void), const Keys *k) {
  writer_db = open_db;
  writer_keys = k;
  stopping = exited = 0;
  if (pthread_create(&writer, NULL, writer_main, NULL) != 0) {
    log_error("audit queue: cannot start the writer thread");
    return -1;
  }
  pthread_mutex_lock(&mu);
  started = 1;
  pthread_mutex_unlock(&mu);
  return 0;
}

void audit_queue_submit(AuditJob *job) {
  job->next = NULL;
  pthread_mutex_lock(&mu);
  if (!started || exited) {
    /* Nobody will write it (the server is stopping): refuse at once
     * rather than leave the caller waiting for ever. */
    pthread_mutex_unlock(&mu);
    job->rc = DB_EERROR;
    job->done(job);
    return;
  }
  if (tail) tail->next = job;
  else head = job;
  tail = job;
  pthread_cond_signal(&wake);
  pthread_mutex_unlock(&mu);
}

void audit_queue_stop(void) {
  if (!started) return;
  pthread_mutex_lock(&mu);
  stopping = 1;
  pthread_cond_signal(&wake);
  pthread_mutex_unlock(&mu);
  pthread_join(writer, NULL);
  pthread_mutex_lock(&mu);
  started = 0;
  pthread_mutex_unlock(&mu);
  log_info("audit queue: %lld rows in %lld batches", n_rows, n_batches);
}

void audit_queue_stats(long long *batches, long long *rows) {
  pthread_mutex_lock(&mu);
  *batches = n_batches;
  *rows = n_rows;
  pthread_mutex_unlock(&mu);
}
