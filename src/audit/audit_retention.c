/* audit_retention.c: the audit trail's retention job and its schedule
** (see audit_retention.h). */
#include "audit/audit_retention.h"

#include <pthread.h>
#include <time.h>

#include "domain/settings.h"

#define RUN_EVERY_SECONDS (24 * 3600)

int audit_retention_run(Db *db, const Keys *k, const char *source,
                        int64_t *purged) {
  *purged = 0;
  int64_t days = setting_int(db, "audit.retention_days");
  if (days < AUDIT_KEEP_DAYS) days = AUDIT_KEEP_DAYS;
  jx_time cutoff = jx_now() - (jx_time)days * 86400;
  Stmt *st = db_stmt(db, STMT_AUDIT_ANY_BEFORE);
  if (!st) return DB_EERROR;
  db_bind_int64(st, 1, cutoff);
  int rc = db_step(st);
  db_reset(st);
  if (rc == DB_DONE) return DB_OK; /* nothing old enough */
  if (rc != DB_ROW) return rc;
  AuditEvent actor = {.login = "system", .role = "system", .source = source};
  return audit_purge_before(db, k, cutoff, &actor, purged);
}

/* ---- the schedule ---- */

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static int started, stopping;
static pthread_t thread;
static Db *(*job_db)(void);
static const Keys *job_keys;

static void *schedule_main(void *unused) {
  (void)unused;
  pthread_mutex_lock(&mu);
  while (!stopping) {
    pthread_mutex_unlock(&mu);
    Db *db = job_db();
    int64_t purged = 0;
    if (!db || audit_retention_run(db, job_keys, "定期清理任务", &purged) !=
                   DB_OK)
      log_error("audit retention: the daily purge failed; it runs again "
                "tomorrow");
    pthread_mutex_lock(&mu);
    /* Real time, not jx_now(): a test clock must not spin this loop. */
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += RUN_EVERY_SECONDS;
    while (!stopping &&
           pthread_cond_timedwait(&wake, &mu, &until) == 0) {
    }
  }
  pthread_mutex_unlock(&mu);
  return NULL;
}

int audit_retention_start(Db *(*open_db)(void), const Keys *k) {
  job_db = open_db;
  job_keys = k;
  stopping = 0;
  if (pthread_create(&thread, NULL, schedule_main, NULL) != 0) {
    log_error("audit retention: cannot start its thread");
    return -1;
  }
  started = 1;
  return 0;
}

void audit_retention_stop(void) {
  if (!started) return;
  pthread_mutex_lock(&mu);
  stopping = 1;
  pthread_cond_signal(&wake);
  pthread_mutex_unlock(&mu);
  pthread_join(thread, NULL);
  started = 0;
}
